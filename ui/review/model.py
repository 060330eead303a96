"""The members of a year's review as a table: who, in scope or not, the score and the grade at every stage."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.domain.review import Grade, format_score
from app.domain.review_scope import Exclusion
from app.i18n import _
from app.services.review import ReviewRow

COL_NO, COL_NAME, COL_SCOPE, COL_TOTAL, COL_SELF, COL_COMMITTEE, COL_PROPOSED, COL_FINAL, COL_STATE = range(9)
# Two-line titles over the short columns keep all nine in sight at 150 % text on a 1366-pixel screen.
_HEADERS = (lambda: _("STT"), lambda: _("Họ và tên"), lambda: _("Diện"), lambda: _("Tổng\nđiểm"),
            lambda: _("Tự\nxếp loại"), lambda: _("Chi ủy"), lambda: _("Chi bộ\nđề xuất"), lambda: _("Đảng ủy"),
            lambda: _("Tình trạng"))
_GRADE_COLUMNS = {COL_SELF: "self_grade", COL_COMMITTEE: "committee_grade", COL_PROPOSED: "proposed_grade",
                  COL_FINAL: "final_grade"}
RowRole = Qt.ItemDataRole.UserRole + 2

# The table's short words for the four grades; the full label is the cell's tooltip and what forms print.
_SHORT = {Grade.EXCELLENT: lambda: _("Xuất sắc"), Grade.GOOD: lambda: _("Tốt"),
          Grade.PASSED: lambda: _("Hoàn thành"), Grade.FAILED: lambda: _("Không hoàn thành")}


def short_grade(grade: Grade | None) -> str:
    return _SHORT[grade]() if grade is not None else ""


_SHORT_EXCLUSIONS = {Exclusion.EXEMPT: lambda: _("Miễn sinh hoạt"), Exclusion.SUSPENDED: lambda: _("Đình chỉ"),
                     Exclusion.NEWLY_ADMITTED: lambda: _("Mới kết nạp"),
                     Exclusion.TEMPORARY_HERE: lambda: _("Sinh hoạt tạm thời"),
                     Exclusion.NOT_IN_CELL: lambda: _("Đã rời chi bộ")}


def scope_text(row: ReviewRow) -> str:
    """Kiểm điểm (with a mark when the form notes something: sick leave, a missing comment), else in a few words
    why the member is not reviewed; the tooltip says it in full."""
    if not row.reviewed:
        return _SHORT_EXCLUSIONS[row.scope.exclusion]()
    return _("Kiểm điểm") + (" " + _("(có ghi chú)") if row.scope.notes else "")


class ReviewTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ReviewRow] = []

    def set_rows(self, rows: list[ReviewRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, member_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.member_id == member_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section]() if 0 <= section < len(_HEADERS) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.row(), column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_NO, COL_TOTAL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(row: ReviewRow, number: int, column: int) -> str:
        if column == COL_NO:
            return str(number + 1)
        if column == COL_NAME:
            return row.full_name
        if column == COL_SCOPE:
            return scope_text(row)
        if column == COL_TOTAL:
            return format_score(row.total) if row.total is not None else ""
        if column in _GRADE_COLUMNS:
            return short_grade(row.stage_grade(_GRADE_COLUMNS[column]))
        return row.state

    @staticmethod
    def _tooltip(row: ReviewRow, column: int) -> str | None:
        if column in _GRADE_COLUMNS:
            grade = row.stage_grade(_GRADE_COLUMNS[column])
            return grade.label if grade else None
        if column == COL_SCOPE:
            full = row.scope.exclusion.label if not row.reviewed else _("Kiểm điểm")
            return "\n".join([full, *(n.label for n in row.scope.notes)])
        if column in (COL_NAME, COL_STATE):  # cut short at a large text size; the whole text on hover
            return ReviewTableModel._text(row, 0, column)
        if column == COL_TOTAL and row.computed is not None:
            return "\n".join([_("Theo điểm và điều kiện: {grade}").format(grade=row.computed.grade.label),
                              *row.computed.why()])
        return None
