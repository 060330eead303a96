"""The Đảng viên page: search, filters, the roster table and the buttons that change a record."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.members import ACTIVE_STATUSES, Member, MemberStatus
from app.i18n import _
from app.services.changes import Changes
from ui.dialogs import show_info
from ui.pages import Page
from ui.roster.model import COL_NAME, COL_STATUS, RosterFilterProxy, RosterModel
from ui.widgets import heading, shortcut_button, text_width


class RosterView(QTableView):
    """The table; Enter on a row opens it, like a double-click."""

    open_requested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class RosterPage(Page):
    """Danh sách đảng viên; count_changed(shown) feeds the status bar."""

    area = "roster"
    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = RosterModel(self)
        self.proxy = RosterFilterProxy(self.model, self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Danh sách đảng viên")))
        layout.addLayout(self._build_filters())
        self.table = self._build_table()
        layout.addWidget(self.table, 1)
        layout.addLayout(self._build_buttons())
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._emit_count)
        self.proxy.set_statuses(ACTIVE_STATUSES)
        self.reload()

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Tìm theo tên, số thẻ… (không cần gõ dấu)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self._refilter(lambda: self.proxy.set_query(text)))
        # Enter in the search box opens the first member found, so a name typed and Enter is one record.
        self.search.returnPressed.connect(self.open_first_match)
        self.status_filter = QComboBox()
        # The statuses each entry shows, by position (None: all).
        self._status_choices = [ACTIVE_STATUSES, None, *(frozenset({s}) for s in MemberStatus)]
        self.status_filter.addItems([_("Đang sinh hoạt"), _("Tất cả"), *(s.label for s in MemberStatus)])
        self.status_filter.currentIndexChanged.connect(
            lambda i: self._refilter(lambda: self.proxy.set_statuses(self._status_choices[i])))
        self.show_archived = QCheckBox(_("Hiện hồ sơ đã lưu trữ"))
        self.show_archived.toggled.connect(lambda: self.reload())
        row.addWidget(self.search, 3)
        row.addWidget(self.status_filter, 1)
        row.addWidget(self.show_archived)
        return row

    def _build_table(self) -> RosterView:
        table = RosterView()
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        # Fixed row heights keep filtering a long roster fast; the row numbers are the list's STT.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
        table.horizontalHeader().setStretchLastSection(True)
        # Column widths are measured on the first rows only, so a long roster still opens at once.
        table.horizontalHeader().setResizeContentsPrecision(300)
        table.setSortingEnabled(True)
        table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        table.doubleClicked.connect(lambda: self.edit_selected())
        table.open_requested.connect(lambda: self.edit_selected())
        table.selectionModel().selectionChanged.connect(self._update_buttons)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._row_menu)
        return table

    def row_menu(self) -> QMenu:
        """The member's menu: what the buttons do, and the events kept for the statistics."""
        menu = QMenu(self)
        for text, slot, keys in ((_("Sửa hồ sơ"), self.edit_selected, "Ctrl+O"),
                                 (_("Đổi tình trạng"), self.change_status, "Ctrl+T"),
                                 (_("Lịch sử"), self.show_history, "Ctrl+H"),
                                 (_("Huy hiệu, khen thưởng…"), self.show_events, "Ctrl+K")):
            action = menu.addAction(text, slot)
            action.setShortcut(QKeySequence(keys))
        return menu

    def _row_menu(self, point) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        self.select_member(self.proxy.member_at(index.row()).id)
        self.row_menu().exec(self.table.viewport().mapToGlobal(point))

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.add_button = shortcut_button(self, _("Thêm đảng viên"), "Ctrl+N", self.add_member)
        self.edit_button = shortcut_button(self, _("Sửa hồ sơ"), "Ctrl+O", self.edit_selected)
        self.status_button = shortcut_button(self, _("Đổi tình trạng"), "Ctrl+T", self.change_status)
        self.history_button = shortcut_button(self, _("Lịch sử"), "Ctrl+H", self.show_history)
        self.archive_button = shortcut_button(self, _("Lưu trữ"), None, self.archive_or_restore)
        for button in (self.add_button, self.edit_button, self.status_button, self.history_button,
                       self.archive_button):
            row.addWidget(button)
        # No room for one more button at 150 % text on a 1366-pixel screen: a member's events are on the row's
        # menu (right click), on Ctrl+K and in the member's Lịch sử.
        QShortcut(QKeySequence("Ctrl+K"), self, activated=self.show_events)
        row.addStretch(1)
        self.reconcile_button = shortcut_button(self, _("Đối chiếu với danh sách cấp trên…"), None,
                                                self.reconcile_with_superior)
        row.addWidget(self.reconcile_button)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)
        self._update_buttons()
        return row

    def touched_by(self, changes: Changes) -> bool:
        return bool(changes.members or changes.everything)

    def apply_changes(self, changes: Changes, source: object = None) -> None:
        self.reload()

    def open_first_match(self) -> None:
        if self.proxy.rowCount() == 0:
            return
        if self.selected_member() is None:
            self.select_member(self.proxy.member_at(0).id)
        self.edit_selected()

    def reload(self, select_id: int | None = None) -> None:
        """Read the roster again and keep the selection on select_id (or on the member selected)."""
        if select_id is None and (current := self.selected_member()) is not None:
            select_id = current.id
        self.model.reload(include_archived=self.show_archived.isChecked())
        self._fit_columns()
        if select_id is not None:
            self.select_member(select_id)
        self._update_buttons()

    def _refilter(self, change) -> None:
        """Apply a filter change; the selection stays on the same member or goes, never to a neighbour."""
        member = self.selected_member()
        change()
        if member is not None:
            self.select_member(member.id)
        elif self.table.selectionModel().hasSelection():
            self.table.clearSelection()
        # The widths follow what is shown now: a name column measured on three filtered rows stays narrow.
        self._fit_columns()
        self._update_buttons()

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        # A long status ("Miễn công tác và sinh hoạt") or name would push Chức vụ off a 1280-px
        # screen; those cells are cut with "…" and shown whole in their tooltip.
        for column, chars in ((COL_NAME, 32), (COL_STATUS, 20)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), text_width(self.table, chars)))

    def select_member(self, member_id: int) -> bool:
        row = self.proxy.row_of(member_id)
        if row < 0:
            # Qt would move the selection to a neighbouring row; a button pressed then would act on
            # a member the secretary did not pick.
            self.table.selectionModel().clear()
            return False
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def selected_member(self) -> Member | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.member_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        member = self.selected_member()
        for button in (self.edit_button, self.status_button, self.history_button, self.archive_button):
            button.setEnabled(member is not None)
        self.archive_button.setText(_("Khôi phục") if member and member.archived else _("Lưu trữ"))

    def _emit_count(self) -> None:
        self.count_changed.emit(self.proxy.rowCount())

    def add_member(self) -> None:
        from ui.roster.member_dialog import MemberDialog

        self._run(MemberDialog(None, self))

    def edit_selected(self) -> None:
        from ui.roster.member_dialog import MemberDialog

        if (member := self.selected_member()) is not None:
            self._run(MemberDialog(member, self))

    def change_status(self) -> None:
        from ui.roster.status_dialog import StatusDialog

        if (member := self.selected_member()) is not None:
            self._run(StatusDialog(member, self))

    def archive_or_restore(self) -> None:
        from ui.roster.archive_dialog import ArchiveDialog

        if (member := self.selected_member()) is not None:
            self._run(ArchiveDialog(member, self))

    def show_history(self) -> None:
        from ui.roster.history_dialog import HistoryDialog

        if (member := self.selected_member()) is not None:
            HistoryDialog(member, self).exec()

    def show_events(self) -> None:
        from ui.roster.events_dialog import EventsDialog

        if (member := self.selected_member()) is not None:
            EventsDialog(member, self).exec()

    def reconcile_with_superior(self) -> None:
        from ui.roster.reconcile_dialog import reconcile_with_superior

        reconcile_with_superior(self)

    def _run(self, dialog: QDialog) -> None:
        """Show a dialog that saves through the runner (the page hears the change), then tell of warnings."""
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if getattr(dialog, "member_id", None) is not None:
            self.select_member(dialog.member_id)
        if getattr(dialog, "warnings", None):
            show_info(self, _("Đã lưu. Xin lưu ý:") + "\n\n" + "\n".join(f"• {w}" for w in dialog.warnings),
                      _("Đã lưu, có điều cần xem lại"))
