"""The meetings' checks: warnings on a meeting and on a year (R5), absences (R3), the year's register."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.domain.dates import Month
from app.domain.meetings import (
    AbsenceRecord,
    Mark,
    Meeting,
    Standing,
    absence_records,
    calendar_warnings,
    count_attendance,
    meeting_warnings,
    minimum_minutes,
    month_mark,
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
class RegisterRow:
    """One member's line in the year's register: a code per month and the totals."""

    member_id: int
    full_name: str
    sort_key: str
    months: dict[int, str] = field(default_factory=dict)
    present: int = 0
    excused: int = 0
    absent: int = 0


@dataclass
class YearRegister:
    """Sổ theo dõi dự sinh hoạt: members × months, from the regular meetings of each month."""

    year: int
    meeting_months: set[int]
    rows: list[RegisterRow]
    month_present: dict[int, int]
    month_expected: dict[int, int]
    records: list[AbsenceRecord]


# Codes printed for a month where the member was not simply marked (legend on the register).
EXEMPT_CODE, TEMPORARY_CODE, OUTSIDE_CODE = "M", "T", "–"


def _regular_by_month(year: int) -> dict[int, list[Meeting]]:
    by_month: dict[int, list[Meeting]] = {}
    for m in meeting_service.meetings_in(year):
        if m.kind.is_regular:
            by_month.setdefault(m.date.month, []).append(m)
    return by_month


def _month_entries(roster: Roster, meetings: list[Meeting], marks: dict) -> dict[int, list[tuple[Standing, Mark]]]:
    """member → [(standing, mark)] over the month's regular meetings the member was in the cell for."""
    entries: dict[int, list[tuple[Standing, Mark]]] = {}
    for m in meetings:
        for a in roster.attendees(m.date, marks.get(m.id, {})):
            entries.setdefault(a.member_id, []).append((a.standing, a.mark))
    return entries


def _code(entries: list[tuple[Standing, Mark]]) -> tuple[str, Mark | None]:
    """The register's code for one month and the mark R3 counts (None: the member was not expected)."""
    expected = [mark for standing, mark in entries if standing in (Standing.OFFICIAL, Standing.PROBATIONARY)]
    if expected:
        mark = month_mark(expected)
        return mark.code, mark
    if any(mark is Mark.PRESENT for _standing, mark in entries):
        return Mark.PRESENT.code, None
    return (EXEMPT_CODE if any(s is Standing.EXEMPT for s, _m in entries) else TEMPORARY_CODE), None


def year_register(year: int, roster: Roster | None = None) -> YearRegister:
    roster = roster or Roster()
    by_month = _regular_by_month(year)
    marks = marks_of([m.id for ms in by_month.values() for m in ms])
    rows: dict[int, RegisterRow] = {}
    month_marks: dict[int, dict[Month, Mark]] = {}
    present = {month: 0 for month in by_month}
    expected = {month: 0 for month in by_month}
    for month, meetings in sorted(by_month.items()):
        for member_id, entries in _month_entries(roster, meetings, marks).items():
            code, counted = _code(entries)
            row = rows.setdefault(member_id, RegisterRow(member_id, "", ""))
            row.months[month] = code
            present[month] += code == Mark.PRESENT.code
            if counted is not None:
                expected[month] += 1
                month_marks.setdefault(member_id, {})[Month(year, month)] = counted
                row.present += counted is Mark.PRESENT
                row.excused += counted is Mark.EXCUSED
                row.absent += counted is Mark.ABSENT
    people = {m.id: (m.full_name, roster.sort_keys[m.id]) for m in roster.members}
    for member_id, row in rows.items():
        row.full_name, row.sort_key = people[member_id]
        for month in by_month:
            row.months.setdefault(month, OUTSIDE_CODE)
    records = absence_records(month_marks, people)
    return YearRegister(year, set(by_month), sorted(rows.values(), key=lambda r: r.sort_key), present, expected,
                        records)


def absence_report(year: int, roster: Roster | None = None) -> list[AbsenceRecord]:
    """R3: each member's months absent without reason (and with reason) at the regular meetings of a year."""
    return year_register(year, roster).records
