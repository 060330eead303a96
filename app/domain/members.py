"""Đảng viên: the member record, its statuses and the rules that check it."""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, fields

from app.domain import names, stat_codes
from app.domain.dates import format_date, years_between
from app.domain.issues import Issue, Severity, ValidationReport  # noqa: F401 - re-exported for older imports
from app.i18n import _


class Sex(enum.StrEnum):
    MALE = "nam"
    FEMALE = "nu"

    @property
    def label(self) -> str:
        return _("Nam") if self is Sex.MALE else _("Nữ")


class MemberStatus(enum.StrEnum):
    """Tình trạng đảng viên; each change is a dated event in the member's history."""

    PROBATIONARY = "du_bi"
    OFFICIAL = "chinh_thuc"
    EXEMPT = "mien_sinh_hoat"
    TEMPORARY = "tam_thoi"
    TRANSFERRED_OUT = "chuyen_di"
    REMOVED = "xoa_ten"
    EXPELLED = "khai_tru"
    RESIGNED = "ra_khoi_dang"
    DECEASED = "tu_tran"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]()

    @property
    def in_cell(self) -> bool:
        """Still on the cell's roster (đang sinh hoạt tại chi bộ, including exempt and temporary)."""
        return self in ACTIVE_STATUSES


ACTIVE_STATUSES = frozenset(
    {MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL, MemberStatus.EXEMPT, MemberStatus.TEMPORARY}
)

_STATUS_LABELS = {
    MemberStatus.PROBATIONARY: lambda: _("Dự bị"),
    MemberStatus.OFFICIAL: lambda: _("Chính thức"),
    MemberStatus.EXEMPT: lambda: _("Miễn công tác và sinh hoạt"),
    MemberStatus.TEMPORARY: lambda: _("Sinh hoạt tạm thời"),
    MemberStatus.TRANSFERRED_OUT: lambda: _("Chuyển đi"),
    MemberStatus.REMOVED: lambda: _("Xóa tên"),
    MemberStatus.EXPELLED: lambda: _("Khai trừ"),
    MemberStatus.RESIGNED: lambda: _("Xin ra khỏi Đảng"),
    MemberStatus.DECEASED: lambda: _("Từ trần"),
}


@dataclass
class Member:
    """Hồ sơ đảng viên as the secretary keeps it (DOMAIN §4.4)."""

    full_name: str = ""
    sex: Sex | None = None
    birth_date: dt.date | None = None
    ethnicity: str = ""
    religion: str = ""
    home_town: str = ""
    residence: str = ""
    occupation: str = ""
    education: str = ""
    professional_level: str = ""
    political_theory: str = ""
    admission_date: dt.date | None = None
    ceremony_date: dt.date | None = None
    official_date: dt.date | None = None
    card_number: str = ""
    member_code: str = ""
    citizen_id: str = ""
    phone: str = ""
    party_post: str = ""
    notes: str = ""
    occupation_group: str = ""  # the statistics forms' code (app.domain.stat_codes.OCCUPATION_GROUPS)
    youth_union: bool | None = None  # đoàn viên TNCS Hồ Chí Minh; None when not recorded
    id: int | None = None
    status: MemberStatus | None = None
    archived: bool = False

    def normalized(self) -> Member:
        """A copy with every text NFC and trimmed, and the name capitalised."""
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and not isinstance(value, enum.Enum) and f.name != "occupation_group":
                value = _normalize_lines(value) if f.name in MULTILINE_FIELDS else names.normalize_text(value)
            values[f.name] = value
        values["full_name"] = names.normalize_name(values["full_name"])
        values["card_number"] = values["card_number"].replace(" ", "")
        return Member(**values)


# Kept with their line breaks: a note typed on several lines is read back on several lines.
MULTILINE_FIELDS = frozenset({"notes"})


def _normalize_lines(text: str) -> str:
    lines = [names.normalize_text(line) for line in text.splitlines()]
    return "\n".join(lines).strip("\n")


# The fields the secretary edits, in form order; id/status/archived are kept by the services.
EDITABLE_FIELDS = tuple(f.name for f in fields(Member) if f.name not in {"id", "status", "archived"})
DATE_FIELDS = ("birth_date", "admission_date", "ceremony_date", "official_date")

# The labels live in app/domain/labels.py under keys with their area ("member.full_name").


# Quy định 294-QĐ/TW: admission age 18–60 when the cell considers the case (older needs the province).
ADMISSION_MIN_AGE = 18
ADMISSION_MAX_AGE = 60
# Below this age a date is mistyped, not an exception the province approved.
IMPOSSIBLE_ADMISSION_AGE = 16
EARLIEST_PLAUSIBLE_DATE = dt.date(1900, 1, 1)
# The Party was founded on 03/02/1930; no admission can be earlier.
PARTY_FOUNDED = dt.date(1930, 2, 3)


def validate_member(member: Member, today: dt.date) -> ValidationReport:
    """Check one record on its own; uniqueness against other members is the service's job."""
    report = ValidationReport()
    if not member.full_name:
        report.error("member.full_name", _("chưa nhập họ và tên."))
    elif len(member.full_name.split()) < 2:
        report.warn("member.full_name", _("họ và tên thường có ít nhất hai chữ."))
    for name in DATE_FIELDS:
        value = getattr(member, name)
        if value is None:
            continue
        if value > today:
            report.error(f"member.{name}", _("ngày {date} ở tương lai.").format(date=value.strftime("%d/%m/%Y")))
        elif value < EARLIEST_PLAUSIBLE_DATE:
            report.error(f"member.{name}", _("ngày {date} không hợp lý.").format(date=value.strftime("%d/%m/%Y")))
    if member.occupation_group and not stat_codes.is_code(stat_codes.OCCUPATION_GROUPS, member.occupation_group):
        report.error("member.occupation_group", _("«{code}» không phải nhóm nghề nghiệp của biểu thống kê.").format(
            code=member.occupation_group))
    _check_order(member, report)
    _check_admission_age(member, report)
    return report


def _check_order(member: Member, report: ValidationReport) -> None:
    admitted = member.admission_date
    if admitted and admitted < PARTY_FOUNDED:
        report.error("member.admission_date", _("ngày vào Đảng không thể trước ngày thành lập Đảng (03/02/1930)."))
    if admitted and member.birth_date and admitted <= member.birth_date:
        report.error("member.admission_date", _("ngày vào Đảng phải sau ngày sinh."))
    if member.official_date and admitted and member.official_date <= admitted:
        report.error("member.official_date", _("ngày chính thức phải sau ngày vào Đảng."))
    if member.official_date and not admitted:
        report.error("member.admission_date", _("đã có ngày chính thức thì phải có ngày vào Đảng."))
    if member.ceremony_date and admitted and member.ceremony_date < admitted:
        report.warn("member.ceremony_date", _("lễ kết nạp thường tổ chức sau ngày quyết định kết nạp."))


def _check_admission_age(member: Member, report: ValidationReport) -> None:
    # The vote date is not kept on the roster; the admission decision follows it closely.
    if not (member.birth_date and member.admission_date):
        return
    age = years_between(member.birth_date, member.admission_date)
    if age < IMPOSSIBLE_ADMISSION_AGE:
        report.error("member.admission_date", _("tuổi khi kết nạp là {age}: không thể đúng, hãy xem lại ngày sinh "
                                                "và ngày vào Đảng.").format(age=age))
    elif age < ADMISSION_MIN_AGE or age > ADMISSION_MAX_AGE:
        report.warn(
            "member.admission_date",
            _("tuổi khi kết nạp là {age}, ngoài khoảng 18–60 tuổi (trên 60 cần cấp tỉnh đồng ý).").format(
                age=age
            ),
        )


@dataclass(frozen=True)
class StatusChange:
    """One dated entry of the member's status history; entries are never overwritten."""

    status: MemberStatus
    effective_date: dt.date
    reason: str = ""
    id: int | None = None
    recorded_at: dt.datetime | None = None
    kind: str = ""  # how the statistics count it (app.domain.member_events.EntryKind), "" when not given
    scope: str = ""  # a transfer's scope (app.domain.member_events.Scope)


def current_status(history: list[StatusChange]) -> MemberStatus | None:
    """The status in force: the latest by date, and among one day's entries the last recorded."""
    if not history:
        return None
    return max(history, key=lambda c: (c.effective_date, c.id or 0)).status


def transition_problem(current: MemberStatus | None, new: MemberStatus, rank: MemberStatus | None = None) -> str:
    """Why a status cannot follow the one in force, or "" when it can; rank is chính thức or dự bị then
    (rank_on), which an exemption or a temporary stay does not change."""
    if current is MemberStatus.DECEASED:
        return _("đồng chí đã từ trần; không ghi thêm tình trạng nào sau đó.")
    if current is MemberStatus.OFFICIAL and new is MemberStatus.PROBATIONARY:
        return _("đảng viên chính thức không trở lại dự bị.")
    # Điều lệ Đảng, Điều 35 (DOMAIN §4.8): a probationary member is only reprimanded or warned.
    if new is MemberStatus.EXPELLED and (rank or current) is MemberStatus.PROBATIONARY:
        return _("đảng viên dự bị không bị khai trừ: chỉ có thể bị khiển trách hoặc cảnh cáo; nếu không còn đủ "
                 "tư cách đảng viên thì chi bộ xét xóa tên.")
    return ""


def status_on(history: list[StatusChange], day: dt.date) -> MemberStatus | None:
    """The status in force on a given day; None before the first entry (not yet a member here)."""
    return current_status([c for c in history if c.effective_date <= day])


# Statuses after which the person is no longer in the Party: a dự bị entry after one is a re-admission.
LEFT_PARTY = frozenset({MemberStatus.REMOVED, MemberStatus.EXPELLED, MemberStatus.RESIGNED})


def rank_on(history: list[StatusChange], day: dt.date) -> MemberStatus | None:
    """Chính thức or dự bị on a day, whatever else is in force then (an exemption keeps the rank)."""
    ranks = (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)
    return current_status([c for c in history if c.effective_date <= day and c.status in ranks])


def probation_start(member: Member, history: list[StatusChange]) -> dt.date | None:
    """The day the 12 months of probation count from: the admission ceremony, else the admission decision
    (DOMAIN §4.1), or a re-admission recorded after the member had left the Party (§4.1, once only)."""
    start = member.ceremony_date or member.admission_date
    ordered = sorted(history, key=lambda c: (c.effective_date, c.id or 0))
    for before, after in zip(ordered, ordered[1:]):
        if after.status is MemberStatus.PROBATIONARY and before.status in LEFT_PARTY:
            if start is None or after.effective_date > start:
                start = after.effective_date
    return start


def probation_end(member: Member, history: list[StatusChange]) -> dt.date | None:
    """Hết 12 tháng dự bị: the member is official from this day if the cell recognises them (R7)."""
    start = probation_start(member, history)
    if start is None:
        return None
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 29/02: twelve months later is the last day of February
        return start.replace(year=start.year + 1, day=28)


def is_recognition(history: list[StatusChange], new: MemberStatus, day: dt.date) -> bool:
    """Công nhận đảng viên chính thức: chính thức for a member still dự bị then (not one coming back from
    an exemption or a temporary stay, who is official already)."""
    if new is not MemberStatus.OFFICIAL:
        return False
    return (rank_on(history, day) or rank_on(history, dt.date.max)) is not MemberStatus.OFFICIAL


def probation_note(member: Member, history: list[StatusChange]) -> str:
    """What the secretary should know before recording an official membership."""
    start, end = probation_start(member, history), probation_end(member, history)
    if end is None:
        return _("Đảng viên dự bị được công nhận chính thức khi đủ 12 tháng dự bị, tính từ ngày lễ kết nạp; hồ sơ "
                 "này chưa có ngày lễ kết nạp hay ngày vào Đảng.")
    return _("Đảng viên dự bị được công nhận chính thức khi đủ 12 tháng dự bị, tính từ ngày lễ kết nạp "
             "({start}): từ ngày {end}. Ngày chính thức là ngày đủ 12 tháng, dù chi bộ họp xét muộn hơn; chi bộ "
             "xét trong 30 ngày làm việc sau ngày đó.").format(start=format_date(start), end=format_date(end))


def status_change_report(member: Member, history: list[StatusChange], new: MemberStatus, *,
                         effective_date: dt.date, today: dt.date, vote_date: dt.date | None = None
                         ) -> ValidationReport:
    """What the rules say of recording `new` from effective_date: errors refuse it, warnings inform.
    Fields left empty are not judged here (status_change_missing says what is missing)."""
    report = ValidationReport()
    rank = rank_on(history, effective_date) or rank_on(history, dt.date.max)
    problem = transition_problem(member.status, new, rank)
    if problem:
        report.error("member.status", problem)
    if effective_date > today:
        report.error("member.effective_date", _("ngày thay đổi không được ở tương lai."))
    start = member.admission_date or member.ceremony_date
    if start and effective_date < start:
        report.error("member.effective_date", _("ngày thay đổi không được trước ngày vào Đảng."))
    if is_recognition(history, new, effective_date):
        _check_recognition(report, member, history, effective_date, vote_date, today)
    return report


def _check_recognition(report: ValidationReport, member: Member, history: list[StatusChange],
                       effective_date: dt.date, vote_date: dt.date | None, today: dt.date) -> None:
    end = probation_end(member, history)
    if end is None:
        report.error("member.status", _("hồ sơ chưa có ngày lễ kết nạp hay ngày vào Đảng nên chưa tính được 12 tháng "
                                        "dự bị; hãy ghi ngày đó vào hồ sơ trước."))
    elif effective_date < end:
        report.error("member.effective_date", _("chỉ được công nhận chính thức từ ngày {date}, đủ 12 tháng dự "
                                                "bị.").format(date=format_date(end)))
    elif effective_date > end:
        report.warn("member.effective_date", _("ngày chính thức là ngày đủ 12 tháng dự bị ({date}), dù chi bộ họp "
                                               "xét muộn hơn.").format(date=format_date(end)))
    if vote_date is None:
        return
    if vote_date > today:
        report.error("member.vote_date", _("ngày biểu quyết không được ở tương lai."))
    elif end is not None and vote_date < end:
        report.warn("member.vote_date", _("chi bộ xét công nhận chính thức khi đã hết 12 tháng dự bị ({date}).").format(
            date=format_date(end)))


def status_change_missing(recognition: bool, reason: str, vote_date: dt.date | None) -> ValidationReport:
    """The fields a status change cannot be recorded without."""
    report = ValidationReport()
    if recognition and vote_date is None:
        report.error("member.vote_date", _("cần ghi ngày chi bộ họp biểu quyết công nhận đảng viên chính thức."))
    if not reason and not recognition:
        report.error("member.reason", _("cần ghi lý do thay đổi tình trạng."))
    return report


def status_reason(recognition: bool, reason: str, vote_date: dt.date | None) -> str:
    """The reason kept in the history; the cell's vote date leads it (the history has no column for it)."""
    if recognition and not reason:
        reason = _("Công nhận đảng viên chính thức")
    if vote_date is None:
        return reason
    return _("Chi bộ biểu quyết ngày {date}; {reason}").format(date=format_date(vote_date), reason=reason)


class JoinedCell(enum.StrEnum):
    """How a new record began its activity in this cell (bắt đầu sinh hoạt tại chi bộ)."""

    ADMITTED = "admitted"  # kết nạp tại chi bộ
    TRANSFERRED = "transferred"  # chuyển đến từ nơi khác, with a letter (DOMAIN §4.5)

    @property
    def label(self) -> str:
        return _("Kết nạp tại chi bộ") if self is JoinedCell.ADMITTED else _("Chuyển đến từ nơi khác")


@dataclass(frozen=True)
class Joining:
    """Bắt đầu sinh hoạt tại chi bộ: admitted here, or come with a giấy giới thiệu chuyển sinh hoạt đảng
    (its number and date; the date is the day the member's activity here begins)."""

    how: JoinedCell = JoinedCell.ADMITTED
    transfer_number: str = ""
    transfer_date: dt.date | None = None
    scope: str = ""  # where the member came from: app.domain.member_events.Scope ('tinh_khac', 'trong_tinh')


def joining_report(member: Member, joining: Joining, today: dt.date) -> ValidationReport:
    """What a new record needs for its history to start: the admission date when admitted here, the
    arrival date (after the admission) when transferred in."""
    report = ValidationReport()
    if joining.how is JoinedCell.ADMITTED:
        if member.admission_date is None:
            report.error("member.admission_date", _("cần ghi khi đồng chí được kết nạp tại chi bộ."))
        return report
    arrived = joining.transfer_date
    if arrived is None:
        report.error("member.transfer_date", _("cần ghi ngày chuyển đến (ngày của giấy giới thiệu)."))
    elif arrived > today:
        report.error("member.transfer_date", _("ngày {date} ở tương lai.").format(date=format_date(arrived)))
    elif member.admission_date and arrived < member.admission_date:
        report.error("member.transfer_date", _("ngày chuyển đến phải sau ngày vào Đảng."))
    if joining.scope not in ("", "tinh_khac", "trong_tinh"):
        report.error("member.scope", _("«{scope}» không phải nơi chuyển; chọn tinh_khac hoặc trong_tinh.").format(
            scope=joining.scope))
    return report


def initial_history(member: Member, today: dt.date, joining: Joining | None = None) -> list[StatusChange]:
    """The history a new record starts with. Admitted here (or not said, as in an import): dự bị from the
    ceremony or admission date (today when neither is known), chính thức from the official date.
    Transferred in: from the arrival date, with the status held then, so earlier rolls and fee months
    of this cell do not count the member."""
    if joining is not None and joining.how is JoinedCell.TRANSFERRED and joining.transfer_date is not None:
        return _transferred_history(member, joining)
    admitted = member.ceremony_date or member.admission_date or today
    changes = [StatusChange(MemberStatus.PROBATIONARY, admitted, _("Kết nạp vào Đảng"), kind="ket_nap")]
    if member.official_date:
        changes.append(StatusChange(MemberStatus.OFFICIAL, member.official_date, _("Công nhận đảng viên chính thức")))
    return changes


def _transferred_history(member: Member, joining: Joining) -> list[StatusChange]:
    arrived = joining.transfer_date
    official = member.official_date is not None and member.official_date <= arrived
    if joining.transfer_number:
        reason = _("Chuyển đến, giấy giới thiệu số {number} ngày {date}").format(
            number=joining.transfer_number, date=format_date(arrived))
    else:
        reason = _("Chuyển đến, giấy giới thiệu ngày {date}").format(date=format_date(arrived))
    changes = [StatusChange(MemberStatus.OFFICIAL if official else MemberStatus.PROBATIONARY, arrived, reason,
                            kind="chuyen_den", scope=joining.scope)]
    if member.official_date and not official:
        changes.append(StatusChange(MemberStatus.OFFICIAL, member.official_date, _("Công nhận đảng viên chính thức")))
    return changes
