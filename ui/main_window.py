"""The main window: the cell's name, the navigation on the left, one page per part of the secretary's work."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services import cell as cell_service
from app.services import safety
from app.services import settings as setting_service
from app.services.changes import Changes
from app.services.errors import ServiceError
from app.storage.db import DatabaseError
from ui.dialogs import choose, settings, show_error
from ui.files import remember_folder, remembered_folder
from ui.ops import announce, error_text, hub, run_op
from ui.pages import Page
from ui.safety.lock import IdleLock
from ui.widgets import ComingSoon, scaled_font

# The size the window opens at; a smaller screen (1366×768, 1280×720) gets the window maximized instead.
DEFAULT_SIZE = (1280, 800)


@dataclass(frozen=True)
class PageEntry:
    """One entry of the navigation: its label, its help topic, how to build it, and whether it waits."""

    label: Callable[[], str]
    area: str
    build: Callable[[], QWidget]
    lazy: bool = False


def _roster() -> QWidget:
    from ui.roster.page import RosterPage

    return RosterPage()


def _meetings() -> QWidget:
    from ui.meetings.page import MeetingsPage

    return MeetingsPage()


def _fees() -> QWidget:
    from ui.fees.page import FeesPage

    return FeesPage()


def _review() -> QWidget:
    from ui.review.page import ReviewPage

    return ReviewPage()


def _reports() -> QWidget:
    from ui.reports.page import ReportsPage

    return ReportsPage()


def _cells() -> QWidget:
    from ui.superior.cells_page import CellsPage

    return CellsPage()


def _consolidated() -> QWidget:
    from ui.superior.consolidated_page import ConsolidatedPage

    return ConsolidatedPage()


def _coming(title: Callable[[], str], area: str, description: Callable[[], str]) -> Callable[[], QWidget]:
    def build() -> QWidget:
        page = ComingSoon(title(), description())
        page.area = area
        return page
    return build


# The pages in navigation order. Sinh hoạt, Đảng phí, Đánh giá and Báo cáo are built when first opened: with a
# large roster their first load (a year's roll, a year's fee book, a year's review) would otherwise hold up the start.
PAGES: tuple[PageEntry, ...] = (
    PageEntry(lambda: _("Đảng viên"), "roster", _roster),
    PageEntry(lambda: _("Sinh hoạt"), "meetings", _meetings, lazy=True),
    PageEntry(lambda: _("Đảng phí"), "fees", _fees, lazy=True),
    PageEntry(lambda: _("Đánh giá"), "review", _review, lazy=True),
    PageEntry(lambda: _("Báo cáo"), "reports", _reports, lazy=True),
    PageEntry(lambda: _("Biểu mẫu"), "forms", _coming(
        lambda: _("Biểu mẫu"), "forms",
        lambda: _("Trang này sẽ in các tờ trình đề nghị (kết nạp, công nhận chính thức, tặng Huy hiệu Đảng…). "
                  "Biểu thống kê và gói gửi cấp trên ở trang Báo cáo."))),
    PageEntry(lambda: _("Nhắc việc"), "reminders", _coming(
        lambda: _("Nhắc việc"), "reminders",
        lambda: _("Trang này sẽ nhắc các việc đến hạn theo quy định: xét chuyển đảng viên chính thức, tặng "
                  "huy hiệu Đảng, thu nộp đảng phí, sinh hoạt chuyên đề."))),
)
ROSTER, MEETINGS, FEES, REVIEW, REPORTS = 0, 1, 2, 3, 4

# A Đảng ủy's file (cell.is_superior) holds no members of its own: its pages are the cells and the consolidation.
SUPERIOR_PAGES: tuple[PageEntry, ...] = (
    PageEntry(lambda: _("Các chi bộ"), "superior", _cells),
    PageEntry(lambda: _("Tổng hợp"), "superior", _consolidated, lazy=True),
)
CELLS, CONSOLIDATED = 0, 1


def _is_superior() -> bool:
    try:
        return cell_service.is_superior()
    except DatabaseError:
        return False


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label)
        self._build(ROSTER)
        hub().changed.connect(self._heard)
        self._restored = self._restore_geometry()
        if not self._restored:
            self.resize(*DEFAULT_SIZE)
        self.lock = IdleLock(self)
        # The daily backup waits until the window is up, so it never delays the start.
        self.daily_timer = QTimer(self)
        self.daily_timer.setSingleShot(True)
        self.daily_timer.timeout.connect(self._daily_backup)
        self.daily_timer.start(3000)
        # Text typed before a crash or a kill is offered back once the window is up.
        QTimer.singleShot(0, self.offer_drafts)

    # --- building ------------------------------------------------------------------------------------
    def _build(self, row: int) -> None:
        """Build (or, after a change of text size, build again) every widget of the window."""
        self.nav = QListWidget()
        self.pages = QStackedWidget()
        self._built: dict[int, QWidget] = {}
        self.superior = _is_superior()
        self.entries = SUPERIOR_PAGES if self.superior else PAGES
        for index, entry in enumerate(self.entries):
            self.nav.addItem(QListWidgetItem(entry.label()))
            page = QWidget() if entry.lazy else entry.build()
            if not entry.lazy:
                self._built[index] = page
            self.pages.addWidget(page)
        # The roster is the cell's first page; a Đảng ủy's file has none (and no member count).
        self.roster = None if self.superior else self._built[ROSTER]
        self._style_nav()
        central = QWidget()
        row_layout = QHBoxLayout(central)
        row_layout.addLayout(self._build_side())
        row_layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.menuBar().clear()
        self._build_menu()
        if self.roster is not None:
            self.roster.count_changed.connect(self._show_count)
            self._show_count(self.roster.proxy.rowCount())
        self.count_label.setVisible(self.roster is not None)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(row)
        self.refresh_title()

    def _build_side(self) -> QVBoxLayout:
        """The cell's name above the navigation, so the secretary always sees whose data is open."""
        side = QVBoxLayout()
        self.cell_label = QLabel()
        self.cell_label.setFont(scaled_font(self.cell_label, 1.1, bold=True))
        self.superior_label = QLabel()
        for label in (self.cell_label, self.superior_label):
            label.setWordWrap(True)
            label.setFixedWidth(self.nav.width())
            side.addWidget(label)
        side.addWidget(self.nav, 1)
        return side

    def _style_nav(self) -> None:
        # Large, well-spaced entries: the secretary is often past fifty and works on a laptop.
        self.nav.setFont(scaled_font(self.nav, 1.25))
        self.nav.setSpacing(4)
        # outline: 0 drops the dotted focus box drawn inside the highlighted entry.
        self.nav.setStyleSheet("QListWidget { outline: 0; } QListWidget::item { padding: 8px 12px; }")
        width = max(self.nav.fontMetrics().horizontalAdvance(self.nav.item(i).text())
                    for i in range(self.nav.count()))
        self.nav.setFixedWidth(width + 60)

    def _add_actions(self, menu, items) -> None:
        for text, slot, shortcut in items:
            if text is None:
                menu.addSeparator()
                continue
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            if shortcut is not None:
                action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
            menu.addAction(action)

    def _build_menu(self) -> None:
        # The roster's import and export and the cell's details belong to a cell's file only.
        cell_items = () if self.superior else (
            (_("Nhập danh sách…"), self.import_roster, QKeySequence("Ctrl+I")),
            (_("Xuất danh sách…"), self.export_roster, QKeySequence("Ctrl+E")),
            (None, None, None),
            (_("Thông tin chi bộ…"), self.edit_cell, None),
            (None, None, None),
        )
        self._add_actions(self.menuBar().addMenu(_("&Tệp")), (
            *cell_items,
            (_("An toàn dữ liệu (sao lưu, mã hóa)…"), self.open_safety, None),
            (_("Sao lưu ngay"), self.backup_now, QKeySequence("Ctrl+Shift+S")),
            (_("Khôi phục từ bản sao lưu…"), self.restore, None),
            (None, None, None),
            (_("Thoát"), self.close, QKeySequence("Ctrl+Q")),
        ))
        view = self.menuBar().addMenu(_("&Xem"))
        self._add_actions(view, [
            (entry.label(), lambda row=row: self.nav.setCurrentRow(row), QKeySequence(f"Ctrl+{row + 1}"))
            for row, entry in enumerate(self.entries)])
        view.addSeparator()
        sizes = view.addMenu(_("Cỡ chữ"))
        group = QActionGroup(self)
        current = self.text_scale()
        for percent in setting_service.TEXT_SCALES:
            action = QAction(f"{percent} %", self, checkable=True)
            action.setChecked(percent == current)
            action.triggered.connect(lambda _checked=False, p=percent: self.set_text_scale(p))
            group.addAction(action)
            sizes.addAction(action)
        self._add_actions(view, (
            (_("Chữ to hơn"), lambda: self.step_text_scale(+1),
             [QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")]),
            (_("Chữ nhỏ hơn"), lambda: self.step_text_scale(-1), QKeySequence("Ctrl+-")),
        ))
        self._add_actions(self.menuBar().addMenu(_("Trợ &giúp")), (
            (_("Hướng dẫn (trang đang xem)"), self.show_help, QKeySequence("F1")),
            (_("Việc hằng tháng, từng bước"), lambda: self.show_help("monthly"), None),
        ))

    # --- pages ---------------------------------------------------------------------------------------
    def page(self, row: int) -> QWidget:
        """The page at a navigation row, built on first use."""
        if row not in self._built:
            page = self.entries[row].build()
            placeholder = self.pages.widget(row)
            self.pages.insertWidget(row, page)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[row] = page
        return self._built[row]

    @property
    def meetings(self) -> QWidget:
        return self.page(MEETINGS)

    @property
    def fees(self) -> QWidget:
        return self.page(FEES)

    def current_page(self) -> QWidget:
        return self.pages.currentWidget()

    def _show_page(self, row: int) -> None:
        previous = self.pages.currentWidget()
        # What is typed on the page being left is saved first (and kept as a draft if it cannot be).
        if previous is not None and hasattr(previous, "flush_edits"):
            previous.flush_edits()
        page = self.page(row)
        # A page that heard of changes while hidden refreshes in its showEvent, only what they touched.
        self.pages.setCurrentIndex(row)
        # The member count belongs to the roster; on other pages it would read as theirs.
        self.count_label.setVisible(self.roster is not None and page is self.roster)

    def flush_all(self) -> None:
        for page in self._built.values():
            if hasattr(page, "flush_edits"):
                page.flush_edits()

    def _heard(self, changes: Changes, _source: object) -> None:
        if changes.cell or changes.everything:
            self.refresh_title()
        if changes.everything:
            self.lock.restart()
            # A page that does not hear changes itself reads everything again.
            for page in self._built.values():
                if not isinstance(page, Page) and hasattr(page, "reload"):
                    page.reload()

    def offer_drafts(self) -> list[int]:
        """Open the meeting whose typed text was not saved (a crash, a kill), with a note; the ids shown.
        With no meeting's text left, open the member whose review was typed and not saved."""
        from app.services import drafts
        from app.services import meetings as meeting_service
        from app.services.errors import NotFound

        if self.superior:
            return []  # a Đảng ủy's file has no meetings nor reviews to type into
        try:
            left = drafts.all_drafts()
        except DatabaseError:
            return []
        meetings, last_key = [], ""
        for draft in left:
            if draft.meeting_id is None:
                continue
            try:
                meetings.append(meeting_service.get_meeting(draft.meeting_id))
                last_key = draft.key
            except NotFound:
                drafts.discard(draft.key)  # the meeting was deleted; nothing to put the text back into
        if not meetings:
            self._offer_review_draft([d.key for d in left])
            return []
        self.nav.setCurrentRow(MEETINGS)
        page = self.meetings
        page.open_meeting(meetings[-1].id, page.info if last_key.endswith(".info") else page.content)
        days = ", ".join(sorted({m.date.strftime("%d/%m/%Y") for m in meetings}))
        self.statusBar().showMessage(
            _("Đã đưa lại phần gõ dở chưa kịp lưu của buổi sinh hoạt ngày {days}.").format(days=days), 30000)
        return [m.id for m in meetings]

    def _offer_review_draft(self, keys: list[str]) -> None:
        """review.<year>.<member id>: the last one typed is opened on the Đánh giá page."""
        found = [key.split(".") for key in keys if key.startswith("review.")]
        found = [(int(parts[1]), int(parts[2])) for parts in found if len(parts) == 3
                 and parts[1].isdigit() and parts[2].isdigit()]
        if not found:
            return
        self.nav.setCurrentRow(REVIEW)
        year, member_id = found[-1]
        if self.page(REVIEW).open_draft(year, member_id):
            self.statusBar().showMessage(
                _("Đã đưa lại phần gõ dở chưa kịp lưu của bản kiểm điểm năm {year}.").format(year=year), 30000)

    # --- text size -----------------------------------------------------------------------------------
    def text_scale(self) -> int:
        try:
            return int(setting_service.get("ui.text_scale"))
        except (ServiceError, DatabaseError):
            return 100

    def step_text_scale(self, step: int) -> None:
        scales = setting_service.TEXT_SCALES
        index = scales.index(self.text_scale()) if self.text_scale() in scales else 0
        self.set_text_scale(scales[max(0, min(len(scales) - 1, index + step))])

    def set_text_scale(self, percent: int) -> None:
        """Cỡ chữ: saved with the cell's settings, applied at once by building every widget again."""
        from ui.application import apply_text_scale

        if percent == self.text_scale():
            return
        self.flush_all()
        if run_op(self, lambda: setting_service.set_value("ui.text_scale", percent)) is None:
            return
        apply_text_scale(percent)
        # The window takes the new size at once (Qt would pass it on only after the next events),
        # and every page, table row and dialog built from here on is built at it.
        self.setFont(QApplication.font())
        self._build(self.nav.currentRow())
        self.statusBar().showMessage(_("Cỡ chữ {percent} %").format(percent=percent), 5000)

    # --- geometry ------------------------------------------------------------------------------------
    def _restore_geometry(self) -> bool:
        saved = settings().value("geometry/MainWindow")
        if saved is None or not self.restoreGeometry(saved):
            return False
        screen = QGuiApplication.primaryScreen()
        # A size remembered on a larger screen would put the buttons below the edge of this one.
        return screen is None or screen.availableGeometry().contains(self.frameGeometry())

    def needs_maximizing(self, available: QRect | None = None) -> bool:
        """True when the screen is smaller than the window's default size (and no fitting size is saved)."""
        if self._restored:
            return bool(settings().value("geometry/maximized", False, type=bool))
        if available is None:
            screen = QGuiApplication.primaryScreen()
            if screen is None:
                return False
            available = screen.availableGeometry()
        # Room for the title bar and frame that the window manager adds.
        return available.width() < DEFAULT_SIZE[0] + 16 or available.height() < DEFAULT_SIZE[1] + 40

    def show_first(self) -> None:
        """Show the window as the secretary last left it, maximized on a small screen."""
        if self.needs_maximizing():
            # Fill the screen first: where no window manager acts on "maximized" (a bare X session, some
            # kiosks) the window would otherwise keep 1280×800 and hang off a 768-pixel screen.
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                self.setGeometry(screen.availableGeometry())
            self.showMaximized()
        else:
            self.show()

    # --- actions -------------------------------------------------------------------------------------
    def show_help(self, area: str | None = None) -> None:
        from ui.help import show_help

        show_help(self, area or getattr(self.current_page(), "area", "overview"))

    def refresh_title(self) -> None:
        try:
            info = cell_service.get_cell()
        except DatabaseError:
            info = None
        from ui.safety.second_window import read_only_mark

        self.setWindowTitle((f"{info.name} — chibo" if info else "chibo") + read_only_mark(self))
        self.cell_label.setText(info.name if info else "")
        self.superior_label.setText(info.superior_name if info else "")

    def _show_count(self, shown: int) -> None:
        self.count_label.setText(_("Đang hiện {count} đồng chí").format(count=shown))

    def import_roster(self) -> None:
        from ui.roster.import_dialog import import_roster

        import_roster(self, lambda: None)

    def export_roster(self) -> None:
        from ui.roster.import_dialog import export_roster

        export_roster(self)

    def edit_cell(self) -> None:
        from ui.first_run import CellDialog

        if CellDialog(parent=self).exec() == QDialog.DialogCode.Accepted:
            self.refresh_title()

    def reload_all(self) -> None:
        """After a restore or an encryption change every page reads the data again."""
        announce(Changes(everything=True), self)

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
        except Exception as exc:  # noqa: BLE001 - a note in the status bar, never a box: work goes on
            self.statusBar().showMessage(_("Chưa sao lưu hằng ngày được: {error}").format(error=error_text(exc)), 60000)

    def closeEvent(self, event) -> None:
        self.flush_all()
        settings().setValue("geometry/maximized", self.isMaximized())
        if not self.isMaximized():
            settings().setValue("geometry/MainWindow", self.saveGeometry())
        # A backup on every close: the one copy of the cell's records is never more than a session old.
        daily_waiting = self.daily_timer.isActive()
        self.daily_timer.stop()
        if safety.takes_backups() and not self._backup_on_close():
            event.ignore()  # the secretary chose to stay (Esc): the window stays open as it was
            if daily_waiting:
                self.daily_timer.start(3000)
            return
        super().closeEvent(event)

    def _backup_on_close(self) -> bool:
        """Take the closing backup; when it fails, ask until it is made (True), the secretary closes without it
        (True) or stays (False)."""
        folder: Path | None = None
        while True:
            try:
                safety.backup_now("khi-dong", folder=folder)
                return True
            except Exception as exc:  # noqa: BLE001 - a full disk or a pulled stick must not close the window silently
                answer, folder = self._ask_after_failed_backup(error_text(exc), folder)
            if answer != "retry":
                return answer == "close"

    def _ask_after_failed_backup(self, failure: str, folder: Path | None) -> tuple[str, Path | None]:
        """Thử lại (in the folder chosen, if any), Chọn thư mục khác…, Đóng không sao lưu, or Không đóng (Esc)."""
        while True:
            answer = choose(self, _("Chưa sao lưu được"), _(
                "Không sao lưu được khi đóng chương trình, nên chưa có bản sao lưu của lần làm việc này."),
                [(_("Thử lại"), QMessageBox.ButtonRole.AcceptRole, "retry"),
                 (_("Chọn thư mục khác…"), QMessageBox.ButtonRole.ActionRole, "folder"),
                 (_("Đóng không sao lưu"), QMessageBox.ButtonRole.DestructiveRole, "close"),
                 (_("Không đóng"), QMessageBox.ButtonRole.RejectRole, "stay")],
                informative=failure, min_chars=60)
            if answer != "folder":
                return answer, folder
            chosen = QFileDialog.getExistingDirectory(self, _("Chọn thư mục để sao lưu"),
                                                      str(remembered_folder("backup")))
            if chosen:
                remember_folder(Path(chosen), "backup")
                return "retry", Path(chosen)
