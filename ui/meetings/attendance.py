"""Điểm danh by keyboard: a list where C/P/K (or 1/2/3) marks the member and moves to the next one."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.domain.meetings import Attendee, Mark
from app.i18n import _

COL_NAME, COL_STANDING, COL_MARK, COL_REASON = range(4)
_HEADERS = (lambda: _("Họ và tên"), lambda: _("Loại"), lambda: _("Điểm danh"), lambda: _("Lý do vắng"))
RowRole = Qt.ItemDataRole.UserRole + 2
_COLOURS = {Mark.PRESENT: QColor("#dcf2dc"), Mark.EXCUSED: QColor("#fff1c2"), Mark.ABSENT: QColor("#f8d2d2")}

# The keys of the roll: letters as the register writes them, digits for the numeric pad.
KEY_MARKS = {
    Qt.Key.Key_C: Mark.PRESENT, Qt.Key.Key_1: Mark.PRESENT,
    Qt.Key.Key_P: Mark.EXCUSED, Qt.Key.Key_2: Mark.EXCUSED,
    Qt.Key.Key_K: Mark.ABSENT, Qt.Key.Key_3: Mark.ABSENT,
    Qt.Key.Key_0: Mark.UNMARKED, Qt.Key.Key_Delete: Mark.UNMARKED, Qt.Key.Key_Backspace: Mark.UNMARKED,
}


class AttendanceModel(QAbstractTableModel):
    """One row per member on the roll; rows are replaced one at a time as marks are saved."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.attendees: list[Attendee] = []

    def set_attendees(self, attendees: list[Attendee]) -> None:
        self.beginResetModel()
        self.attendees = list(attendees)
        self.endResetModel()

    def replace(self, row: int, attendee: Attendee) -> None:
        self.attendees[row] = attendee
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(_HEADERS) - 1))

    def row_of(self, member_id: int) -> int:
        return next((i for i, a in enumerate(self.attendees) if a.member_id == member_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.attendees)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section]() if 0 <= section < len(_HEADERS) else None
        return str(section + 1)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        a = self.attendees[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(a, index.column())
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == COL_MARK:
            return _COLOURS.get(a.mark)
        if role == RowRole:
            return a
        return None

    @staticmethod
    def _text(a: Attendee, column: int) -> str:
        if column == COL_NAME:
            return a.full_name
        if column == COL_STANDING:
            standing = a.standing.label
            # An exempt member is still official or probationary in tổng số.
            return standing if a.standing.value in ("official", "probationary") else \
                f"{standing} ({_('chính thức') if a.official else _('dự bị')})"
        if column == COL_MARK:
            return f"{a.mark.code}  {a.mark.label}" if a.mark is not Mark.UNMARKED else a.mark.label
        return a.reason


class AttendanceView(QTableView):
    """The roll; mark_requested(row, mark) asks the page to save, which then moves to the next row."""

    mark_requested = Signal(int, object)
    reason_requested = Signal(int)

    def __init__(self, model: AttendanceModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        # The mark is always seen whole and the name takes what is left; the reason keeps a modest width
        # (it is typed and read in the box under the roll).
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_REASON, self.fontMetrics().averageCharWidth() * 10)
        # A long standing ("Miễn công tác và sinh hoạt") is cut with "…" and shown whole in its tooltip.
        header.setSectionResizeMode(COL_STANDING, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_STANDING, self.fontMetrics().averageCharWidth() * 13)
        header.setSectionResizeMode(COL_MARK, QHeaderView.ResizeMode.ResizeToContents)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def current_row(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model().rowCount():
            self.setCurrentIndex(self.model().index(row, COL_NAME))

    def advance(self) -> None:
        self.select_row(min(self.current_row() + 1, self.model().rowCount() - 1))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mark = KEY_MARKS.get(Qt.Key(event.key()))
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mark is not None and modifiers == Qt.KeyboardModifier.NoModifier and self.current_row() >= 0:
            self.mark_requested.emit(self.current_row(), mark)
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_R) and self.current_row() >= 0:
            self.reason_requested.emit(self.current_row())
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        # Coming back to the list with the keyboard lands on a row, ready for the next key.
        if self.current_row() < 0:
            self.select_row(0)
