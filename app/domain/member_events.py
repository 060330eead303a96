"""A member's dated events typed as the statistics forms count them (Biểu 1 and Biểu 7, DOMAIN §5.4).

Entering and leaving the cell's count are status changes: a change into a counted status is an increase
whose kind the secretary gives (kết nạp, chuyển đến, phục hồi), a change out of it is a decrease whose kind
is the new status (từ trần, khai trừ, xóa tên, xin ra khỏi Đảng, chuyển đi). A transfer has a scope: from or
to another province, or within it. The other events — badges, cards, temporary transfers, rewards — are
rows of their own with a detail (the badge's years, the card's reason, the reward's form).
"""
from __future__ import annotations

import enum
from collections.abc import Callable

from app.domain.issues import ValidationReport
from app.domain.members import MemberStatus
from app.i18n import _

# Đảng số: who the forms count. A member living here temporarily is counted by the home cell (DOMAIN §4.5).
COUNTED_STATUSES = frozenset({MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL, MemberStatus.EXEMPT})


class EntryKind(enum.StrEnum):
    """How a member came into the count (Biểu 1 B)."""

    ADMITTED = "ket_nap"
    READMITTED = "ket_nap_lai"
    TRANSFERRED_IN = "chuyen_den"
    RESTORED = "phuc_hoi"

    @property
    def label(self) -> str:
        return _ENTRY_LABELS[self]()


_ENTRY_LABELS: dict[EntryKind, Callable[[], str]] = {
    EntryKind.ADMITTED: lambda: _("Kết nạp"),
    EntryKind.READMITTED: lambda: _("Kết nạp lại"),
    EntryKind.TRANSFERRED_IN: lambda: _("Chuyển đến"),
    EntryKind.RESTORED: lambda: _("Phục hồi đảng tịch"),
}


class Scope(enum.StrEnum):
    """Where a transfer comes from or goes to. The forms' "huyện khác" became "đơn vị khác trong tỉnh"."""

    OTHER_PROVINCE = "tinh_khac"
    IN_PROVINCE = "trong_tinh"

    @property
    def label(self) -> str:
        return _("Tỉnh, thành phố khác") if self is Scope.OTHER_PROVINCE else _("Đơn vị khác trong tỉnh")


# The decrease a change into one of these statuses is (Biểu 1 C).
LEAVING_ROWS = {
    MemberStatus.DECEASED: "C1",
    MemberStatus.EXPELLED: "C2",
    MemberStatus.REMOVED: "C3",
    MemberStatus.RESIGNED: "C4",
    MemberStatus.TRANSFERRED_OUT: "C5",
}


class EventKind(enum.StrEnum):
    """Events that are not statuses (Biểu 7)."""

    BADGE = "huy_hieu"
    CARD = "the_dang"
    TEMPORARY_OUT = "tam_thoi_di"
    REWARD = "khen_thuong"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]()


_EVENT_LABELS: dict[EventKind, Callable[[], str]] = {
    EventKind.BADGE: lambda: _("Huy hiệu Đảng"),
    EventKind.CARD: lambda: _("Thẻ đảng viên"),
    EventKind.TEMPORARY_OUT: lambda: _("Chuyển sinh hoạt tạm thời đi"),
    EventKind.REWARD: lambda: _("Khen thưởng"),
}

BADGE_MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)

# The detail each kind takes: its codes and their labels (a badge's detail is its milestone in years).
CARD_REASONS: dict[str, Callable[[], str]] = {
    "cap_moi": lambda: _("Cấp mới"),
    "cap_lai": lambda: _("Cấp lại do mất"),
    "doi": lambda: _("Đổi do hỏng"),
}
REWARD_FORMS: dict[str, Callable[[], str]] = {
    "co": lambda: _("Cờ"),
    "bang_khen": lambda: _("Bằng khen"),
    "giay_khen": lambda: _("Giấy khen"),
}


def details_of(kind: EventKind) -> dict[str, Callable[[], str]]:
    """The details an event of this kind may carry; empty for a temporary transfer (its detail is free text)."""
    if kind is EventKind.BADGE:
        return {str(years): (lambda y=years: _("Huy hiệu {years} năm tuổi Đảng").format(years=y))
                for years in BADGE_MILESTONES}
    if kind is EventKind.CARD:
        return CARD_REASONS
    if kind is EventKind.REWARD:
        return REWARD_FORMS
    return {}


def detail_error(kind: EventKind, detail: str) -> str | None:
    """Why a detail does not fit its kind, in words for the secretary; None when it fits."""
    allowed = details_of(kind)
    if not allowed or detail in allowed:
        return None
    return _("«{detail}» không hợp với {kind}; chọn một trong: {choices}.").format(
        detail=detail, kind=kind.label.lower(), choices=", ".join(allowed))


def kind_label(kind: str) -> str:
    try:
        return EntryKind(kind).label
    except ValueError:
        return kind


def kind_report(before: MemberStatus | None, after: MemberStatus, kind: str, scope: str,
                required: bool = False) -> ValidationReport:
    """Whether a change's kind and scope fit it: a kind only for a change into the count, a scope only for a
    transfer in or out; `required` when classifying a change recorded without its kind."""
    report = ValidationReport()
    entering = before not in COUNTED_STATUSES and after in COUNTED_STATUSES
    if kind:
        if not entering:
            report.error("member.kind", _("chỉ ghi hình thức (kết nạp, chuyển đến, phục hồi) khi đảng viên vào "
                                          "chi bộ."))
        elif kind not in set(EntryKind):
            report.error("member.kind", _("«{kind}» không phải hình thức; chọn một trong: {choices}.").format(
                kind=kind, choices=", ".join(EntryKind)))
    elif required:
        report.error("member.kind", _("chưa chọn hình thức."))
    if scope:
        transfer = (entering and kind == EntryKind.TRANSFERRED_IN) or after is MemberStatus.TRANSFERRED_OUT
        if scope not in set(Scope):
            report.error("member.scope", _("«{scope}» không phải nơi chuyển; chọn {choices}.").format(
                scope=scope, choices=", ".join(Scope)))
        elif not transfer:
            report.error("member.scope", _("chỉ ghi nơi chuyển khi chuyển đến hoặc chuyển đi."))
    return report
