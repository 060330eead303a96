"""Số văn bản (R14): numbers per document type within the committee term, never reset by the year."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.issues import Issue
from app.i18n import _
from app.reports.party import number_text
from app.services import cell as cell_service
from app.services.errors import ValidationFailed
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
    """The number the next document of this type will get: one more than the highest in the term."""
    return mm.highest_number(doc_type, current_term() if term is None else term) + 1


def peek_number(doc_type: str, meeting_id: int) -> int:
    """What a preview shows: the given number, or the one printing would give now (nothing stored)."""
    return number_of(doc_type, meeting_id) or next_number(doc_type)


def issue_number(doc_type: str, meeting_id: int | None, issued_on: dt.date) -> int:
    """Give a number on first printing; printing again reuses it. Call outside or inside a transaction."""
    with database.atomic():
        if meeting_id is not None and (existing := number_of(doc_type, meeting_id)) is not None:
            return existing
        term = current_term()
        number = next_number(doc_type, term)
        mm.DocumentNumber.create(doc_type=doc_type, term_label=term, number=number, meeting=meeting_id,
                                 issued_on=issued_on, created_at=now())
        audit.record("document_number", meeting_id, "issue",
                     {"doc_type": [None, doc_type], "number": [None, number], "term": [None, term]})
    return number


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
