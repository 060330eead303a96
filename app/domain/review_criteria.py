"""Khung tiêu chí đánh giá: the criteria sheet of two groups (30 + 70 points), its default and its check."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from app.domain.issues import ValidationReport
from app.domain.review import GENERAL_MAX, SCORE_PLACES, TASKS_MAX, format_score
from app.i18n import _


class GroupKind(enum.StrEnum):
    """The two groups of Quy định 366: nhóm tiêu chí chung and nhóm kết quả thực hiện nhiệm vụ."""

    GENERAL = "chung"
    TASKS = "nhiem-vu"

    @property
    def label(self) -> str:
        return _("Nhóm tiêu chí chung") if self is GroupKind.GENERAL else _(
            "Nhóm tiêu chí về kết quả thực hiện nhiệm vụ")

    @property
    def points(self) -> Decimal:
        return GENERAL_MAX if self is GroupKind.GENERAL else TASKS_MAX


@dataclass(frozen=True)
class CriteriaItem:
    """Một tiêu chí and its maximum points."""

    title: str
    points: Decimal


@dataclass(frozen=True)
class CriteriaGroup:
    kind: GroupKind
    items: tuple[CriteriaItem, ...]

    @property
    def total(self) -> Decimal:
        return sum((item.points for item in self.items), Decimal(0))


@dataclass(frozen=True)
class CriteriaSheet:
    """The sheet the Đảng ủy issues for a year (HD 43 mục 7.12); is_default marks the program's own."""

    name: str
    groups: tuple[CriteriaGroup, ...]
    is_default: bool = False

    def group(self, kind: GroupKind) -> CriteriaGroup | None:
        return next((g for g in self.groups if g.kind is kind), None)


def default_sheet() -> CriteriaSheet:
    """Phụ lục 5, Quy định 366 (đảng viên không làm việc trong hệ thống chính trị), one item per heading.

    Phụ lục 5 gives the headings but not the points inside each group (FORMS §1.3): this split is the
    program's default until the Đảng ủy's sheet is imported. General: (1) carries three of the group's
    four bullets (20), (2) self-criticism (10). Tasks: (1) the duties and assigned tasks, the core of the
    group (40), (2) studying resolutions and speaking at meetings (15), (3) sudden tasks (15).
    """
    general = (
        CriteriaItem(_("Về phẩm chất chính trị, đạo đức, lối sống và ý thức tổ chức kỷ luật"), Decimal(20)),
        CriteriaItem(_("Tự phê bình và phê bình, khắc phục hạn chế, khuyết điểm"), Decimal(10)),
    )
    tasks = (
        CriteriaItem(_("Thực hiện đầy đủ quyền và nghĩa vụ của đảng viên; hoàn thành các nhiệm vụ chính trị "
                       "được cấp uỷ, chi bộ phân công"), Decimal(40)),
        CriteriaItem(_("Tham gia học tập nghị quyết; tích cực phát biểu ý kiến xây dựng chi bộ"), Decimal(15)),
        CriteriaItem(_("Hoàn thành các nhiệm vụ đột xuất, phù hợp với điều kiện và sức khoẻ, độ tuổi"),
                     Decimal(15)),
    )
    return CriteriaSheet(_("Khung tiêu chí mặc định theo Phụ lục 5, Quy định 366-QĐ/TW (chưa có khung của "
                           "cấp ủy cấp trên)"),
                         (CriteriaGroup(GroupKind.GENERAL, general), CriteriaGroup(GroupKind.TASKS, tasks)),
                         is_default=True)


def validate_sheet(sheet: CriteriaSheet) -> ValidationReport:
    """Each group once, every item titled with points above 0 (to the hundredth), the groups at 30 and 70."""
    report = ValidationReport()
    for kind in GroupKind:
        found = [g for g in sheet.groups if g.kind is kind]
        if len(found) != 1:
            report.error("review.criteria_group", _("khung tiêu chí phải có đúng một {group}; đang có {n}.")
                         .format(group=kind.label.lower(), n=len(found)))
            continue
        _check_group(report, found[0])
    return report


def _check_group(report: ValidationReport, group: CriteriaGroup) -> None:
    if not group.items:
        report.error("review.criteria_item", _("{group} chưa có tiêu chí nào.").format(group=group.kind.label))
    for number, item in enumerate(group.items, start=1):
        where = _("{group}, tiêu chí {n}").format(group=group.kind.label, n=number)
        if not item.title.strip():
            report.error("review.criteria_item", _("{where}: chưa có nội dung.").format(where=where))
        if item.points <= 0 or item.points != round(item.points, SCORE_PLACES):
            report.error("review.criteria_points", _("{where} ({title}): điểm phải lớn hơn 0, ghi đến hai chữ số "
                                                     "thập phân; đang là {points}.").format(
                where=where, title=item.title.strip(), points=format_score(item.points)))
    if group.items and group.total != group.kind.points:
        report.error("review.criteria_points", _("{group}: tổng điểm các tiêu chí là {total}, phải đúng {points}.")
                     .format(group=group.kind.label, total=format_score(group.total),
                             points=format_score(group.kind.points)))
