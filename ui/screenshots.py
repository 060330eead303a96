"""Pictures of every page and dialog of the window, for looking at the layout without a screen.

    python -m ui.screenshots OUTDIR [--size WxH] [--scale PERCENT]

The demo cell is built in a temporary folder on a fixed day (TODAY), so two runs draw the same pages.
The main window fills --size (default 1366x768) as when maximized on a laptop of that screen; dialogs
take their own size, capped to the screen. --scale (100, 125, 150, 175) is the program's Cỡ chữ, set
with apply_text_scale before anything is built, as at start-up.

No dialog runs modally: while a picture is taken, exec() shows the dialog, grabs it and closes it, so the
program's own code (a button's slot) opens each dialog with the arguments it really passes. A screen that
cannot be built prints one line and the others are still taken; the exit code is 1 if any failed.
Lines starting "chú ý" are what the script measures by itself: a text or a button cut, a table showing
fewer than three rows, a dialog larger than the screen.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import inspect
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# The day the demo is built on and the pages count from; the tests use the same one.
TODAY = dt.date(2026, 11, 23)
DEFAULT_SIZE = "1366x768"
SAMPLE_FILE = Path("tests") / "fixtures" / "danh-sach-dang-vien-thon-dong.xlsx"
# Pages whose constructor takes `today`; the window builds them on the real day.
_DATED_PAGES = {"meetings": ("ui.meetings.page", "MeetingsPage"), "fees": ("ui.fees.page", "FeesPage"),
                "review": ("ui.review.page", "ReviewPage"), "reports": ("ui.reports.page", "ReportsPage")}
# A preview of a PDF draws its pages in the background: the picture waits until two grabs agree.
_PDF_WAIT_MS = (400, 4000)
# The roll should show at least this many members at once on the laptop.
ROLL_ROWS = 12
# Every few seconds a dialog run by Qt itself (a static QFileDialog/QInputDialog call) is closed.
_WATCHDOG_MS = 3000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from app.services.settings import TEXT_SCALES

    parser = argparse.ArgumentParser(prog="python -m ui.screenshots",
                                     description="Ghi ảnh PNG của từng trang và từng hộp thoại.")
    parser.add_argument("outdir", type=Path, help="thư mục ghi ảnh (tạo nếu chưa có)")
    parser.add_argument("--size", default=DEFAULT_SIZE, type=_size,
                        help=f"cỡ màn hình và cửa sổ chính, rộng x cao (mặc định {DEFAULT_SIZE})")
    parser.add_argument("--scale", default=100, type=int, choices=TEXT_SCALES,
                        help="cỡ chữ, phần trăm (mặc định 100)")
    return parser.parse_args(argv)


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» không phải cỡ rộng x cao, ví dụ 1366x768") from None
    if width < 320 or height < 240:
        raise argparse.ArgumentTypeError(f"«{text}» nhỏ quá")
    return width, height


def _screen_of_size(folder: Path, size: tuple[int, int]) -> None:
    """Make the offscreen screen as large as the laptop's (Qt's own is 800 px), before the app exists."""
    platform = os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if platform != "offscreen":
        return  # a real display, or an offscreen configuration chosen by the caller
    config = folder / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": False, "screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": size[0], "height": size[1],
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def settle(ms: int = 0) -> None:
    """Let Qt lay out and paint (and run zero timers); with ms, keep doing so that long."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + ms / 1000
    for _ in range(5):
        QApplication.processEvents()
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)


def until_still(widget) -> None:
    """Wait until the widget looks the same twice in a row (pages drawn in the background are in)."""
    least, most = _PDF_WAIT_MS
    deadline = time.monotonic() + most / 1000
    settle(least)
    before = widget.grab().toImage()
    while time.monotonic() < deadline:
        settle(150)
        now = widget.grab().toImage()
        if now == before:
            return
        before = now


class Shooter:
    """Takes the pictures; remembers which ones failed and why."""

    def __init__(self, out: Path, screen: tuple[int, int]):
        from PySide6.QtCore import QTimer

        self.out, self.screen = out, screen
        self.written: list[Path] = []
        self.failed: dict[str, str] = {}
        self.window = None
        self._name: str | None = None  # the picture a dialog opened now belongs to
        self._taken = 0
        self._result = 0
        self._showing: set[int] = set()
        self._slot_errors: list[str] = []
        self._watchdog = QTimer()
        self._watchdog.setInterval(_WATCHDOG_MS)
        self._watchdog.timeout.connect(self._close_blocking_dialog)

    # --- saving ----------------------------------------------------------------------------------
    def save(self, widget, name: str, crop: tuple[int, int] | None = None, title: str = "") -> Path:
        pixmap = widget.grab()
        if crop is not None and (pixmap.width() > crop[0] or pixmap.height() > crop[1]):
            pixmap = pixmap.copy(0, 0, min(pixmap.width(), crop[0]), min(pixmap.height(), crop[1]))
        if title:
            pixmap = with_title_bar(pixmap, title)
        path = self.out / f"{name}.png"
        if pixmap.isNull() or not pixmap.save(str(path)):
            raise RuntimeError(f"không ghi được ảnh {path}")
        self.written.append(path)
        print(path, flush=True)
        for note in layout_notes(widget):
            print(f"chú ý {name}: {note}", flush=True)
        return path

    def fail(self, name: str, error: str) -> None:
        self.failed[name] = error
        print(f"KHÔNG CHỤP ĐƯỢC {name}: {error}", file=sys.stderr, flush=True)

    @contextmanager
    def attempt(self, name: str) -> Iterator[None]:
        """One picture: an exception, or one raised in a slot meanwhile, is reported and the run goes on."""
        from PySide6.QtCore import QSettings

        # Each dialog at its own size: none restores the size another picture left in the settings.
        QSettings("chibo", "chibo").clear()
        self._slot_errors = []
        hook, sys.excepthook = sys.excepthook, self._slot_error
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - one broken screen must not stop the others
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            self.fail(name, f"{detail}\n{_where(exc)}")
        else:
            if self._slot_errors:
                self.fail(name, self._slot_errors[0])
        finally:
            sys.excepthook = hook

    def _slot_error(self, kind, exc, tb) -> None:
        traceback.print_exception(kind, exc, tb)
        self._slot_errors.append(traceback.format_exception_only(kind, exc)[-1].strip())

    # --- the window -------------------------------------------------------------------------------
    def page(self, name: str, prepare: Callable[[object], None], drawing: bool = False) -> None:
        """The main window after prepare(window) (a page chosen, a tab opened); drawing: wait for a PDF."""
        with self.attempt(name):
            if self.window is None:
                raise RuntimeError("cửa sổ chính không dựng được")
            prepare(self.window)
            settle()
            if drawing:
                until_still(self.window)
            self.note_window_size(name)
            self.save(self.window, name)

    def note_window_size(self, name: str) -> None:
        """A page wider or taller than the screen makes the maximized window grow past its edges."""
        width, height = self.window.width(), self.window.height()
        if (width, height) != self.screen:
            hint = self.window.minimumSizeHint()
            print(f"chú ý {name}: cửa sổ {width}×{height} px, không vừa màn hình {self.screen[0]}×{self.screen[1]} "
                  f"(cỡ tối thiểu {hint.width()}×{hint.height()}); phần quá cỡ nằm ngoài màn hình", flush=True)

    def menu(self, name: str, index: int) -> None:
        """A menu of the menu bar, dropped down under its title."""
        with self.attempt(name):
            if self.window is None:
                raise RuntimeError("cửa sổ chính không dựng được")
            bar = self.window.menuBar()
            action = bar.actions()[index]
            menu = action.menu()
            menu.popup(bar.mapToGlobal(bar.actionGeometry(action).bottomLeft()))
            settle()
            try:
                self.save(menu, name, crop=self.screen)
            finally:
                menu.hide()

    # --- dialogs ----------------------------------------------------------------------------------
    def dialog(self, name: str, open_: Callable[[], object], result: int = 0) -> None:
        """open_() either runs the program's code that exec()s a dialog (each one shown, grabbed, closed and
        answered `result`), or returns a dialog it built, which is shown the same way."""
        with self.attempt(name), self._not_run(name, result):
            self._watchdog.start()
            try:
                built = open_()
                if built is not None and self._taken == 0:
                    self.show_dialog(built, name)
                    built.close()
                    built.deleteLater()
            finally:
                self._watchdog.stop()
            if self._taken == 0:
                raise RuntimeError("không có hộp thoại nào mở ra")

    def show_dialog(self, dialog, name: str) -> None:
        # Like exec(): a dialog not sized by its own code takes its size hint when shown.
        self._showing.add(id(dialog))
        try:
            dialog.show()
            settle()
            width, height = self.screen
            if dialog.width() > width or dialog.height() > height:
                asked = f"{dialog.width()}×{dialog.height()}"
                dialog.resize(min(dialog.width(), width), min(dialog.height(), height))
                settle()
                fits = dialog.width() <= width and dialog.height() <= height
                print(f"chú ý {name}: hộp thoại {asked} px, lớn hơn màn hình {width}×{height}; "
                      + ("thu lại được cho vừa" if fits else
                         f"không thu nhỏ hơn {dialog.width()}×{dialog.height()} được: ảnh cắt ở mép màn hình, "
                         "phần ngoài (có thể cả nút Lưu/Hủy) không thấy được"), flush=True)
            # A dialog that cannot shrink so far is cut where the screen ends, as the secretary sees it.
            self.save(dialog, name, crop=self.screen, title=dialog.windowTitle())
            self._taken += 1
        finally:
            self._showing.discard(id(dialog))

    def _shown_instead_of_run(self, dialog) -> int:
        name = self._name if self._taken == 0 else f"{self._name}-{self._taken + 1}"
        try:
            self.show_dialog(dialog, name)
        finally:
            dialog.done(self._result)
        return self._result

    @contextmanager
    def _not_run(self, name: str, result: int) -> Iterator[None]:
        from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

        shooter = self

        def exec_(dialog, *_args):
            return shooter._shown_instead_of_run(dialog)

        self._name, self._taken, self._result = name, 0, result
        replaced = {cls: cls.__dict__["exec"] for cls in (QDialog, QMessageBox, QFileDialog, QInputDialog)
                    if "exec" in cls.__dict__}
        for cls in replaced:
            cls.exec = exec_
        try:
            yield
        finally:
            for cls, original in replaced.items():
                cls.exec = original

    def _close_blocking_dialog(self) -> None:
        """A dialog Qt runs itself (a static getSaveFileName…) would wait forever: picture it, close it."""
        from PySide6.QtWidgets import QApplication

        dialog = QApplication.activeModalWidget()
        if dialog is None or id(dialog) in self._showing:
            return
        name = f"{self._name}-chan"
        try:
            self.save(dialog, name, crop=self.screen)
        finally:
            dialog.reject()
        self._slot_errors.append(f"một hộp thoại chạy exec() riêng của Qt ({type(dialog).__name__}), đã đóng; "
                                 f"ảnh {name}.png")


def with_title_bar(pixmap, title: str):
    """The picture under a plain title bar: offscreen windows have none, and the title names the member."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QPainter, QPixmap

    # About a laptop's title bar: its system font (9 pt), whatever the program's text size.
    font = QFont("Noto Sans")
    font.setPointSizeF(9)
    height = 30
    framed = QPixmap(pixmap.width(), pixmap.height() + height)
    framed.fill(QColor("#ffffff"))
    painter = QPainter(framed)
    painter.setFont(font)
    painter.setPen(QColor("#000000"))
    bar = QRect(10, 0, pixmap.width() - 20, height)
    painter.drawText(bar, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                     painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, bar.width() - 100))
    painter.setPen(QColor("#c0c0c0"))
    painter.drawLine(0, height - 1, pixmap.width(), height - 1)
    painter.drawPixmap(0, height, pixmap)
    painter.end()
    return framed


def _where(exc: BaseException) -> str:
    """The innermost line of the program's own code that raised."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) != Path(__file__)]
    frame = (frames or traceback.extract_tb(exc.__traceback__))[-1]
    where = Path(frame.filename)
    root = Path(__file__).resolve().parents[1]
    shown = where.relative_to(root) if where.is_relative_to(root) else where
    return f"  ở {shown}:{frame.lineno} ({frame.name})"


# --- what the script measures --------------------------------------------------------------------
def layout_notes(top) -> list[str]:
    """Texts cut short, buttons out of sight, tables showing fewer than three rows, in a shown widget."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QHeaderView, QLabel, QTableView

    notes = []
    frame = top.rect()
    for widget in top.findChildren(QAbstractButton) + top.findChildren(QLabel):
        if not widget.isVisibleTo(top) or not widget.text() or widget.window() is not top:
            continue
        text = widget.text().replace("&", "").replace("\n", " ")
        corners = (widget.mapTo(top, widget.rect().topLeft()), widget.mapTo(top, widget.rect().bottomRight()))
        if not all(frame.contains(corner) for corner in corners):
            # What lies in a scrolled pane is reached by scrolling; anything else is past the edge.
            if not _in_scroll_area(widget, top):
                notes.append(f"«{_short(text)}» ra ngoài khung cửa sổ")
            continue
        if isinstance(widget, QLabel):
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 1:
                    notes.append(f"nhãn «{_short(text)}» cần cao {needed} px, chỉ có {widget.height()} px")
            elif widget.sizeHint().width() > widget.width() + 1:
                notes.append(f"nhãn «{_short(text)}» cần rộng {widget.sizeHint().width()} px, "
                             f"chỉ có {widget.width()} px")
        elif widget.inherits("QPushButton"):
            # The words themselves, not the style's least button width, must fit between the edges.
            icon = 0 if widget.icon().isNull() else widget.iconSize().width()
            needed = widget.fontMetrics().horizontalAdvance(text) + icon + 8
            if needed > widget.width():
                notes.append(f"nút «{_short(text)}» cần rộng {needed} px, chỉ có {widget.width()} px")
    for view in top.findChildren(QAbstractItemView):
        if (isinstance(view, QHeaderView) or not view.isVisibleTo(top) or view.window() is not top
                or view.model() is None):
            continue
        rows = view.model().rowCount()
        full = visible_rows(view)
        if rows >= 3 and full < 3:
            notes.append(f"bảng {_view_name(view)} chỉ hiện trọn {full} dòng (có {rows})")
        if isinstance(view, QTableView):
            notes += _column_notes(view)
    return notes


def _column_notes(view) -> list[str]:
    """Columns whose title or cells are wider than the column, and columns out of sight to the right."""
    notes = []
    header = view.horizontalHeader()
    width = view.viewport().width()
    hidden = []
    # A cell wider than its column is fine where the rows are tall enough for its text to wrap.
    rows = view.verticalHeader()
    tall = any(rows.sectionSize(row) > view.fontMetrics().lineSpacing() * 1.8 for row in range(rows.count()))
    wraps = view.wordWrap() and tall
    for column in range(header.count()):
        if header.isSectionHidden(column) or header.sectionSize(column) == 0:
            continue
        size = header.sectionSize(column)
        title = str(view.model().headerData(column, header.orientation()) or f"{column + 1}")
        if header.sectionViewportPosition(column) + size > width + 1:
            hidden.append(title)
            continue
        wanted = header.sectionSizeFromContents(column).width()
        if wanted > size + 1:
            notes.append(f"bảng {_view_name(view)}: tiêu đề cột «{_short(title)}» bị cắt ({size} px, cần {wanted} px)")
        cells = view.sizeHintForColumn(column)
        if cells > size + 1 and not wraps:
            notes.append(f"bảng {_view_name(view)}: chữ trong cột «{_short(title)}» rộng {cells} px, cột chỉ {size} px")
    if hidden:
        notes.append(f"bảng {_view_name(view)}: cột {', '.join(f'«{t}»' for t in hidden)} khuất bên phải "
                     f"(phải kéo ngang)")
    return notes


def _in_scroll_area(widget, top) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def visible_rows(view) -> int:
    """How many rows of a list or table are wholly in sight."""
    height = view.viewport().height()
    count = 0
    for row in range(view.model().rowCount()):
        rect = view.visualRect(view.model().index(row, 0))
        if rect.isValid() and rect.top() >= 0 and rect.bottom() < height:
            count += 1
    return count


def _view_name(view) -> str:
    """A table named by its first column's title, as the eye finds it in the picture."""
    from PySide6.QtCore import QModelIndex, Qt

    model = view.model()
    # A list's model takes its parent as an argument, and some hide columnCount altogether: a list has no title.
    try:
        columns = model.columnCount()
    except TypeError:
        try:
            columns = model.columnCount(QModelIndex())
        except TypeError:
            columns = 0
    first = model.headerData(0, Qt.Orientation.Horizontal) if columns > 0 else None
    return f"«{first}…»" if first else type(view).__name__


def _short(text: str, length: int = 50) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


# --- building the window on the fixed day ---------------------------------------------------------
def _dated(entry, day: dt.date):
    """A navigation entry whose page counts from `day` instead of the clock, where the page allows it."""
    target = _DATED_PAGES.get(getattr(entry, "area", ""))
    if target is None:
        return entry

    def build():
        page_class = getattr(importlib.import_module(target[0]), target[1])
        if "today" in inspect.signature(page_class).parameters:
            return page_class(today=day)
        return entry.build()

    return dataclasses.replace(entry, build=build)


def _window(day: dt.date, size: tuple[int, int]):
    from ui import main_window

    main_window.PAGES = tuple(_dated(entry, day) for entry in main_window.PAGES)
    window = main_window.MainWindow()
    # No backup while the pictures are taken, and none on closing: the timers and close are left alone.
    window.daily_timer.stop()
    window.resize(*size)
    window.show()
    settle()
    return window


def _show_row(window, row: int) -> None:
    window.nav.setCurrentRow(row)


def _member_with_history(window):
    """A member with a history worth showing: the first one who is no longer simply on probation."""
    from app.domain.members import MemberStatus

    return next(e.member for e in window.roster.model.entries if e.member.status != MemberStatus.PROBATIONARY)


# --- the pictures ---------------------------------------------------------------------------------
def take_window_pictures(shot: Shooter, folder: Path) -> None:
    from ui.main_window import FEES, MEETINGS, PAGES, ROSTER

    window = shot.window

    def roster(w) -> None:
        _show_row(w, ROSTER)
        w.roster.search.clear()
        w.roster.select_member(_member_with_history(w).id)

    shot.page("trang-dang-vien", roster)
    shot.page("trang-dang-vien-tim-kiem", lambda w: (_show_row(w, ROSTER), w.roster.search.setText("dang")))
    if window is not None:
        window.roster.search.clear()

    for index, name in enumerate(("diem-danh", "thong-tin", "noi-dung")):
        shot.page(f"trang-sinh-hoat-{name}", _on_tab(MEETINGS, index))
        if index == 0 and "trang-sinh-hoat-diem-danh" not in shot.failed:
            _count_roll(window)

    shot.page("trang-sinh-hoat-nhiem-vu", _meeting_with_tasks)

    def minutes(w) -> None:
        _on_tab(MEETINGS, _print_tab(w))(w)
        w.meetings.preview_meeting("minutes")

    shot.page("trang-sinh-hoat-xem-in", minutes, drawing=True)

    def register(w) -> None:
        _show_row(w, MEETINGS)
        w.meetings.preview_register()

    shot.page("trang-sinh-hoat-so-diem-danh", register, drawing=True)

    for index, name in enumerate(("", "-canh-bao", "-tong-hop-nam")):
        shot.page(f"trang-dang-phi{name}", _on_tab(FEES, index))
    take_review_pictures(shot)
    take_reports_pictures(shot)
    later = {"forms": "trang-bieu-mau", "reminders": "trang-nhac-viec"}
    for row, entry in enumerate(PAGES):
        if entry.area in later:
            shot.page(later[entry.area], lambda w, row=row: _show_row(w, row))
    for index, name in enumerate(("menu-tep", "menu-xem", "menu-tro-giup")):
        shot.menu(name, index)
    if window is not None:
        _show_row(window, ROSTER)
        settle()


def _meeting_with_tasks(window) -> None:
    """The «Nhiệm vụ» tab of the latest meeting that gave tasks or looks back on some."""
    from app.services import review_tasks
    from ui.main_window import MEETINGS

    _show_row(window, MEETINGS)
    page = window.meetings
    ids = [s.meeting.id for s in page.model.rows]
    chosen = next((i for i in reversed(ids) if review_tasks.tasks(meeting_id=i) or review_tasks.to_confirm(i)),
                  ids[-1] if ids else None)
    if chosen is not None:
        page.open_meeting(chosen, page.tasks_panel)
    else:
        page.tabs.setCurrentWidget(page.tasks_panel)


def _print_tab(window) -> int:
    """The meeting's «Xem và in» tab, the last one."""
    return window.meetings.tabs.count() - 1


def _review_editor(tab: int, prepare: Callable[[object], None] | None = None) -> Callable[[object], None]:
    """The Đánh giá page with a member's review open on one of its tabs: the first member the cell proposed."""
    def open_(window) -> None:
        from ui.main_window import REVIEW

        _show_row(window, REVIEW)
        page = window.page(REVIEW)
        member = next((r for r in page.rows if r.data.proposed_grade and r.tasks),
                      next((r for r in page.rows if r.data.proposed_grade), page.rows[0]))
        if page.editor.row is None or page.editor.row.member_id != member.member_id:
            page.edit_member(member.member_id)
        page.editor.tabs.setCurrentIndex(tab)
        if prepare is not None:
            prepare(page.editor)
    return open_


def _scroll_to_end(editor) -> None:
    settle()
    scroll = editor.tabs.currentWidget()
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())


def _contradiction(editor) -> None:
    """A proposal above the grade the scores give, with no reason: refused, the message under the field."""
    from ui.review import fields

    combo = editor.widgets["proposed_grade"]
    fields.set_grade(combo, _grade_above(editor.row))
    editor.widgets["proposed_reason"].clear()
    editor.save()


def _grade_above(row):
    from app.domain.review import GRADES_BEST_FIRST, Grade

    computed = row.computed.grade if row.computed else Grade.PASSED
    return GRADES_BEST_FIRST[max(0, GRADES_BEST_FIRST.index(computed) - 1)] if computed is not Grade.EXCELLENT \
        else Grade.GOOD


def take_review_pictures(shot: Shooter) -> None:
    """The Đánh giá page: the list, then one member's review on each of its tabs, and a refused save."""
    from ui.main_window import REVIEW

    shot.page("trang-danh-gia", lambda w: _show_row(w, REVIEW))
    for index, name in enumerate(("", "-tu-kiem-diem", "-chi-bo", "-dang-uy", "-nhiem-vu")):
        shot.page(f"trang-danh-gia-sua{name}", _review_editor(index))
    shot.page("trang-danh-gia-sua-bieu-quyet", _review_editor(2, _scroll_to_end))
    shot.page("trang-danh-gia-sua-bao-loi", _review_editor(2, _contradiction))
    if shot.window is not None:
        shot.window.page(REVIEW).editor.discard()  # the refused proposal is dropped, with its draft


def take_reports_pictures(shot: Shooter) -> None:
    """The Báo cáo page on Biểu 1 of the year, and on Biểu 3 of a quarter."""
    from app.domain.report_period import Period, PeriodKind
    from ui.main_window import REPORTS

    def year(w) -> None:
        _show_row(w, REPORTS)
        page = w.page(REPORTS)
        page.set_period(Period(TODAY.year))
        page.select_form("1")

    def quarter(w) -> None:
        _show_row(w, REPORTS)
        page = w.page(REPORTS)
        page.set_period(Period(TODAY.year, PeriodKind.QUARTER, 3))
        page.select_form("3")

    shot.page("trang-bao-cao", year)
    shot.page("trang-bao-cao-bieu-3-quy", quarter)
    if shot.window is not None:
        year(shot.window)


def take_reports_dialog_pictures(shot: Shooter, folder: Path) -> None:
    """The dialogs of the Báo cáo page and of a member's events, and the status dialog for a transfer out."""
    from app.domain.member_events import EventKind
    from app.domain.members import MemberStatus
    from ui.main_window import REPORTS, ROSTER

    def on_page(row: int, make: Callable[[object], object]) -> Callable[[], object]:
        def open_() -> object:
            if shot.window is None:
                raise RuntimeError("cửa sổ chính không dựng được")
            _show_row(shot.window, row)
            return make(shot.window.page(row))
        return open_

    shot.dialog("hop-thoai-bao-cao-excel", on_page(REPORTS, lambda page: dialogs_of(page).ReportPrivacyDialog(
        page.period(), page)))

    def package(page):
        dialog = dialogs_of(page).PackageDialog(page.period(), page, today=TODAY)
        dialog.path.setText(str(folder / "goi-bao-cao-2026.chibo"))
        return dialog

    def package_passphrase(page):
        dialog = package(page)
        dialog.encryption["passphrase"].setChecked(True)
        return dialog

    shot.dialog("hop-thoai-lap-goi-mat-khau", on_page(REPORTS, package_passphrase))
    shot.dialog("hop-thoai-lap-goi", on_page(REPORTS, package))

    def exported(page) -> None:
        from app.services import package_export
        from ui.dialogs import show_info

        made = package_export.export_package(page.period(), folder / "goi-bao-cao-2026.chibo", today=TODAY,
                                             with_pdf=False)
        page.show_packages()
        show_info(page, dialogs_of(page).exported_message(made), "Đã lập gói gửi cấp trên")

    shot.dialog("hop-thoai-da-lap-goi", on_page(REPORTS, exported))
    def sent(w) -> None:
        _show_row(w, REPORTS)
        w.page(REPORTS).tabs.setCurrentIndex(1)

    shot.page("trang-bao-cao-da-gui", sent)
    if shot.window is not None:
        shot.window.page(REPORTS).tabs.setCurrentIndex(0)
    shot.dialog("hop-thoai-mo-lai-ky", on_page(REPORTS, lambda page: dialogs_of(page).ReopenDialog(
        "2026-Q3", "quý III năm 2026", page)))

    def member_of(page):
        return _member_with_history(page.window())

    def events(page):
        from ui.roster.events_dialog import EventsDialog

        return EventsDialog(member_of(page), page, today=TODAY)

    def add_badge(page):
        from ui.roster.events_dialog import AddEventDialog

        dialog = AddEventDialog(member_of(page), page, today=TODAY)
        dialog.kind.setCurrentIndex(dialog.kind.findData(EventKind.BADGE.value))
        return dialog

    def classify(page):
        from ui.roster.history_dialog import ClassifyDialog

        member = member_of(page)
        from app.services import members as member_service

        change = member_service.status_history(member.id)[0]
        return ClassifyDialog(member, change, None, page)

    def transfer_out(page):
        from ui.roster.status_dialog import StatusDialog

        dialog = StatusDialog(member_of(page), page, today=TODAY)
        dialog.status.setCurrentIndex(dialog.status.findData(MemberStatus.TRANSFERRED_OUT.value))
        return dialog

    shot.dialog("hop-thoai-huy-hieu-khen-thuong", on_page(ROSTER, events))
    shot.dialog("hop-thoai-them-su-kien", on_page(ROSTER, add_badge))
    shot.dialog("hop-thoai-ghi-hinh-thuc", on_page(ROSTER, classify))
    shot.dialog("hop-thoai-doi-tinh-trang-chuyen-di", on_page(ROSTER, transfer_out))


def dialogs_of(_page):
    from ui.reports import dialogs

    return dialogs


def take_review_dialog_pictures(shot: Shooter, on_page) -> None:
    """The season and Mẫu 01 dialogs, the question on leaving a review half typed, the meeting's task dialogs."""
    from ui.main_window import MEETINGS, REVIEW

    shot.dialog("hop-thoai-mo-dot-kiem-diem", on_page(REVIEW, lambda page: page.open_season()))
    shot.dialog("hop-thoai-dot-kiem-diem", on_page(REVIEW, lambda page: page.edit_season()))
    shot.dialog("hop-thoai-kiem-diem-chi-bo", on_page(REVIEW, lambda page: page.edit_cell_rating()))

    def half_typed(page) -> None:
        _review_editor(1)(shot.window)
        page.editor.widgets["strengths"].setPlainText("Gương mẫu trong công tác vận động quần chúng")
        try:
            page.editor.leave()
        finally:
            page.editor.discard()

    shot.dialog("hop-thoai-chua-luu-kiem-diem", on_page(REVIEW, half_typed))

    def cancel_task(page) -> None:
        page.tasks_panel.given_table.selectRow(0)
        page.tasks_panel.cancel_task()

    shot.dialog("hop-thoai-them-nhiem-vu", on_page(MEETINGS, lambda page: page.tasks_panel.add_task()))
    shot.dialog("hop-thoai-bo-nhiem-vu", on_page(MEETINGS, cancel_task))


def _on_tab(row: int, index: int) -> Callable[[object], None]:
    """Prepares the window: the page at a navigation row, on one of its tabs."""
    def prepare(window) -> None:
        _show_row(window, row)
        window.page(row).tabs.setCurrentIndex(index)
    return prepare


def _count_roll(window) -> None:
    """The roll is read down the list while members answer: how many rows are seen without scrolling."""
    try:
        view = window.meetings.roll.view
        shown, rows = visible_rows(view), view.model().rowCount()
    except Exception as exc:  # noqa: BLE001 - a measure, not a picture: say so and go on
        print(f"đo trang-sinh-hoat-diem-danh: không đếm được ({exc})", flush=True)
        return
    print(f"đo trang-sinh-hoat-diem-danh: điểm danh hiện trọn {shown} trên {rows} đồng chí", flush=True)
    if shown < min(rows, ROLL_ROWS):
        print(f"chú ý trang-sinh-hoat-diem-danh: điểm danh hiện trọn {shown} dòng, ít hơn {ROLL_ROWS}", flush=True)


def take_dialog_pictures(shot: Shooter, folder: Path) -> None:
    from PySide6.QtWidgets import QDialog

    from ui.main_window import FEES, MEETINGS, ROSTER

    window = shot.window

    def needs_window() -> object:
        if window is None:
            raise RuntimeError("cửa sổ chính không dựng được")
        return window

    def on_roster(action: str) -> Callable[[], None]:
        def open_() -> None:
            w = needs_window()
            _show_row(w, ROSTER)
            w.roster.select_member(_member_with_history(w).id)
            getattr(w.roster, action)()
        return open_

    shot.dialog("hop-thoai-them-dang-vien", on_roster("add_member"))
    shot.dialog("hop-thoai-sua-dang-vien", on_roster("edit_selected"))
    shot.dialog("hop-thoai-them-dang-vien-bao-loi", _member_with_errors(needs_window))
    shot.dialog("hop-thoai-doi-tinh-trang", on_roster("change_status"))
    shot.dialog("hop-thoai-luu-tru", on_roster("archive_or_restore"))
    shot.dialog("hop-thoai-lich-su", on_roster("show_history"))

    def changes() -> QDialog:
        from ui.roster.history_dialog import HistoryDialog

        dialog = HistoryDialog(_member_with_history(needs_window()), window)
        dialog.tabs.setCurrentIndex(1)
        return dialog

    shot.dialog("hop-thoai-lich-su-thay-doi", changes)
    shot.dialog("hop-thoai-nhap-danh-sach", lambda: _import_dialog(_sample_file(folder), window))
    shot.dialog("hop-thoai-nhap-danh-sach-bi-tu-choi", lambda: _import_dialog(_rejected_file(folder), window))
    shot.dialog("hop-thoai-thong-tin-chi-bo", lambda: needs_window().edit_cell())
    shot.dialog("hop-thoai-an-toan-du-lieu", lambda: needs_window().open_safety())

    def on_safety(action: str) -> Callable[[], None]:
        def open_() -> None:
            from ui.safety.safety_dialog import SafetyDialog

            safety = SafetyDialog(window)
            try:
                getattr(safety, action)()
            finally:
                safety.deleteLater()
        return open_

    shot.dialog("hop-thoai-mat-khau", on_safety("encrypt"))

    def failed_closing_backup() -> None:
        import errno

        from ui.ops import error_text

        full = OSError(errno.ENOSPC, "No space left on device", str(folder / "sao-luu" / "chibo.sqlite"))
        needs_window()._ask_after_failed_backup(error_text(full), None)

    shot.dialog("hop-thoai-chua-sao-luu-khi-dong", failed_closing_backup)
    # The lock's prompt is answered "unlocked": a refusal would close the window.
    shot.dialog("hop-thoai-mo-khoa", lambda: needs_window().lock.lock(), QDialog.DialogCode.Accepted.value)

    def on_page(row: int, action: Callable[[object], None]) -> Callable[[], None]:
        def open_() -> None:
            w = needs_window()
            _show_row(w, row)
            action(w.page(row))
        return open_

    shot.dialog("hop-thoai-buoi-sinh-hoat-moi", on_page(MEETINGS, lambda page: page.new_meeting()))
    shot.dialog("hop-thoai-xac-nhan-xoa-buoi", on_page(MEETINGS, lambda page: page.delete_meeting()))

    def save_file(page) -> None:
        page.tabs.setCurrentIndex(page.tabs.count() - 1)
        page.preview_meeting("minutes")
        page.save_pdf()

    shot.dialog("hop-thoai-luu-tep", on_page(MEETINGS, save_file))
    take_review_dialog_pictures(shot, on_page)
    take_reports_dialog_pictures(shot, folder)
    shot.dialog("hop-thoai-thong-bao", lambda: _information(window))

    shot.dialog("hop-thoai-thu-dang-phi",
                on_page(FEES, lambda page: page.open_payment_dialog(page.table.currentIndex())))
    for name, action in (("hop-thoai-doi-tuong-dong-dang-phi", "open_profile_dialog"),
                         ("hop-thoai-mien-giam-dang-phi", "open_relief_dialog"),
                         ("hop-thoai-ly-do-chinh-dang", "open_excuse_dialog"),
                         ("hop-thoai-nop-cap-tren", "open_remittance_dialog"),
                         ("hop-thoai-dinh-muc-dang-phi", "open_rules_dialog")):
        shot.dialog(name, on_page(FEES, lambda page, action=action: getattr(page, action)()))
    if window is not None:
        _show_row(window, ROSTER)

    def guide(area: str) -> Callable[[], None]:
        def open_():
            from ui.help import show_help

            return show_help(window, area)
        return open_

    shot.dialog("cua-so-huong-dan", guide("roster"))
    shot.dialog("cua-so-huong-dan-viec-hang-thang", guide("monthly"))


def _member_with_errors(needs_window) -> Callable[[], object]:
    def open_():
        from ui.roster.member_dialog import MemberDialog

        dialog = MemberDialog(None, needs_window())
        dialog.widgets["full_name"].setText("Ảnh")
        dialog.widgets["birth_date"].setText("31/02/1980")
        dialog.accept()  # refused: the red notes show under the fields
        return dialog
    return open_


def _information(window) -> None:
    """A message box as the program shows one (Đóng), with the text an import ends on."""
    from app.i18n import _
    from ui.dialogs import show_info

    show_info(window, _("Đã nhập xong: thêm {added}, cập nhật {updated} đồng chí.").format(added=12, updated=3))


def _import_dialog(path: Path, window):
    """The import preview of a file, read here rather than by the dialog's worker thread."""
    from app.services import roster_io
    from ui.roster.import_dialog import ImportDialog

    dialog = ImportDialog(path, window)
    dialog.show_preview(roster_io.preview_import(path))
    return dialog


def _sample_file(folder: Path) -> Path:
    """The sample roster shipped with the tests; where it is absent, the demo roster's own export."""
    from app import paths

    sample = paths.project_root() / SAMPLE_FILE
    if sample.is_file():
        return sample
    from app.services import roster_io

    exported = folder / "danh-sach.xlsx"
    roster_io.export_roster(exported)
    return exported


def _rejected_file(folder: Path) -> Path:
    bad = folder / "co-loi.csv"
    bad.write_text("Họ và tên,Ngày sinh,Số thẻ\nĐặng Văn Đông,05/02/1980,99990001\nTrần Văn Ba,31/02/1980,\n",
                   encoding="utf-8")
    return bad


def take_start_pictures(shot: Shooter, folder: Path) -> None:
    """What shows before the window: the passphrase of an encrypted file, the first run on an empty file."""
    from app.storage import db as storage
    from ui.application import ask_passphrase
    from ui.first_run import CellDialog

    locked = folder / "chibo.sqlite"
    locked.write_bytes(b"\x8f" * 4096)  # what an encrypted file looks like to the program

    def passphrase() -> None:
        try:
            storage.inspect_file(locked)
        except storage.PassphraseNeeded as exc:
            ask_passphrase(str(exc))
            return
        raise RuntimeError("tệp mã hóa giả không bị nhận ra")

    shot.dialog("hop-thoai-mo-tep-ma-hoa", passphrase)

    def first_run():
        # The first run happens on a database with no cell yet: empty fields, placeholders showing.
        storage.open_database(folder / "trong.sqlite")
        return CellDialog(first_run=True)

    shot.dialog("hop-thoai-chao-mung", first_run)

    def first_run_superior():
        storage.open_database(folder / "trong-dang-uy.sqlite")
        dialog = CellDialog(first_run=True)
        dialog.for_superior.setChecked(True)
        return dialog

    shot.dialog("hop-thoai-chao-mung-dang-uy", first_run_superior)

    def second_window() -> None:
        # Another computer's window: the question then also offers «Vẫn mở để sửa», its longest form.
        import datetime as dt

        from app.storage.lock import Holder
        from ui.safety import second_window as asking

        elsewhere = Holder(id="1", host="MAY-VAN-PHONG", user="bithu", pid=4242, role="window", read_only=False,
                           started=dt.datetime(2026, 12, 1, 7, 45), verified=False)
        shown = asking.editors_elsewhere
        asking.editors_elsewhere = lambda _path: [elsewhere]
        try:
            asking.ask_how_to_open(locked)
        finally:
            asking.editors_elsewhere = shown

    shot.dialog("hop-thoai-tep-dang-mo-noi-khac", second_window)


# --- the Đảng ủy's file ---------------------------------------------------------------------------------
SAMPLE_CELLS = (("Chi bộ thôn Tây", "38.168.053.000.002", "Trần", 9, 80001000),
                # Its first card is thôn Tây's last: a member counted in two cells, for «Cần xem lại».
                ("Chi bộ Trường Tiểu học Hòa Bình", "38.168.053.000.003", "Phạm", 6, 80001008))


def _sample_members(family: str, count: int, first_card: int) -> list:
    from app.domain.members import Member, Sex

    given = ("Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Văn Giang", "Thị Hạnh", "Văn Khoa", "Thị Lan",
             "Văn Minh", "Thị Nga")
    out = []
    for i in range(count):
        admitted = dt.date(1992 + i * 3, 5, 19)
        out.append(Member(full_name=f"{family} {given[i % len(given)]}", sex=Sex.FEMALE if i % 2 else Sex.MALE,
                          birth_date=dt.date(1962 + i * 4, 3, 1 + i), admission_date=admitted,
                          ceremony_date=admitted + dt.timedelta(days=10),
                          official_date=admitted + dt.timedelta(days=375), card_number=str(first_card + i)))
    return out


def _sample_cell(path: Path, name: str, code: str, family: str, count: int, first_card: int, day: dt.date,
                 transfer: bool = False) -> None:
    """A small cell's own file (left open); with transfer, its first member moved away in June."""
    from app.domain.cell import CellInfo
    from app.domain.members import MemberStatus
    from app.services import cell as cell_service
    from app.services import members as member_service
    from app.storage.db import open_database

    open_database(path)
    cell_service.save_cell(CellInfo(name=name, superior_name="Đảng ủy xã Hòa Bình", code=code, place_name="Hòa Bình"),
                           today=day)
    ids = [member_service.add_member(m, today=day).member.id for m in _sample_members(family, count, first_card)]
    if transfer:
        member_service.change_status(ids[0], MemberStatus.TRANSFERRED_OUT, effective_date=dt.date(day.year, 6, 1),
                                     reason="Chuyển sinh hoạt về nơi cư trú mới", today=day)


def _sample_export(out: Path, day: dt.date, passphrase: str | None = None) -> Path:
    from app.domain.report_period import Period
    from app.services import package_export
    from app.storage.db import close_database

    try:
        package_export.export_package(Period(day.year), out, privacy="roster", passphrase=passphrase, today=day,
                                      with_pdf=False)
    finally:
        close_database()
    return out


def build_superior_sample(folder: Path, day: dt.date = TODAY, demo_file: Path | None = None) -> dict[str, Path]:
    """A Đảng ủy's file that received the year's packages of three cells (the demo cell and two smaller ones), and
    the files: «dong», «tay», «truong» (sealed with the passphrase «mat-khau-chi-bo»), «xung-dot» (thôn Tây's code
    from another computer, kept aside as a conflict), and not received: «dong-2» (thôn Đông's package sent again)
    and «nam» (a fourth cell); «superior» is the Đảng ủy's database, left open."""
    from app.services import demo, superior, superior_import
    from app.storage.db import open_database

    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    if demo_file is None:
        demo_file = folder / "chi-bo-dong.sqlite"
        open_database(demo_file)
        demo.build_demo(day)
    else:
        open_database(demo_file)
    files["dong"] = _sample_export(folder / "goi-thon-dong.chibo", day)
    open_database(demo_file)
    files["dong-2"] = _sample_export(folder / "goi-thon-dong-lan-2.chibo", day)
    for (name, code, family, count, card), key in zip(SAMPLE_CELLS, ("tay", "truong"), strict=True):
        _sample_cell(folder / f"chi-bo-{key}.sqlite", name, code, family, count, card, day, transfer=key == "tay")
        files[key] = _sample_export(folder / f"goi-{key}.chibo", day,
                                    passphrase="mat-khau-chi-bo" if key == "truong" else None)
    name, code, family, count, card = SAMPLE_CELLS[0]
    _sample_cell(folder / "may-khac.sqlite", name, code, family, count + 1, card, day)
    files["xung-dot"] = _sample_export(folder / "goi-thon-tay-may-khac.chibo", day)
    _sample_cell(folder / "chi-bo-nam.sqlite", "Chi bộ thôn Nam", "38.168.053.000.004", "Lê", 5, 80003000, day)
    files["nam"] = _sample_export(folder / "goi-thon-nam.chibo", day)
    files["superior"] = folder / "dang-uy.sqlite"
    open_database(files["superior"])
    superior.init_superior("Đảng ủy xã Hòa Bình", "Đảng bộ tỉnh Phú Thọ", today=day)
    for key, passphrase in (("dong", None), ("tay", None), ("truong", "mat-khau-chi-bo"), ("xung-dot", None)):
        superior_import.import_package(files[key].read_bytes(), passphrase=passphrase)
    return files


def _superior_window(size: tuple[int, int]):
    """The window on the Đảng ủy's file, its Tổng hợp page counting from TODAY."""
    from ui import main_window

    def consolidated_page():
        from ui.superior.consolidated_page import ConsolidatedPage

        return ConsolidatedPage(today=TODAY)

    entries = list(main_window.SUPERIOR_PAGES)
    entries[main_window.CONSOLIDATED] = dataclasses.replace(entries[main_window.CONSOLIDATED], build=consolidated_page)
    main_window.SUPERIOR_PAGES = tuple(entries)
    return _window(TODAY, size)


def take_superior_pictures(shot: Shooter, folder: Path) -> None:
    """The Đảng ủy's window on a file that received three cells' packages: its two pages and their dialogs."""
    from app.domain.report_period import Period
    from app.services import superior_import
    from ui.main_window import CELLS, CONSOLIDATED

    files: dict[str, Path] = {}
    with shot.attempt("du-lieu-dang-uy"):
        files = build_superior_sample(folder / "dang-uy", TODAY)
        shot.window = _superior_window(shot.screen)
    if not files:
        return

    def cells(w) -> None:
        _show_row(w, CELLS)
        page = w.page(CELLS)
        page.reload()
        page.select_cell("38.168.053.000.001")
        page.conflicts.selectRow(0)

    def summed(tab: int, inner: int = 0) -> Callable[[object], None]:
        def prepare(w) -> None:
            _show_row(w, CONSOLIDATED)
            page = w.page(CONSOLIDATED)
            page.set_period(Period(TODAY.year))
            page.select_form("1")
            page.tabs.setCurrentIndex(tab)
            page.by_cell.setCurrentIndex(inner)
        return prepare

    shot.page("trang-cac-chi-bo", cells)
    shot.page("trang-tong-hop", summed(0))
    for inner, name in enumerate(("dang-vien", "sinh-hoat", "dang-phi", "kiem-diem")):
        shot.page(f"trang-tong-hop-{name}", summed(1, inner))
    shot.page("trang-tong-hop-can-xem-lai", summed(2))
    if shot.window is not None:
        summed(0)(shot.window)

    def on_cells(make: Callable[[object], object]) -> Callable[[], object]:
        def open_() -> object:
            if shot.window is None:
                raise RuntimeError("cửa sổ chính không dựng được")
            cells(shot.window)
            return make(shot.window.page(CELLS))
        return open_

    def preview(key: str, passphrase: str | None = None) -> Callable[[object], object]:
        def make(page):
            from ui.superior.receive import ImportDialog

            plan = superior_import.preview(files[key].read_bytes(), passphrase)
            return ImportDialog(plan, files[key], page)
        return make

    shot.dialog("hop-thoai-nhan-goi-chi-bo-moi", on_cells(preview("nam")))
    shot.dialog("hop-thoai-nhan-goi-cap-nhat", on_cells(preview("dong-2")))
    shot.dialog("hop-thoai-nhan-goi-da-nhan", on_cells(preview("dong")))
    shot.dialog("hop-thoai-nhan-goi-xung-dot", on_cells(preview("xung-dot")))

    def passphrase(page):
        from ui.superior.receive import PassphraseDialog

        return PassphraseDialog(files["truong"].read_bytes(), files["truong"], page)

    shot.dialog("hop-thoai-mat-khau-goi", on_cells(passphrase))
    broken = folder / "dang-uy" / "goi-hong.chibo"
    broken.write_bytes(files["dong"].read_bytes()[:300])
    shot.dialog("hop-thoai-goi-hong", on_cells(lambda page: page.receive([broken])))

    def resolve(accept: bool) -> Callable[[object], object]:
        def make(page):
            from ui.superior.cells_page import ResolveDialog

            return ResolveDialog(page.selected_conflict(), accept, page)
        return make

    shot.dialog("hop-thoai-nhan-khoa-moi", on_cells(resolve(True)))
    shot.dialog("hop-thoai-khong-nhan-goi", on_cells(resolve(False)))

    def key_file(page) -> None:
        import ui.files

        asked = ui.files.ask_save_path
        ui.files.ask_save_path = lambda *_args, **_kw: folder / "dang-uy" / "khoa-nhan-goi-dang-uy.json"
        try:
            page.export_key()
        finally:
            ui.files.ask_save_path = asked

    shot.dialog("hop-thoai-ghi-khoa-nhan-goi", on_cells(key_file))

    def return_dialog(page):
        from ui.superior.return_dialog import ReturnPackageDialog

        dialog = ReturnPackageDialog(page.selected_cell(), page)
        dialog.take_proposed()
        dialog.path.setText(str(folder / "dang-uy" / dialog._file_name()))
        return dialog

    shot.dialog("hop-thoai-goi-tra-ve", on_cells(return_dialog))

    def returned(page) -> None:
        from ui.dialogs import show_info

        dialog = return_dialog(page)
        if not dialog.save():
            raise RuntimeError("không lập được gói trả về")
        show_info(page, dialog.result_text(), "Đã lập gói trả về")
        dialog.deleteLater()

    shot.dialog("hop-thoai-da-lap-goi-tra-ve", on_cells(returned))
    for index, name in enumerate(("menu-tep-dang-uy", "menu-xem-dang-uy")):
        shot.menu(name, index)
    if shot.window is not None:
        shot.window.hide()
        shot.window.deleteLater()
        shot.window = None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.outdir
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is None:
            _screen_of_size(folder, args.size)
        from PySide6.QtCore import QSettings, QStandardPaths

        # Saved window sizes from a real session must not change the pictures, nor the pictures the session.
        QStandardPaths.setTestModeEnabled(True)
        from ui.application import apply_text_scale, create_app

        create_app()
        QSettings("chibo", "chibo").clear()
        apply_text_scale(args.scale)
        from app.services import demo
        from app.services import settings as setting_service
        from app.storage.db import close_database, open_database

        shot = Shooter(out, args.size)
        open_database(folder / "chi-bo-mau.sqlite")
        try:
            demo.build_demo(TODAY)
            with shot.attempt("co-chu"):
                # Kept with the cell's settings, as the Xem › Cỡ chữ menu does: the menu shows it ticked.
                setting_service.set_value("ui.text_scale", args.scale)
            with shot.attempt("cua-so-chinh"):
                shot.window = _window(TODAY, args.size)
            take_window_pictures(shot, folder)
            take_dialog_pictures(shot, folder)
            if shot.window is not None:
                shot.window.hide()
                shot.window.deleteLater()
                shot.window = None
            take_superior_pictures(shot, folder)
            take_start_pictures(shot, folder)
        finally:
            close_database()
    print(f"Đã ghi {len(shot.written)} ảnh vào {out}.", flush=True)
    if shot.failed:
        print(f"{len(shot.failed)} ảnh không chụp được: {', '.join(shot.failed)}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
