"""Đảng viên: the member record, its statuses and the rules that check it."""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, fields

from app.domain import names
from app.domain.dates import years_between
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
    id: int | None = None
    status: MemberStatus | None = None
    archived: bool = False

    def normalized(self) -> "Member":
        """A copy with every text NFC and trimmed, and the name capitalised."""
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and not isinstance(value, enum.Enum):
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

FIELD_LABELS = {
    "full_name": lambda: _("Họ và tên"),
    "sex": lambda: _("Giới tính"),
    "birth_date": lambda: _("Ngày sinh"),
    "ethnicity": lambda: _("Dân tộc"),
    "religion": lambda: _("Tôn giáo"),
    "home_town": lambda: _("Quê quán"),
    "residence": lambda: _("Nơi cư trú"),
    "occupation": lambda: _("Nghề nghiệp"),
    "education": lambda: _("Trình độ học vấn"),
    "professional_level": lambda: _("Trình độ chuyên môn"),
    "political_theory": lambda: _("Lý luận chính trị"),
    "admission_date": lambda: _("Ngày vào Đảng (quyết định kết nạp)"),
    "ceremony_date": lambda: _("Ngày lễ kết nạp"),
    "official_date": lambda: _("Ngày chính thức"),
    "card_number": lambda: _("Số thẻ đảng viên"),
    "member_code": lambda: _("Số lý lịch / mã đảng viên"),
    "citizen_id": lambda: _("Số CCCD"),
    "phone": lambda: _("Điện thoại"),
    "party_post": lambda: _("Chức vụ Đảng"),
    "notes": lambda: _("Ghi chú"),
    "status": lambda: _("Tình trạng"),
    "effective_date": lambda: _("Ngày thay đổi"),
    "reason": lambda: _("Lý do"),
}


def field_label(name: str) -> str:
    return FIELD_LABELS[name]() if name in FIELD_LABELS else name


# Quy định 294-QĐ/TW: admission age 18–60 when the cell considers the case (older needs the province).
ADMISSION_MIN_AGE = 18
ADMISSION_MAX_AGE = 60
# Below this age a date is mistyped, not an exception the province approved.
IMPOSSIBLE_ADMISSION_AGE = 16
EARLIEST_PLAUSIBLE_DATE = dt.date(1900, 1, 1)
# The Party was founded on 03/02/1930; no admission can be earlier.
PARTY_FOUNDED = dt.date(1930, 2, 3)


@dataclass(frozen=True)
class Issue:
    """One problem found in a record: an error stops the save, a warning is only shown."""

    field: str
    message: str
    is_error: bool = True

    def __str__(self) -> str:
        return f"{field_label(self.field)}: {self.message}"


@dataclass
class ValidationReport:
    issues: list[Issue] = field(default_factory=list)

    def error(self, field_name: str, message: str) -> None:
        self.issues.append(Issue(field_name, message, True))

    def warn(self, field_name: str, message: str) -> None:
        self.issues.append(Issue(field_name, message, False))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]


def validate_member(member: Member, today: dt.date) -> ValidationReport:
    """Check one record on its own; uniqueness against other members is the service's job."""
    report = ValidationReport()
    if not member.full_name:
        report.error("full_name", _("chưa nhập họ và tên."))
    elif len(member.full_name.split()) < 2:
        report.warn("full_name", _("họ và tên thường có ít nhất hai chữ."))
    for name in DATE_FIELDS:
        value = getattr(member, name)
        if value is None:
            continue
        if value > today:
            report.error(name, _("ngày {date} ở tương lai.").format(date=value.strftime("%d/%m/%Y")))
        elif value < EARLIEST_PLAUSIBLE_DATE:
            report.error(name, _("ngày {date} không hợp lý.").format(date=value.strftime("%d/%m/%Y")))
    _check_order(member, report)
    _check_admission_age(member, report)
    return report


def _check_order(member: Member, report: ValidationReport) -> None:
    admitted = member.admission_date
    if admitted and admitted < PARTY_FOUNDED:
        report.error("admission_date", _("ngày vào Đảng không thể trước ngày thành lập Đảng (03/02/1930)."))
    if admitted and member.birth_date and admitted <= member.birth_date:
        report.error("admission_date", _("ngày vào Đảng phải sau ngày sinh."))
    if member.official_date and admitted and member.official_date <= admitted:
        report.error("official_date", _("ngày chính thức phải sau ngày vào Đảng."))
    if member.official_date and not admitted:
        report.error("admission_date", _("đã có ngày chính thức thì phải có ngày vào Đảng."))
    if member.ceremony_date and admitted and member.ceremony_date < admitted:
        report.warn("ceremony_date", _("lễ kết nạp thường tổ chức sau ngày quyết định kết nạp."))


def _check_admission_age(member: Member, report: ValidationReport) -> None:
    # The vote date is not kept on the roster; the admission decision follows it closely.
    if not (member.birth_date and member.admission_date):
        return
    age = years_between(member.birth_date, member.admission_date)
    if age < IMPOSSIBLE_ADMISSION_AGE:
        report.error("admission_date", _("tuổi khi kết nạp là {age}: không thể đúng, hãy xem lại ngày sinh và ngày "
                                         "vào Đảng.").format(age=age))
    elif age < ADMISSION_MIN_AGE or age > ADMISSION_MAX_AGE:
        report.warn(
            "admission_date",
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


def current_status(history: list[StatusChange]) -> MemberStatus | None:
    """The status in force: the latest by date, and among one day's entries the last recorded."""
    if not history:
        return None
    return max(history, key=lambda c: (c.effective_date, c.id or 0)).status


def transition_problem(current: MemberStatus | None, new: MemberStatus) -> str:
    """Why a status cannot follow the one in force, or "" when it can."""
    if current is MemberStatus.DECEASED:
        return _("đồng chí đã từ trần; không ghi thêm tình trạng nào sau đó.")
    if current is MemberStatus.OFFICIAL and new is MemberStatus.PROBATIONARY:
        return _("đảng viên chính thức không trở lại dự bị.")
    return ""


def status_on(history: list[StatusChange], day: dt.date) -> MemberStatus | None:
    """The status in force on a given day; None before the first entry (not yet a member here)."""
    return current_status([c for c in history if c.effective_date <= day])


def initial_history(member: Member, today: dt.date) -> list[StatusChange]:
    """The history a new record starts with, from the dates it already carries."""
    admitted = member.ceremony_date or member.admission_date or today
    changes = [StatusChange(MemberStatus.PROBATIONARY, admitted, _("Kết nạp vào Đảng"))]
    if member.official_date:
        changes.append(StatusChange(MemberStatus.OFFICIAL, member.official_date, _("Công nhận đảng viên chính thức")))
    return changes
