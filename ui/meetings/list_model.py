"""The meetings of a year as a table: date, kind, time, and the computed attendance."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.domain.meetings import AttendanceCounts, time_text
from app.i18n import _
from app.services.meetings import MeetingSummary

COL_DATE, COL_KIND, COL_TIME, COL_PRESENT = range(4)
_HEADERS = (lambda: _("Ngày"), lambda: _("Loại"), lambda: _("Giờ"), lambda: _("Có mặt"))
RowRole = Qt.ItemDataRole.UserRole + 2


class MeetingListModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[MeetingSummary] = []

    def set_rows(self, rows: list[MeetingSummary]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def update_counts(self, meeting_id: int, counts: AttendanceCounts) -> None:
        row = self.row_of(meeting_id)
        if row >= 0:
            self.rows[row].counts = counts
            self.dataChanged.emit(self.index(row, COL_PRESENT), self.index(row, COL_PRESENT))

    def update_row(self, summary: MeetingSummary) -> None:
        """One meeting's line changed (its counts, kind or time); the others and the selection stay."""
        row = self.row_of(summary.meeting.id)
        if row >= 0:
            self.rows[row] = summary
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(_HEADERS) - 1))

    def row_of(self, meeting_id: int) -> int:
        return next((i for i, s in enumerate(self.rows) if s.meeting.id == meeting_id), -1)

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
        summary = self.rows[index.row()]
        if role == RowRole:
            return summary
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        m, c = summary.meeting, summary.counts
        if index.column() == COL_DATE:
            return m.date.strftime("%d/%m/%Y")
        if index.column() == COL_KIND:
            return m.kind.short_label if role == Qt.ItemDataRole.DisplayRole else m.kind.label
        if index.column() == COL_TIME:
            return f"{time_text(m.start)}–{time_text(m.end)}" if m.start else ""
        text = f"{c.present}/{c.total}"
        return text + (" · " + _("chưa xong") if c.unmarked else "")
