"""A member's events that are not statuses: badges, cards, temporary transfers out, rewards.

Each is a dated row with its detail and decision; a mistaken one is cancelled with a reason, never
edited or deleted, and both go to the change history under the member (entity "member_event").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain import names
from app.domain.dates import format_date
from app.domain.issues import ValidationReport
from app.domain.member_events import EventKind, detail_error, details_of
from app.domain.members import EARLIEST_PLAUSIBLE_DATE, MemberStatus, status_on
from app.i18n import _
from app.services import period_lock
from app.services.errors import NotFound, ServiceError, ValidationFailed
from app.services.members import get_member, status_history
from app.storage import audit
from app.storage.models import database, now
from app.storage.statistics_models import MemberEvent

MAX_TEXT = 2000


@dataclass(frozen=True)
class EventRow:
    id: int
    member_id: int
    kind: EventKind
    date: dt.date
    detail: str
    decision: str
    note: str
    cancelled: bool
    cancel_reason: str

    @property
    def detail_label(self) -> str:
        label = details_of(self.kind).get(self.detail)
        return label() if label else self.detail

    def to_json(self) -> dict:
        return {"id": self.id, "member_id": self.member_id, "kind": self.kind.value, "kind_label": self.kind.label,
                "date": self.date.isoformat(), "detail": self.detail, "detail_label": self.detail_label,
                "decision": self.decision, "note": self.note, "cancelled": self.cancelled,
                "cancel_reason": self.cancel_reason}


def _row(r: MemberEvent) -> EventRow:
    return EventRow(r.id, r.member_id, EventKind(r.kind), r.event_date, r.detail, r.decision, r.note,
                    r.cancelled_at is not None, r.cancel_reason)


def events(member_id: int | None = None, include_cancelled: bool = False) -> list[EventRow]:
    query = MemberEvent.select().order_by(MemberEvent.event_date, MemberEvent.id)
    if member_id is not None:
        query = query.where(MemberEvent.member == member_id)
    if not include_cancelled:
        query = query.where(MemberEvent.cancelled_at.is_null())
    return [_row(r) for r in query]


def events_by_member() -> dict[int, list[EventRow]]:
    out: dict[int, list[EventRow]] = {}
    for row in events():
        out.setdefault(row.member_id, []).append(row)
    return out


def check_event(member_id: int, kind: EventKind | str, day: dt.date, detail: str = "",
                today: dt.date | None = None) -> ValidationReport:
    report = ValidationReport()
    try:
        kind = EventKind(kind)
    except ValueError:
        report.error("member.event_kind", _("«{kind}» không phải loại sự kiện; chọn một trong: {choices}.").format(
            kind=kind, choices=", ".join(EventKind)))
        return report
    member = get_member(member_id)
    today = today or dt.date.today()
    if day > today:
        report.error("member.event_date", _("ngày {date} ở tương lai.").format(date=format_date(day)))
    elif day < EARLIEST_PLAUSIBLE_DATE:
        report.error("member.event_date", _("ngày {date} không hợp lý.").format(date=format_date(day)))
    elif member.birth_date and day < member.birth_date:
        report.error("member.event_date", _("ngày {date} trước ngày sinh ({born}).").format(
            date=format_date(day), born=format_date(member.birth_date)))
    elif member.admission_date and day < member.admission_date and kind is not EventKind.REWARD:
        report.error("member.event_date", _("ngày {date} trước ngày vào Đảng ({admitted}).").format(
            date=format_date(day), admitted=format_date(member.admission_date)))
    else:
        _status_problem(report, member, kind, day)
    problem = detail_error(kind, detail)
    if problem:
        report.error("member.detail", problem)
    if kind is EventKind.BADGE and not problem and member.admission_date:
        years = int(detail)
        # R9: a badge is given when the milestone is reached, up to 24 months early for a seriously ill member.
        reached = member.admission_date.replace(year=member.admission_date.year + years) if not (
            member.admission_date.month == 2 and member.admission_date.day == 29) else dt.date(
            member.admission_date.year + years, 3, 1)
        early = 24 if years >= 70 else 12
        limit = dt.date(reached.year - (early // 12), reached.month, 1)
        if day < limit:
            report.error("member.detail", _("ngày {date} còn quá xa mốc {years} năm tuổi Đảng ({reached}).").format(
                date=format_date(day), years=years, reached=format_date(reached)))
        elif day < reached:
            report.warn("member.detail", _("trao sớm trước mốc {years} năm tuổi Đảng ({reached}): chỉ khi đồng chí "
                                           "ốm nặng.").format(years=years, reached=format_date(reached)))
    if kind is EventKind.BADGE and not problem:
        taken = MemberEvent.select().where((MemberEvent.member == member_id) & (MemberEvent.kind == kind.value) &
                                           (MemberEvent.detail == detail) & MemberEvent.cancelled_at.is_null())
        if taken.exists():
            report.error("member.detail", _("đồng chí {name} đã có Huy hiệu {years} năm tuổi Đảng.").format(
                name=member.full_name, years=detail))
    return report


def _status_problem(report: ValidationReport, member, kind: EventKind, day: dt.date) -> None:
    """An event needs the member in the cell on its day (a badge may be given posthumously), and a card goes
    to official members only (DOMAIN §4.4)."""
    status = status_on(status_history(member.id), day)
    if status is None or status.in_cell:
        if kind is EventKind.CARD and status is MemberStatus.PROBATIONARY:
            report.error("member.event_kind", _("đồng chí {name} còn là đảng viên dự bị ngày {date}: thẻ đảng viên "
                                                "chỉ cấp cho đảng viên chính thức.").format(
                name=member.full_name, date=format_date(day)))
        return
    if kind is EventKind.BADGE and status is MemberStatus.DECEASED:
        return  # truy tặng
    report.error("member.event_date", _("ngày {date} đồng chí {name} không còn sinh hoạt tại chi bộ ({status})."
                                        ).format(date=format_date(day), name=member.full_name,
                                                 status=status.label.lower()))


def add_event(member_id: int, kind: EventKind | str, day: dt.date, detail: str = "", decision: str = "",
              note: str = "", today: dt.date | None = None) -> EventRow:
    """Record one event; refused whole, naming the field, when it does not fit."""
    detail, decision, note = (names.normalize_text(t or "") for t in (detail, decision, note))
    if len(note) > MAX_TEXT or len(decision) > 200 or len(detail) > 200:
        raise ServiceError(_("Ghi chú hoặc số quyết định quá dài."))
    report = check_event(member_id, kind, day, detail, today)
    if report.errors:
        raise ValidationFailed(report.errors)
    kind = EventKind(kind)
    period_lock.check_open(day, kind.label)
    with database.atomic():
        row = MemberEvent.create(member=member_id, kind=kind.value, event_date=day, detail=detail,
                                 decision=decision, note=note)
        audit.record("member_event", member_id, "create",
                     {"event": [None, row.id], "kind": [None, kind.value], "date": [None, day.isoformat()],
                      "detail": [None, detail or None], "decision": [None, decision or None]})
    return _row(row)


def cancel_event(event_id: int, reason: str) -> EventRow:
    reason = names.normalize_text(reason or "")
    row = MemberEvent.get_or_none(MemberEvent.id == event_id)
    if row is None:
        raise NotFound(_("Không có sự kiện số {id}.").format(id=event_id))
    if row.cancelled_at is not None:
        raise ServiceError(_("Sự kiện số {id} đã được hủy.").format(id=event_id))
    if not reason:
        raise ServiceError(_("Hãy ghi lý do hủy sự kiện."))
    period_lock.check_open(row.event_date, EventKind(row.kind).label)
    with database.atomic():
        MemberEvent.update(cancelled_at=now(), cancel_reason=reason).where(MemberEvent.id == event_id).execute()
        audit.record("member_event", row.member_id, "cancel", {"event": [event_id, None]}, reason)
    return _row(MemberEvent.get_by_id(event_id))
