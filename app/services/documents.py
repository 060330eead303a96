"""Số văn bản (R14): numbers per document type within the committee term, never reset by the year."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.issues import Issue
from app.i18n import _
from app.reports.party import number_text
from app.services import cell as cell_service
from app.services.errors import ServiceError, ValidationFailed
from app.storage import audit
from app.storage import meeting_models as mm
from app.storage.models import database, now

# Document-type symbols of Quy định 399-QĐ/TW that a chi bộ issues from its meetings.
MINUTES = "BB"
RESOLUTION = "NQ"
# A chi bộ issues a few dozen documents of a type in a term; anything past this is a typing slip.
MAX_NUMBER = 9999


@dataclass(frozen=True)
class IssuedNumber:
    doc_type: str
    term_label: str
    number: int
    meeting_id: int | None
    issued_on: dt.date

    @property
    def text(self) -> str:
        return number_text(self.number, self.doc_type)


def current_term() -> str:
    """The committee term numbers run in: the cell's term label (empty until the secretary sets it)."""
    info = cell_service.get_cell()
    return info.term_label if info else ""


def _row_of(doc_type: str, meeting_id: int) -> mm.DocumentNumber | None:
    return mm.DocumentNumber.get_or_none((mm.DocumentNumber.doc_type == doc_type)
                                         & (mm.DocumentNumber.meeting == meeting_id))


def number_of(doc_type: str, meeting_id: int) -> int | None:
    """The number already given to this meeting's document, if any."""
    row = _row_of(doc_type, meeting_id)
    return row.number if row else None


def next_number(doc_type: str, term: str | None = None) -> int:
    """One more than the highest number of this type in the term (whatever its date)."""
    return mm.highest_number(doc_type, current_term() if term is None else term) + 1


def dated_numbers(doc_type: str, term: str | None = None) -> list[IssuedNumber]:
    """The term's numbers of one type, by number, each dated as its document: the meeting's day
    (a meeting moved to another day moves its documents), else the day it was issued."""
    term = current_term() if term is None else term
    rows = list(mm.DocumentNumber.select().where((mm.DocumentNumber.doc_type == doc_type)
                                                 & (mm.DocumentNumber.term_label == term))
                .order_by(mm.DocumentNumber.number))
    ids = [r.meeting_id for r in rows if r.meeting_id is not None]
    days = {m.id: m.date for m in mm.Meeting.select(mm.Meeting.id, mm.Meeting.date).where(mm.Meeting.id.in_(ids))}
    return [IssuedNumber(r.doc_type, r.term_label, r.number, r.meeting_id, days.get(r.meeting_id, r.issued_on))
            for r in rows]


class NumberOrderConflict(ServiceError):
    """No free number keeps the term's numbers in date order for this document (R14)."""

    def __init__(self, doc_type: str, meeting_id: int | None, day: dt.date, before: IssuedNumber | None,
                 after: IssuedNumber, next_free: int, last_day: dt.date):
        self.doc_type, self.meeting_id, self.day = doc_type, meeting_id, day
        self.before, self.after, self.next_free, self.last_day = before, after, next_free, last_day
        kind = _KIND_NAMES[doc_type]()
        if before is None:
            where = _("trước {after} ({after_date}) không còn số nào").format(
                after=after.text, after_date=_day(after.issued_on))
        else:
            where = _("{before} ({before_date}) và {after} ({after_date}) đã liền nhau").format(
                before=before.text, before_date=_day(before.issued_on), after=after.text,
                after_date=_day(after.issued_on))
        super().__init__(_("{kind} ngày {date} không còn số trống để đứng đúng thứ tự ngày trong nhiệm kỳ: {where}; "
                           "số tiếp theo, {next}, sẽ đứng sau văn bản ngày {last}.").format(
            kind=kind.capitalize(), date=_day(day), where=where, next=number_text(next_free, doc_type),
            last=_day(last_day)))


_KIND_NAMES = {MINUTES: lambda: _("biên bản"), RESOLUTION: lambda: _("nghị quyết")}


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def free_number(doc_type: str, day: dt.date, term: str | None = None) -> int | None:
    """The number that keeps the term in date order for a document dated `day`: one after the last
    dated on or before that day, when it is still below the first dated after it; None when no gap is left."""
    return _gap(dated_numbers(doc_type, term), day)


def _gap(numbers: list[IssuedNumber], day: dt.date) -> int | None:
    """free_number over numbers already read."""
    before = max((n.number for n in numbers if n.issued_on <= day), default=0)
    after = min((n.number for n in numbers if n.issued_on > day), default=None)
    return before + 1 if after is None or before + 1 < after else None


def order_conflict(doc_type: str, meeting_id: int | None, day: dt.date) -> NumberOrderConflict | None:
    """Why this meeting's document cannot be numbered in date order (None when it can, or has its number)."""
    if meeting_id is not None and number_of(doc_type, meeting_id) is not None:
        return None
    numbers = dated_numbers(doc_type)
    if _gap(numbers, day) is not None:
        return None
    earlier = [n for n in numbers if n.issued_on <= day]
    before = max(earlier, key=lambda n: n.number) if earlier else None
    after = min((n for n in numbers if n.issued_on > day), key=lambda n: n.number)
    last = max(numbers, key=lambda n: n.number)
    return NumberOrderConflict(doc_type, meeting_id, day, before, after, last.number + 1, last.issued_on)


def peek_number(doc_type: str, meeting_id: int, day: dt.date) -> int | None:
    """What a preview shows: the given number, or the one printing would give now (nothing stored);
    None when no number is left in date order (printing will ask)."""
    return number_of(doc_type, meeting_id) or free_number(doc_type, day)


def issue_number(doc_type: str, meeting_id: int | None, issued_on: dt.date, *, out_of_order: bool = False) -> int:
    """Give a number on first printing; printing again reuses it. The number keeps the term in date
    order (R14), taking a gap left below later documents; where there is none, NumberOrderConflict,
    unless out_of_order: then the next number at the end. Call outside or inside a transaction."""
    with database.atomic():
        if meeting_id is not None and (existing := number_of(doc_type, meeting_id)) is not None:
            return existing
        term = current_term()
        number = free_number(doc_type, issued_on, term)
        if number is None:
            if not out_of_order:
                raise order_conflict(doc_type, meeting_id, issued_on)
            number = next_number(doc_type, term)
        mm.DocumentNumber.create(doc_type=doc_type, term_label=term, number=number, meeting=meeting_id,
                                 issued_on=issued_on, created_at=now())
        audit.record("document_number", meeting_id, "issue",
                     {"doc_type": [None, doc_type], "number": [None, number], "term": [None, term]},
                     _("cấp số không theo thứ tự ngày, theo lựa chọn của người in") if out_of_order else "")
    return number


def out_of_order(doc_type: str, meeting_id: int) -> bool:
    """Whether this meeting's number stands out of date order with another of the term."""
    numbers = dated_numbers(doc_type)
    mine = next((n for n in numbers if n.meeting_id == meeting_id), None)
    return mine is not None and any((n.number - mine.number) * ((n.issued_on - mine.issued_on).days) < 0
                                    for n in numbers)


def order_breaks(doc_type: str, term: str | None = None) -> list[IssuedNumber]:
    """Numbers dated before a lower number of the same term (set by hand or given out of order)."""
    numbers = dated_numbers(doc_type, term)
    return [n for i, n in enumerate(numbers) if any(m.issued_on > n.issued_on for m in numbers[:i])]


def set_number(doc_type: str, meeting_id: int, number: int, *, issued_on: dt.date, reason: str = "") -> int:
    """Give a meeting's document a chosen number, e.g. to continue from the paper register mid-term."""
    if number < 1:
        raise ValidationFailed([Issue("number", _("số văn bản phải từ 1 trở lên."))])
    if number > MAX_NUMBER:
        raise ValidationFailed([Issue("number", _("{number} quá lớn; số văn bản của chi bộ không quá {max}.").format(
            number=number, max=MAX_NUMBER))])
    term = current_term()
    taken = mm.DocumentNumber.get_or_none((mm.DocumentNumber.doc_type == doc_type)
                                          & (mm.DocumentNumber.term_label == term)
                                          & (mm.DocumentNumber.number == number))
    if taken is not None and taken.meeting_id != meeting_id:
        raise ValidationFailed([Issue("number", _("{number} đã được dùng trong nhiệm kỳ {term}.").format(
            number=number_text(number, doc_type).removeprefix("Số "), term=term or "—"))])
    with database.atomic():
        row = _row_of(doc_type, meeting_id)
        old = row.number if row else None
        if row is None:
            mm.DocumentNumber.create(doc_type=doc_type, term_label=term, number=number, meeting=meeting_id,
                                     issued_on=issued_on, created_at=now())
        else:
            mm.DocumentNumber.update(number=number, term_label=term).where(mm.DocumentNumber.id == row.id).execute()
        audit.record("document_number", meeting_id, "set", {"doc_type": [doc_type, doc_type], "number": [old, number]},
                     reason)
    return number


def numbers_of_meeting(meeting_id: int) -> list[str]:
    rows = mm.DocumentNumber.select().where(mm.DocumentNumber.meeting == meeting_id).order_by(mm.DocumentNumber.id)
    return [number_text(r.number, r.doc_type) for r in rows]


def list_numbers(term: str | None = None) -> list[IssuedNumber]:
    """Numbers given in a term (the current one by default), by type then number."""
    term = current_term() if term is None else term
    rows = (mm.DocumentNumber.select().where(mm.DocumentNumber.term_label == term)
            .order_by(mm.DocumentNumber.doc_type, mm.DocumentNumber.number))
    return [IssuedNumber(r.doc_type, r.term_label, r.number, r.meeting_id, r.issued_on) for r in rows]
