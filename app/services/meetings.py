"""Sinh hoạt chi bộ: recording meetings and taking the roll; every write is one transaction with its audit entry."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from app.domain import names
from app.domain.dates import Month
from app.domain.meetings import (
    TEXT_FIELDS,
    VOTE_FIELDS,
    AttendanceCounts,
    Attendee,
    Mark,
    Meeting,
    MeetingKind,
    RecordedMark,
    Standing,
    Thresholds,
    count_attendance,
    parse_time,
    standing_on,
    time_text,
    validate_meeting,
)
from app.domain.issues import Issue
from app.domain.members import StatusChange
from app.i18n import _
from app.services import members as member_service
from app.services import period_lock, settings
from app.services.errors import NotFound, ValidationFailed
from app.storage import audit
from app.storage import meeting_models as mm
from app.storage.models import database, now

# The thresholds of R3 and R5 are settings, not code (42-HD numbers as defaults).
settings.register(
    {"meetings.min_minutes": 90, "meetings.min_minutes_combined": 120, "meetings.absence_months": 3,
     "meetings.large_cell_size": 0},
    {
        "meetings.min_minutes": lambda: _("Thời lượng tối thiểu một buổi sinh hoạt (phút)"),
        "meetings.min_minutes_combined": lambda: _("Thời lượng tối thiểu khi sinh hoạt thường kỳ kết hợp chuyên đề (phút)"),
        "meetings.absence_months": lambda: _("Số tháng vắng không lý do trong năm thì cảnh báo xem xét xóa tên"),
        "meetings.large_cell_size": lambda: _("Chi bộ từ bao nhiêu đảng viên thì sinh hoạt tối thiểu như buổi kết hợp "
                                              "(0: không áp dụng)"),
    },
)


def thresholds() -> Thresholds:
    return Thresholds(
        min_minutes=settings.get("meetings.min_minutes"),
        min_minutes_combined=settings.get("meetings.min_minutes_combined"),
        absence_months=settings.get("meetings.absence_months"),
        large_cell_size=settings.get("meetings.large_cell_size"),
    )


# --- reading -------------------------------------------------------------------------------------

def _to_domain(row: mm.Meeting) -> Meeting:
    values = {name: getattr(row, name) for name in TEXT_FIELDS}
    return Meeting(
        date=row.date, kind=MeetingKind(row.kind), start=parse_time(row.start_time), end=parse_time(row.end_time),
        chair_id=row.chair_id, minute_taker_id=row.minute_taker_id,
        task_month=Month.parse(row.task_month) if row.task_month else None,
        votes_for=row.votes_for, votes_against=row.votes_against, votes_other=row.votes_other,
        posted_to_handbook=bool(row.posted_to_handbook), id=row.id, **values,
    )


def _row_values(meeting: Meeting) -> dict:
    values = {name: getattr(meeting, name) for name in TEXT_FIELDS}
    values.update(
        kind=meeting.kind.value, date=meeting.date, start_time=time_text(meeting.start) or None,
        end_time=time_text(meeting.end) or None, chair=meeting.chair_id, minute_taker=meeting.minute_taker_id,
        task_month=str(meeting.task_month) if meeting.task_month else None, votes_for=meeting.votes_for,
        votes_against=meeting.votes_against, votes_other=meeting.votes_other,
        posted_to_handbook=meeting.posted_to_handbook,
    )
    return values


def _audit_values(meeting: Meeting) -> dict:
    values = _row_values(meeting)
    values["chair_id"], values["minute_taker_id"] = values.pop("chair"), values.pop("minute_taker")
    return values


def get_meeting(meeting_id: int) -> Meeting:
    row = mm.Meeting.get_or_none(mm.Meeting.id == meeting_id)
    if row is None:
        raise NotFound(_("Không có buổi sinh hoạt mã số {id}.").format(id=meeting_id))
    return _to_domain(row)


def meetings_in(year: int | None = None) -> list[Meeting]:
    first, last = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (None, None)
    return [_to_domain(row) for row in mm.meetings_between(first, last)]


def first_record_year() -> int | None:
    """The year of the cell's earliest record (a member's first status, a meeting), None for an empty cell."""
    days = [changes[0].effective_date for changes in member_service.histories().values() if changes]
    days += [row.date for row in mm.meetings_between(None, None)[:1]]
    return min(days).year if days else None


class Roster:
    """The members and their status histories, read once, to place each on any meeting's roll."""

    def __init__(self) -> None:
        entries = member_service.list_members(statuses=None)
        self.members = [e.member for e in entries]
        self.sort_keys = {e.member.id: e.sort_key for e in entries}
        self.history: dict[int, list[StatusChange]] = member_service.histories()

    def attendees(self, day: dt.date, marks: dict[int, RecordedMark] | None = None) -> list[Attendee]:
        """Everyone in the cell on the day, in roster order, with their mark (unmarked if none)."""
        marks = marks or {}
        result = []
        for member in self.members:
            placed = standing_on(self.history.get(member.id, []), day)
            if placed is None:
                continue
            recorded = marks.get(member.id)
            result.append(Attendee(member.id, member.full_name, self.sort_keys[member.id], placed[0], placed[1],
                                   mark=recorded.mark if recorded else Mark.UNMARKED,
                                   reason=recorded.reason if recorded else ""))
        return result


def marks_of(meeting_ids: list[int]) -> dict[int, dict[int, RecordedMark]]:
    """{meeting id: {member id: the stored mark}}; members not yet marked are absent."""
    result: dict[int, dict[int, RecordedMark]] = {}
    for recorded in mm.attendance_rows(meeting_ids):
        result.setdefault(recorded.meeting_id, {})[recorded.member_id] = recorded
    return result


def attendees(meeting_id: int, roster: Roster | None = None) -> list[Attendee]:
    """The meeting's roll: every member in the cell that day; a new meeting starts all "chưa điểm danh"."""
    meeting = get_meeting(meeting_id)
    return (roster or Roster()).attendees(meeting.date, marks_of([meeting_id]).get(meeting_id, {}))


def counts(meeting_id: int) -> AttendanceCounts:
    return count_attendance(attendees(meeting_id))


@dataclass
class MeetingSummary:
    """One line of the meeting list: the meeting and its computed counts."""

    meeting: Meeting
    counts: AttendanceCounts


def list_meetings(year: int | None = None) -> list[MeetingSummary]:
    """Meetings by date with their counts, in three queries whatever the number of meetings."""
    meetings = meetings_in(year)
    roster = Roster()
    marks = marks_of([m.id for m in meetings])
    return [MeetingSummary(m, count_attendance(roster.attendees(m.date, marks.get(m.id, {})))) for m in meetings]


# --- writing -------------------------------------------------------------------------------------

def _check_roles(meeting: Meeting) -> list[Issue]:
    """The chair and the minute-taker must be members of the cell on the meeting day."""
    issues = []
    for field_name in ("chair_id", "minute_taker_id"):
        member_id = getattr(meeting, field_name)
        if member_id is None:
            continue
        issue = _membership_issue(f"meeting.{field_name}", member_id, meeting.date)
        if issue is not None:
            issues.append(issue)
    return issues


def _membership_issue(field_name: str, member_id: int, day: dt.date) -> Issue | None:
    try:
        member = member_service.get_member(member_id)
    except NotFound as exc:
        return Issue(field_name, str(exc))
    if standing_on(member_service.status_history(member_id), day) is None:
        return Issue(field_name, _("đồng chí {name} (mã số {id}) không sinh hoạt tại chi bộ ngày {date}.").format(
            name=member.full_name, id=member_id, date=day.strftime("%d/%m/%Y")))
    return None


def vote_limit(day: dt.date, marks: dict[int, RecordedMark] | None = None) -> int:
    """The most votes a meeting can record: its official members present, plus those not yet marked
    (before the roll is taken that is every official member of the cell on the day)."""
    roll = Roster().attendees(day, marks or {})
    return sum(1 for a in roll if a.in_total and a.official and a.mark in (Mark.PRESENT, Mark.UNMARKED))


def _check_votes(meeting: Meeting, meeting_id: int | None = None) -> list[Issue]:
    """R6: only official members present vote, so the votes cast cannot outnumber them."""
    given = {name: getattr(meeting, name) for name in VOTE_FIELDS if getattr(meeting, name) is not None}
    if not given:
        return []
    marks = marks_of([meeting_id]).get(meeting_id, {}) if meeting_id is not None else {}
    limit = vote_limit(meeting.date, marks)
    cast = sum(given.values())
    if cast <= limit:
        return []
    taken = any(recorded.mark is not Mark.UNMARKED for recorded in marks.values())
    whom = (_("số đảng viên chính thức có mặt (kể cả người chưa điểm danh)") if taken
            else _("số đảng viên chính thức của chi bộ ngày {date}").format(date=meeting.date.strftime("%d/%m/%Y")))
    # Named on the largest of the counts given: the one most likely mistyped.
    field_name = max(given, key=lambda name: given[name])
    return [Issue(f"meeting.{field_name}", _("tổng số phiếu biểu quyết (tán thành + không tán thành + ý kiến khác) "
                                             "là {cast}, nhiều hơn {whom} ({limit}).").format(
        cast=cast, whom=whom, limit=limit))]


def _validated(meeting: Meeting, meeting_id: int | None = None, check_votes: bool = True) -> Meeting:
    meeting = meeting.normalized()
    issues = validate_meeting(meeting).errors + _check_roles(meeting)
    if check_votes and not issues:
        issues += _check_votes(meeting, meeting_id)
    if issues:
        raise ValidationFailed(issues)
    return meeting


def add_meeting(meeting: Meeting) -> Meeting:
    """Thêm buổi sinh hoạt; its roll starts with every member of the cell that day, none marked yet."""
    meeting = _validated(meeting)
    period_lock.check_open(meeting.date, _("Buổi sinh hoạt"))
    with database.atomic():
        row = mm.Meeting.create(id=audit.next_unused_id(mm.Meeting, "meeting"), **_row_values(meeting),
                                created_at=now(), updated_at=now())
        audit.record("meeting", row.id, "create", audit.diff({}, _audit_values(meeting)))
    return get_meeting(row.id)


def update_meeting(meeting_id: int, changes: dict, *, reason: str = "", today: dt.date | None = None) -> Meeting:
    """Sửa buổi sinh hoạt: the changed fields only; a new date must still hold everyone already marked."""
    old = get_meeting(meeting_id)
    period_lock.check_open(old.date, _("Buổi sinh hoạt"))
    if isinstance(changes.get("date"), dt.date):
        period_lock.check_open(changes["date"], _("Buổi sinh hoạt"))
    unknown = set(changes) - {f.name for f in dataclasses.fields(Meeting)} | ({"id"} & set(changes))
    if unknown:
        raise ValidationFailed([Issue(f"meeting.{sorted(unknown)[0]}", _("không sửa được trường này."))])
    candidate = dataclasses.replace(old, **changes)
    # Votes are checked when they or the day change; a roll taken later only warns (meeting_warnings).
    votes_touched = candidate.date != old.date or any(getattr(candidate, n) != getattr(old, n) for n in VOTE_FIELDS)
    new = _validated(candidate, meeting_id, check_votes=votes_touched)
    if new.date != old.date:
        _check_roll_on(meeting_id, new.date, today or dt.date.today())
    diff = audit.diff(_audit_values(old), _audit_values(new))
    if not diff:
        return old
    with database.atomic():
        mm.Meeting.update(**_row_values(new), updated_at=now()).where(mm.Meeting.id == meeting_id).execute()
        audit.record("meeting", meeting_id, "update", diff, names.normalize_text(reason))
    return get_meeting(meeting_id)


def _check_roll_on(meeting_id: int, day: dt.date, today: dt.date) -> None:
    roster = Roster()
    in_cell = {a.member_id for a in roster.attendees(day)}
    marked = marks_of([meeting_id]).get(meeting_id, {})
    if marked and day > today:
        raise ValidationFailed([Issue("meeting.date", _("buổi sinh hoạt đã điểm danh không thể dời sang ngày {date}, "
                                                        "sau hôm nay ({today}).").format(
            date=day.strftime("%d/%m/%Y"), today=today.strftime("%d/%m/%Y")))])
    outside = [m.full_name for m in roster.members if m.id in marked and m.id not in in_cell]
    if outside:
        raise ValidationFailed([Issue("meeting.date", _("ngày {date} các đồng chí sau không sinh hoạt tại chi bộ nhưng "
                                                        "đã được điểm danh: {names}.").format(
            date=day.strftime("%d/%m/%Y"), names=", ".join(outside)))])


def delete_meeting(meeting_id: int, reason: str = "") -> None:
    """Xóa buổi sinh hoạt entered by mistake; one whose minutes or resolution has a number stays."""
    from app.services import documents

    meeting = get_meeting(meeting_id)
    period_lock.check_open(meeting.date, _("Buổi sinh hoạt"))
    issued = documents.numbers_of_meeting(meeting_id)
    if issued:
        raise ValidationFailed([Issue("meeting.id", _("buổi sinh hoạt này đã có văn bản được cấp số ({numbers}), "
                                                      "không xóa được.").format(numbers=", ".join(issued)))])
    with database.atomic():
        mm.Attendance.delete().where(mm.Attendance.meeting == meeting_id).execute()
        mm.Meeting.delete().where(mm.Meeting.id == meeting_id).execute()
        audit.record("meeting", meeting_id, "delete", audit.diff(_audit_values(meeting), {}),
                     names.normalize_text(reason))


def _member_on_roll(meeting: Meeting, member_id: int) -> Attendee:
    member = member_service.get_member(member_id)
    issue = _membership_issue("attendance.member_id", member_id, meeting.date)
    if issue is not None:
        raise ValidationFailed([issue])
    placed = standing_on(member_service.status_history(member_id), meeting.date)
    return Attendee(member_id, member.full_name, names.sort_key(member.full_name), placed[0], placed[1])


def _check_held(meeting: Meeting, today: dt.date | None) -> None:
    """The roll is taken at or after the meeting: a planned meeting (dated after today) has no attendance yet."""
    today = today or dt.date.today()
    if meeting.date > today:
        raise ValidationFailed([Issue("attendance.meeting_id", _("buổi sinh hoạt ngày {date} chưa diễn ra (hôm nay "
                                                                 "là {today}), chưa điểm danh được.").format(
            date=meeting.date.strftime("%d/%m/%Y"), today=today.strftime("%d/%m/%Y")))])


def set_attendance(meeting_id: int, member_id: int, mark: Mark | str, *, reason: str = "",
                   today: dt.date | None = None) -> Attendee:
    """Điểm danh one member; returns the member's line as it now stands. A reason is kept for any absence.
    Clearing a mark (unmarked) is always allowed; any other mark waits until the meeting's day."""
    mark = parse_mark(mark)
    meeting = get_meeting(meeting_id)
    period_lock.check_open(meeting.date, _("Điểm danh buổi sinh hoạt"))
    if mark is not Mark.UNMARKED:
        _check_held(meeting, today)
    attendee = _member_on_roll(meeting, member_id)
    reason = "" if mark in (Mark.PRESENT, Mark.UNMARKED) else names.normalize_text(reason)
    old = marks_of([meeting_id]).get(meeting_id, {}).get(member_id)
    old_mark, old_reason = (old.mark, old.reason) if old else (Mark.UNMARKED, "")
    if (old_mark, old_reason) == (mark, reason):
        return dataclasses.replace(attendee, mark=mark, reason=reason)
    with database.atomic():
        if mark is Mark.UNMARKED:
            mm.delete_attendance(meeting_id, member_id)
        else:
            mm.upsert_attendance(meeting_id, member_id, mark.value, reason)
        audit.record("meeting", meeting_id, "attendance",
                     {"member_id": [member_id, member_id], "mark": [old_mark.value, mark.value],
                      "reason": [old_reason, reason]})
    return dataclasses.replace(attendee, mark=mark, reason=reason)


def mark_rest_present(meeting_id: int, today: dt.date | None = None) -> int:
    """Mark everyone still "chưa điểm danh" (exempt and temporary members aside) present; returns how many."""
    meeting = get_meeting(meeting_id)
    period_lock.check_open(meeting.date, _("Điểm danh buổi sinh hoạt"))
    _check_held(meeting, today)
    expected = (Standing.OFFICIAL, Standing.PROBATIONARY)
    rest = [a for a in attendees(meeting_id) if a.mark is Mark.UNMARKED and a.standing in expected]
    if not rest:
        return 0
    with database.atomic():
        for a in rest:
            mm.upsert_attendance(meeting_id, a.member_id, Mark.PRESENT.value, "")
        audit.record_many([audit.entry("meeting", meeting_id, "attendance",
                                       {"member_id": [a.member_id, a.member_id], "mark": ["unmarked", "present"]})
                           for a in rest])
    return len(rest)


def parse_mark(value: Mark | str) -> Mark:
    if isinstance(value, Mark):
        return value
    mark = names.choice(str(value), Mark, lambda m: (m.value, m.code, m.label))
    if mark is not None:
        return mark
    raise ValidationFailed([Issue("attendance.mark", _("«{value}» không phải cách điểm danh; chọn present, excused, "
                                                       "absent hoặc unmarked.").format(value=value))])
