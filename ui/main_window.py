"""The main window: the cell's name, the navigation on the left, one page per part of the secretary's work."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services import cell as cell_service
from app.services import safety
from app.services.errors import ServiceError
from app.storage.db import DatabaseError
from ui.dialogs import settings, show_error
from ui.fees.page import FeesPage
from ui.meetings.page import MeetingsPage
from ui.roster.page import RosterPage
from ui.safety.lock import IdleLock
from ui.widgets import ComingSoon, scaled_font

# (navigation label, what the page will do) for the parts that come in later versions.
_LATER_PAGES = (
    (lambda: _("Đánh giá"), lambda: _("Đánh giá, xếp loại chất lượng đảng viên cuối năm.")),
    (lambda: _("Biểu mẫu"), lambda: _("In các biểu mẫu, báo cáo gửi cấp ủy cấp trên.")),
    (lambda: _("Nhắc việc"), lambda: _("Nhắc các việc sắp đến hạn: chuyển chính thức, tặng huy hiệu, …")),
)


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.roster = RosterPage()
        self.nav = QListWidget()
        self.pages = QStackedWidget()
        # The Sinh hoạt and Đảng phí pages are built when first opened: with a large roster their first
        # load (a year's roll, a year's fee book) would otherwise hold up the start of the program.
        self._factories = {1: MeetingsPage, 2: FeesPage}
        self._built: dict[int, QWidget] = {}
        self._add_page(_("Đảng viên"), self.roster)
        self._add_page(_("Sinh hoạt"), QWidget())
        self._add_page(_("Đảng phí"), QWidget())
        for label, description in _LATER_PAGES:
            self._add_page(label(), ComingSoon(label(), description()))
        self._style_nav()
        central = QWidget()
        row = QHBoxLayout(central)
        row.addLayout(self._build_side())
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label)
        self.roster.count_changed.connect(self._show_count)
        self._show_count(self.roster.proxy.rowCount())
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(0)
        self.refresh_title()
        if not (settings().contains("geometry/MainWindow")
                and self.restoreGeometry(settings().value("geometry/MainWindow"))):
            self.resize(1280, 800)
        self.lock = IdleLock(self)
        # The daily backup waits until the window is up, so it never delays the start.
        self.daily_timer = QTimer(self)
        self.daily_timer.setSingleShot(True)
        self.daily_timer.timeout.connect(self._daily_backup)
        self.daily_timer.start(3000)

    def _build_side(self) -> QVBoxLayout:
        """The cell's name above the navigation, so the secretary always sees whose data is open."""
        side = QVBoxLayout()
        self.cell_label = QLabel()
        self.cell_label.setFont(scaled_font(self.cell_label, 1.1, bold=True))
        self.cell_label.setWordWrap(True)
        self.cell_label.setFixedWidth(self.nav.width())
        self.superior_label = QLabel()
        self.superior_label.setWordWrap(True)
        self.superior_label.setFixedWidth(self.nav.width())
        side.addWidget(self.cell_label)
        side.addWidget(self.superior_label)
        side.addWidget(self.nav, 1)
        return side

    def page(self, row: int) -> QWidget:
        """The page at a navigation row, built on first use."""
        if row in self._factories and row not in self._built:
            page = self._factories[row]()
            placeholder = self.pages.widget(row)
            self.pages.insertWidget(row, page)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[row] = page
            return page
        return self._built.get(row) or self.pages.widget(row)

    @property
    def meetings(self) -> QWidget:
        return self.page(1)

    @property
    def fees(self) -> QWidget:
        return self.page(2)

    def _show_page(self, row: int) -> None:
        fresh = row in self._factories and row not in self._built
        page = self.page(row)
        self.pages.setCurrentIndex(row)
        if row in self._built and not fresh:
            # The roster may have changed meanwhile (a member added, moved away): read again on entry.
            page.reload()
        # The member count belongs to the roster; on other pages it would read as theirs.
        self.count_label.setVisible(self.pages.currentWidget() is self.roster)

    def _add_page(self, label: str, page: QWidget) -> None:
        self.nav.addItem(QListWidgetItem(label))
        self.pages.addWidget(page)

    def _style_nav(self) -> None:
        # Large, well-spaced entries: the secretary is often past fifty and works on a laptop.
        self.nav.setFont(scaled_font(self.nav, 1.25))
        self.nav.setSpacing(4)
        # outline: 0 drops the dotted focus box drawn inside the highlighted entry.
        self.nav.setStyleSheet("QListWidget { outline: 0; } QListWidget::item { padding: 10px 14px; }")
        width = max(self.nav.fontMetrics().horizontalAdvance(self.nav.item(i).text())
                    for i in range(self.nav.count()))
        self.nav.setFixedWidth(width + 70)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(_("&Tệp"))
        for text, slot, shortcut in (
            (_("Nhập danh sách…"), self.import_roster, None),
            (_("Xuất danh sách…"), self.export_roster, None),
            (None, None, None),
            (_("Thông tin chi bộ…"), self.edit_cell, None),
            (None, None, None),
            (_("An toàn dữ liệu (sao lưu, mã hóa)…"), self.open_safety, None),
            (_("Sao lưu ngay"), self.backup_now, QKeySequence("Ctrl+Shift+S")),
            (_("Khôi phục từ bản sao lưu…"), self.restore, None),
            (None, None, None),
            (_("Thoát"), self.close, QKeySequence.StandardKey.Quit),
        ):
            if text is None:
                menu.addSeparator()
                continue
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            if shortcut is not None:
                action.setShortcut(shortcut)
            menu.addAction(action)

    def refresh_title(self) -> None:
        info = cell_service.get_cell()
        self.setWindowTitle(f"{info.name} — chibo" if info else "chibo")
        self.cell_label.setText(info.name if info else "")
        self.superior_label.setText(info.superior_name if info else "")

    def _show_count(self, shown: int) -> None:
        self.count_label.setText(_("Đang hiện {count} đồng chí").format(count=shown))

    def import_roster(self) -> None:
        from ui.roster.import_dialog import import_roster

        import_roster(self, self.roster.reload)

    def export_roster(self) -> None:
        from ui.roster.import_dialog import export_roster

        export_roster(self)

    def edit_cell(self) -> None:
        from ui.first_run import CellDialog

        if CellDialog(parent=self).exec() == QDialog.DialogCode.Accepted:
            self.refresh_title()

    def reload_all(self) -> None:
        """After a restore or an encryption change every page reads the data again."""
        for page in (self.roster, *self._built.values()):
            page.reload()
        self.refresh_title()
        self.lock.restart()

    def open_safety(self) -> None:
        from ui.safety.safety_dialog import SafetyDialog

        dialog = SafetyDialog(self)
        dialog.data_replaced.connect(self.reload_all)
        dialog.exec()
        self.lock.restart()

    def backup_now(self) -> None:
        try:
            made = safety.backup_now()
        except ServiceError as exc:
            show_error(self, str(exc))
            return
        self.statusBar().showMessage(_("Đã sao lưu vào {file}").format(file=made), 8000)

    def restore(self) -> None:
        from ui.safety.restore_flow import restore_interactively

        if restore_interactively(self):
            self.reload_all()

    def _daily_backup(self) -> None:
        try:
            safety.daily_backup_if_due()
        except (ServiceError, DatabaseError) as exc:
            self.statusBar().showMessage(str(exc), 15000)

    def closeEvent(self, event) -> None:
        settings().setValue("geometry/MainWindow", self.saveGeometry())
        # A backup on every close: the one copy of the cell's records is never more than a session old.
        self.daily_timer.stop()
        try:
            safety.backup_now("khi-dong")
        except (ServiceError, DatabaseError) as exc:
            show_error(self, _("Không sao lưu được khi đóng chương trình: {error}").format(error=exc))
        super().closeEvent(event)
