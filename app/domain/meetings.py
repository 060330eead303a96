"""Sinh hoạt chi bộ: meeting kinds, attendance marks, the counts of R4 and the checks of R3, R5, R6."""
from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from app.domain import names
from app.domain.dates import Month
from app.domain.issues import ValidationReport
from app.domain.members import MemberStatus, StatusChange, status_on
from app.i18n import _


class MeetingKind(enum.StrEnum):
    """Loại buổi sinh hoạt (DOMAIN §3.2)."""

    REGULAR = "regular"
    THEMATIC = "thematic"
    COMBINED = "combined"
    EXTRAORDINARY = "extraordinary"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]()

    @property
    def short_label(self) -> str:
        """For narrow lists: the combined session is just "Kết hợp"."""
        return _("Kết hợp") if self is MeetingKind.COMBINED else self.label

    @property
    def is_regular(self) -> bool:
        """Counts as the month's regular meeting (a combined session holds the regular part too)."""
        return self in (MeetingKind.REGULAR, MeetingKind.COMBINED)

    @property
    def is_thematic(self) -> bool:
        return self in (MeetingKind.THEMATIC, MeetingKind.COMBINED)


_KIND_LABELS = {
    MeetingKind.REGULAR: lambda: _("Thường kỳ"),
    MeetingKind.THEMATIC: lambda: _("Chuyên đề"),
    MeetingKind.COMBINED: lambda: _("Thường kỳ kết hợp chuyên đề"),
    MeetingKind.EXTRAORDINARY: lambda: _("Bất thường"),
}


class Mark(enum.StrEnum):
    """Điểm danh of one member at one meeting; UNMARKED is never stored, it is the absence of a row."""

    UNMARKED = "unmarked"
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return _MARK_LABELS[self]()

    @property
    def code(self) -> str:
        """The letter on screen and in the register: C có mặt, P vắng có lý do (phép), K không lý do."""
        return {"present": "C", "excused": "P", "absent": "K", "unmarked": ""}[self.value]


_MARK_LABELS = {
    Mark.UNMARKED: lambda: _("Chưa điểm danh"),
    Mark.PRESENT: lambda: _("Có mặt"),
    Mark.EXCUSED: lambda: _("Vắng có lý do"),
    Mark.ABSENT: lambda: _("Vắng không lý do"),
}


class Standing(enum.StrEnum):
    """How a member counts at a meeting (R4, R12): in tổng số as official or probationary,
    exempt (in tổng số, not expected), or temporary (a separate list, outside tổng số)."""

    OFFICIAL = "official"
    PROBATIONARY = "probationary"
    EXEMPT = "exempt"
    TEMPORARY = "temporary"

    @property
    def label(self) -> str:
        return {
            Standing.OFFICIAL: _("Chính thức"), Standing.PROBATIONARY: _("Dự bị"),
            Standing.EXEMPT: _("Miễn sinh hoạt"), Standing.TEMPORARY: _("Sinh hoạt tạm thời"),
        }[self]


@dataclass(frozen=True)
class Attendee:
    """One member on a meeting's roll, with the standing in force on the meeting day."""

    member_id: int
    full_name: str
    sort_key: str
    standing: Standing
    official: bool
    mark: Mark = Mark.UNMARKED
    reason: str = ""

    @property
    def in_total(self) -> bool:
        return self.standing is not Standing.TEMPORARY


@dataclass(frozen=True)
class RecordedMark:
    """A mark as stored for one member at one meeting; a member without one is "chưa điểm danh"."""

    meeting_id: int
    member_id: int
    mark: Mark
    reason: str = ""


def standing_on(history: list[StatusChange], day: dt.date) -> tuple[Standing, bool] | None:
    """(standing, counted as official) on a day, or None when the member was not in the cell then.

    An exempt or temporary member still counts as official or probationary by the last of those
    two statuses before the day, which is what tổng số = chính thức + dự bị needs (R4).
    """
    status = status_on(history, day)
    if status is None or not status.in_cell:
        return None
    ranks = [c for c in history if c.effective_date <= day
             and c.status in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)]
    official = bool(ranks) and max(ranks, key=lambda c: (c.effective_date, c.id or 0)).status is MemberStatus.OFFICIAL
    standing = {
        MemberStatus.OFFICIAL: Standing.OFFICIAL, MemberStatus.PROBATIONARY: Standing.PROBATIONARY,
        MemberStatus.EXEMPT: Standing.EXEMPT, MemberStatus.TEMPORARY: Standing.TEMPORARY,
    }[status]
    return standing, official


@dataclass
class AttendanceCounts:
    """The attendance block of a meeting, computed, never typed (R4)."""

    total: int = 0
    official: int = 0
    probationary: int = 0
    exempt: int = 0
    exempt_absent: int = 0
    present: int = 0
    present_official: int = 0
    present_probationary: int = 0
    excused: int = 0
    absent: int = 0
    unmarked: int = 0
    temporary: int = 0
    temporary_present: int = 0
    excused_names: list[tuple[str, str]] = field(default_factory=list)
    absent_names: list[str] = field(default_factory=list)
    unmarked_names: list[str] = field(default_factory=list)

    @property
    def away(self) -> int:
        """Vắng mặt: with and without reason (exempt members who stay home are counted apart)."""
        return self.excused + self.absent

    @property
    def rate_base(self) -> int:
        """The attendance rate's denominator: tổng số minus exempt members who did not come (R4)."""
        return self.total - self.exempt_absent

    @property
    def rate_percent(self) -> float | None:
        return None if self.rate_base <= 0 else round(self.present * 100 / self.rate_base, 1)

    @property
    def complete(self) -> bool:
        return self.unmarked == 0

    def as_dict(self) -> dict:
        return {
            "tong_so": self.total, "chinh_thuc": self.official, "du_bi": self.probationary,
            "co_mat": self.present, "co_mat_chinh_thuc": self.present_official,
            "co_mat_du_bi": self.present_probationary, "vang_co_ly_do": self.excused,
            "vang_khong_ly_do": self.absent, "mien_sinh_hoat": self.exempt, "mien_sinh_hoat_vang": self.exempt_absent,
            "chua_diem_danh": self.unmarked, "sinh_hoat_tam_thoi": self.temporary,
            "sinh_hoat_tam_thoi_co_mat": self.temporary_present, "ty_le_du_hop": self.rate_percent,
        }


def expected_at(a: Attendee) -> bool:
    """Phải dự: counted in the attendance rate's base (R4). Everyone in tổng số, except an exempt
    member who stays home; an exempt member who comes counts like any other (24-QĐ/TW 9.3.2)."""
    return a.in_total and not (a.standing is Standing.EXEMPT and a.mark is not Mark.PRESENT)


# The register's codes for a member not simply marked (its legend explains them).
EXEMPT_CODE, TEMPORARY_CODE, OUTSIDE_CODE = "M", "T", "–"


def register_code(a: Attendee) -> str:
    """The letter of the attendance register for one member at one meeting, by the rule of expected_at."""
    if not a.in_total:
        return TEMPORARY_CODE
    if not expected_at(a):
        return EXEMPT_CODE
    return a.mark.code


def count_attendance(attendees: list[Attendee]) -> AttendanceCounts:
    """R4: tổng số = chính thức + dự bị; có mặt + vắng có lý do + vắng không lý do + miễn vắng
    (+ chưa điểm danh, while the roll is open) = tổng số; temporary members are counted apart."""
    c = AttendanceCounts()
    for a in sorted(attendees, key=lambda a: a.sort_key):
        if not a.in_total:
            c.temporary += 1
            c.temporary_present += a.mark is Mark.PRESENT
            continue
        c.total += 1
        c.official += a.official
        c.probationary += not a.official
        if a.mark is Mark.PRESENT:
            c.present += 1
            c.present_official += a.official
            c.present_probationary += not a.official
        elif not expected_at(a):
            # Exempt members are not expected; only their coming is counted (24-QĐ/TW 9.3.2).
            c.exempt_absent += 1
        elif a.mark is Mark.EXCUSED:
            c.excused += 1
            c.excused_names.append((a.full_name, a.reason))
        elif a.mark is Mark.ABSENT:
            c.absent += 1
            c.absent_names.append(a.full_name)
        else:
            c.unmarked += 1
            c.unmarked_names.append(a.full_name)
        c.exempt += a.standing is Standing.EXEMPT
    return c


# --- the meeting record ----------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2})\s*[:hg.]\s*(\d{2})\s*$", re.IGNORECASE)


class TimeParseError(ValueError):
    """The text is not an hour of the day written HH:MM."""


def parse_time(value: str | dt.time | None) -> dt.time | None:
    """19:30, 19h30, 7.05; empty gives None."""
    if value is None or isinstance(value, dt.time):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = _TIME.match(text)
    if not match:
        raise TimeParseError(text)
    try:
        return dt.time(int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise TimeParseError(text) from exc


def time_text(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def default_task_month(day: dt.date) -> Month:
    """The month whose tasks a meeting sets: a meeting in the first two thirds of a month reviews
    the month before and plans its own month; a late one reviews its month and plans the next."""
    return Month.of(day) if day.day < 20 else Month.of(day).add(1)


TEXT_FIELDS = ("place", "guests", "topic", "agenda", "assessment", "next_tasks", "assignments",
               "thematic_content", "discussion", "self_assessment", "conclusions")
VOTE_FIELDS = ("votes_for", "votes_against", "votes_other")


@dataclass
class Meeting:
    """Buổi sinh hoạt chi bộ: when and where, who led it, what was said and decided."""

    date: dt.date
    kind: MeetingKind = MeetingKind.REGULAR
    start: dt.time | None = None
    end: dt.time | None = None
    place: str = ""
    chair_id: int | None = None
    minute_taker_id: int | None = None
    guests: str = ""
    topic: str = ""
    task_month: Month | None = None
    agenda: str = ""
    assessment: str = ""
    next_tasks: str = ""
    assignments: str = ""
    thematic_content: str = ""
    discussion: str = ""
    self_assessment: str = ""
    conclusions: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    votes_other: int | None = None
    posted_to_handbook: bool = False
    id: int | None = None

    @property
    def duration_minutes(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    @property
    def tasks_for(self) -> Month:
        return self.task_month or default_task_month(self.date)

    @property
    def reviewed_month(self) -> Month:
        return self.tasks_for.add(-1)

    def normalized(self) -> "Meeting":
        """Texts NFC with their line breaks kept (minutes are written in paragraphs)."""
        values = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for name in TEXT_FIELDS:
            lines = [names.normalize_text(line) for line in (values[name] or "").splitlines()]
            values[name] = "\n".join(lines).strip()
        values["kind"] = MeetingKind(values["kind"])
        return Meeting(**values)


EARLIEST_MEETING = dt.date(1930, 2, 3)


def validate_meeting(meeting: Meeting) -> ValidationReport:
    """Errors stop the save (a meeting ending before it starts); nothing here is a calendar warning."""
    report = ValidationReport()
    if meeting.date < EARLIEST_MEETING:
        report.error("meeting.date", _("ngày {date} không hợp lý.").format(date=meeting.date.strftime("%d/%m/%Y")))
    duration = meeting.duration_minutes
    if duration is not None and duration <= 0:
        report.error("meeting.end", _("phải sau giờ bắt đầu ({start}), đang ghi {end}.").format(
            end=time_text(meeting.end), start=time_text(meeting.start)))
    if meeting.end is not None and meeting.start is None:
        report.error("meeting.start", _("đã có giờ kết thúc thì phải có giờ bắt đầu."))
    for name in VOTE_FIELDS:
        value = getattr(meeting, name)
        if value is not None and value < 0:
            report.error(f"meeting.{name}", _("không được là số âm."))
    return report


# --- votes (R6) --------------------------------------------------------------------------------

@dataclass(frozen=True)
class VoteResult:
    """The vote on the conclusion or resolution: only official members present vote (Điều lệ, R6)."""

    votes_for: int | None
    votes_against: int | None
    votes_other: int | None
    voters: int
    eligible: int

    @property
    def recorded(self) -> bool:
        return self.votes_for is not None

    @property
    def cast(self) -> int:
        return (self.votes_for or 0) + (self.votes_against or 0) + (self.votes_other or 0)

    @property
    def passed(self) -> bool:
        """More than half of the official members (24-QĐ/TW 9.3.2 exclusions taken out) approve."""
        return self.recorded and (self.votes_for or 0) * 2 > self.eligible


def vote_result(meeting: Meeting, attendees: list[Attendee]) -> VoteResult:
    official = [a for a in attendees if a.in_total and a.official]
    # Exempt members who stay home are taken out of the count (24-QĐ/TW 9.3.2).
    eligible = [a for a in official if not (a.standing is Standing.EXEMPT and a.mark is not Mark.PRESENT)]
    voters = [a for a in official if a.mark is Mark.PRESENT]
    return VoteResult(meeting.votes_for, meeting.votes_against, meeting.votes_other, len(voters), len(eligible))


# --- warnings for one meeting (R5) ------------------------------------------------------------

@dataclass(frozen=True)
class Thresholds:
    """The configurable numbers of R3 and R5 (settings meetings.*)."""

    min_minutes: int = 90
    min_minutes_combined: int = 120
    absence_months: int = 3
    large_cell_size: int = 0


def minimum_minutes(kind: MeetingKind, total: int, t: Thresholds) -> int:
    """42-HD: 90 minutes, 120 when the regular and thematic meetings are held together; some
    superiors ask 120 of cells with 30 members or more (large_cell_size, 0 = off)."""
    if kind is MeetingKind.COMBINED or (t.large_cell_size and total >= t.large_cell_size):
        return t.min_minutes_combined
    return t.min_minutes


def meeting_warnings(meeting: Meeting, attendees: list[Attendee], t: Thresholds) -> list[str]:
    """What the secretary should look at before printing; never a reason to refuse the save."""
    counts = count_attendance(attendees)
    warnings = []
    duration = meeting.duration_minutes
    needed = minimum_minutes(meeting.kind, counts.total, t)
    if duration is None:
        warnings.append(_("Chưa ghi giờ bắt đầu và kết thúc, nên chưa biết thời lượng."))
    elif duration < needed:
        warnings.append(_("Thời lượng {minutes} phút, ít hơn mức tối thiểu {needed} phút.").format(
            minutes=duration, needed=needed))
    if counts.unmarked:
        warnings.append(_("Còn {count} đồng chí chưa điểm danh.").format(count=counts.unmarked))
    missing_reason = [name for name, reason in counts.excused_names if not reason]
    if missing_reason:
        warnings.append(_("Chưa ghi lý do vắng của: {names}.").format(names=", ".join(missing_reason)))
    warnings += _role_warnings(meeting, attendees)
    warnings += _vote_warnings(meeting, attendees)
    if meeting.kind.is_thematic and not meeting.topic:
        warnings.append(_("Chưa ghi chủ đề sinh hoạt chuyên đề."))
    if not meeting.posted_to_handbook:
        warnings.append(_("Chưa đánh dấu đã đăng tài liệu lên Sổ tay đảng viên điện tử trước ít nhất 1 ngày."))
    return warnings


def _role_warnings(meeting: Meeting, attendees: list[Attendee]) -> list[str]:
    by_id = {a.member_id: a for a in attendees}
    warnings = []
    for field_name, label in (("chair_id", _("chủ trì")), ("minute_taker_id", _("thư ký"))):
        member_id = getattr(meeting, field_name)
        if member_id is None:
            warnings.append(_("Chưa chọn người {role}.").format(role=label))
        elif member_id in by_id and by_id[member_id].mark not in (Mark.PRESENT, Mark.UNMARKED):
            warnings.append(_("Người {role} ({name}) đang được điểm danh là vắng.").format(
                role=label, name=by_id[member_id].full_name))
    return warnings


def _vote_warnings(meeting: Meeting, attendees: list[Attendee]) -> list[str]:
    vote = vote_result(meeting, attendees)
    if not vote.recorded:
        return [_("Chưa ghi kết quả biểu quyết.")] if meeting.conclusions else []
    warnings = []
    if vote.cast > vote.voters:
        warnings.append(_("Số phiếu biểu quyết ({cast}) nhiều hơn số đảng viên chính thức có mặt ({voters}).").format(
            cast=vote.cast, voters=vote.voters))
    if not vote.passed:
        warnings.append(_("Số tán thành ({yes}) chưa quá một nửa số đảng viên chính thức ({eligible}): "
                          "kết luận, nghị quyết chưa có giá trị.").format(yes=vote.votes_for, eligible=vote.eligible))
    return warnings


# --- the year's calendar (R5) and absences (R3) -----------------------------------------------

def calendar_warnings(meetings: list[Meeting], year: int, today: dt.date) -> list[str]:
    """A month without a regular meeting, a quarter without a thematic one; only for months that
    are over (the current month and quarter still have time)."""
    current = Month.of(today)
    warnings = []
    regular = {Month.of(m.date) for m in meetings if m.kind.is_regular}
    thematic = {(m.date.month - 1) // 3 + 1 for m in meetings if m.kind.is_thematic and m.date.year == year}
    for month in range(1, 13):
        if Month(year, month) < current and Month(year, month) not in regular:
            warnings.append(_("Tháng {month}/{year} không có buổi sinh hoạt thường kỳ.").format(month=month, year=year))
    for quarter in range(1, 5):
        if Month(year, quarter * 3) < current and quarter not in thematic:
            warnings.append(_("Quý {quarter}/{year} không có buổi sinh hoạt chuyên đề.").format(
                quarter=quarter, year=year))
    return warnings


# The best record of a month wins: present at any regular meeting of the month beats the rest.
_MONTH_ORDER = (Mark.PRESENT, Mark.EXCUSED, Mark.ABSENT, Mark.UNMARKED)


def month_mark(marks: list[Mark]) -> Mark:
    """One month's attendance from its regular meetings: absent without reason only if every record is."""
    for mark in _MONTH_ORDER:
        if mark in marks:
            return mark
    return Mark.UNMARKED


@dataclass
class AbsenceRecord:
    """One member's year (R3): months absent without reason, months absent with reason."""

    member_id: int
    full_name: str
    sort_key: str
    absent_months: list[Month] = field(default_factory=list)
    excused_months: list[Month] = field(default_factory=list)

    @property
    def absent_count(self) -> int:
        return len(self.absent_months)

    @property
    def excused_count(self) -> int:
        return len(self.excused_months)

    def longest_excused_run(self) -> int:
        return longest_run(self.excused_months)

    def longest_absent_run(self) -> int:
        return longest_run(self.absent_months)


def longest_run(months: list[Month]) -> int:
    best = run = 0
    previous: Month | None = None
    for month in sorted(months):
        run = run + 1 if previous is not None and previous.add(1) == month else 1
        best = max(best, run)
        previous = month
    return best


def absence_records(month_marks: dict[int, dict[Month, Mark]], people: dict[int, tuple[str, str]]) -> list[AbsenceRecord]:
    """R3 over a year: month_marks[member][month] holds the month's mark for members expected that
    month (exempt, temporary and not-yet-admitted months are simply not there)."""
    records = []
    for member_id, months in month_marks.items():
        name, key = people[member_id]
        record = AbsenceRecord(member_id, name, key)
        for month, mark in sorted(months.items()):
            if mark is Mark.ABSENT:
                record.absent_months.append(month)
            elif mark is Mark.EXCUSED:
                record.excused_months.append(month)
        records.append(record)
    return sorted(records, key=lambda r: r.sort_key)
