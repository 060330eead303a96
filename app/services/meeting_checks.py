"""The meetings' checks: warnings on a meeting and on a year (R5), absences (R3), the year's register."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.domain.dates import Month
from app.domain.meetings import (
    OUTSIDE_CODE,
    AbsenceRecord,
    AttendanceCounts,
    Attendee,
    Mark,
    Meeting,
    Standing,
    absence_records,
    calendar_warnings,
    count_attendance,
    meeting_warnings,
    minimum_minutes,
    month_mark,
    register_code,
)
from app.i18n import _
from app.services import meetings as meeting_service
from app.services.meetings import Roster, marks_of


def warnings_for(meeting_id: int) -> list[str]:
    """What to look at before printing this meeting's documents."""
    meeting = meeting_service.get_meeting(meeting_id)
    return meeting_warnings(meeting, meeting_service.attendees(meeting_id), meeting_service.thresholds())


def year_warnings(year: int, today: dt.date) -> list[str]:
    """The year at a glance: missing regular and thematic meetings, short meetings, absence flags."""
    meetings = meeting_service.meetings_in(year)
    t = meeting_service.thresholds()
    warnings = calendar_warnings(meetings, year, today)
    roster = Roster()
    marks = marks_of([m.id for m in meetings])
    for m in meetings:
        counts = count_attendance(roster.attendees(m.date, marks.get(m.id, {})))
        needed = minimum_minutes(m.kind, counts.total, t)
        if m.duration_minutes is not None and m.duration_minutes < needed:
            warnings.append(_("Buổi {kind} ngày {date}: {minutes} phút, ít hơn {needed} phút.").format(
                kind=m.kind.label.lower(), date=m.date.strftime("%d/%m/%Y"), minutes=m.duration_minutes,
                needed=needed))
        if counts.unmarked and m.date <= today:
            warnings.append(_("Buổi ngày {date}: còn {count} đồng chí chưa điểm danh.").format(
                date=m.date.strftime("%d/%m/%Y"), count=counts.unmarked))
    for record in flagged(absence_report(year, roster), t.absence_months):
        warnings.append(_("Đồng chí {name} vắng sinh hoạt không lý do {count} tháng trong năm {year}: đề nghị chi bộ "
                          "xem xét xóa tên.").format(name=record.full_name, count=record.absent_count, year=year))
    return warnings


def flagged(records: list[AbsenceRecord], months: int) -> list[AbsenceRecord]:
    return [r for r in records if months and r.absent_count >= months]


@dataclass
class RegisterColumn:
    """One meeting in the year's register, with the very counts its minutes print (count_attendance)."""

    meeting: Meeting
    counts: AttendanceCounts


@dataclass
class RegisterRow:
    """One member's line in the year's register: a code per meeting (by meeting id)."""

    member_id: int
    full_name: str
    sort_key: str
    codes: dict[int, str] = field(default_factory=dict)
    absent_months: int = 0

    def totals(self, meeting_ids: list[int]) -> tuple[int, int, int]:
        """(có mặt, vắng có lý do, vắng không lý do) over these meetings: the meetings the member was
        expected at (register_code gives M, T or – where she was not), so they add up with each column."""
        codes = [self.codes.get(i, "") for i in meeting_ids]
        return codes.count(Mark.PRESENT.code), codes.count(Mark.EXCUSED.code), codes.count(Mark.ABSENT.code)


@dataclass
class YearRegister:
    """Sổ theo dõi đảng viên dự sinh hoạt: members × every meeting of the year, by date."""

    year: int
    columns: list[RegisterColumn]
    rows: list[RegisterRow]
    records: list[AbsenceRecord]


def _r3_months(rolls: list[tuple[Meeting, list[Attendee]]]) -> dict[int, dict[Month, Mark]]:
    """R3's input: each member's month marks at the regular meetings, only where expected as official
    or probationary (months exempt, temporary or outside the cell are skipped)."""
    by_month: dict[int, dict[Month, list[Mark]]] = {}
    for m, attendees in rolls:
        if not m.kind.is_regular:
            continue
        for a in attendees:
            if a.standing in (Standing.OFFICIAL, Standing.PROBATIONARY):
                by_month.setdefault(a.member_id, {}).setdefault(Month.of(m.date), []).append(a.mark)
    return {member: {month: month_mark(found) for month, found in months.items()}
            for member, months in by_month.items()}


def year_register(year: int, roster: Roster | None = None) -> YearRegister:
    """Every meeting of the year as a column; a member's line holds a code wherever she was in the cell."""
    roster = roster or Roster()
    meetings = meeting_service.meetings_in(year)
    marks = marks_of([m.id for m in meetings])
    rows: dict[int, RegisterRow] = {}
    columns = []
    rolls = [(m, roster.attendees(m.date, marks.get(m.id, {}))) for m in meetings]
    for m, attendees in rolls:
        columns.append(RegisterColumn(m, count_attendance(attendees)))
        for a in attendees:
            rows.setdefault(a.member_id, RegisterRow(a.member_id, a.full_name, a.sort_key)).codes[m.id] = \
                register_code(a)
    for row in rows.values():
        for m in meetings:
            row.codes.setdefault(m.id, OUTSIDE_CODE)
    people = {m.id: (m.full_name, roster.sort_keys[m.id]) for m in roster.members}
    records = absence_records(_r3_months(rolls), people)
    for record in records:
        if record.member_id in rows:
            rows[record.member_id].absent_months = record.absent_count
    return YearRegister(year, columns, sorted(rows.values(), key=lambda r: r.sort_key), records)


def absence_report(year: int, roster: Roster | None = None) -> list[AbsenceRecord]:
    """R3: each member's months absent without reason (and with reason) at the regular meetings of a year."""
    return year_register(year, roster).records
