"""The Sinh hoạt page: the year's meetings, the roll taken by keyboard, the meeting's text, warnings, printing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services import meeting_checks
from app.services import meetings as meeting_service
from app.services.changes import Changes
from app.services.errors import ServiceError
from ui.dialogs import confirm, show_error, show_info
from ui.meetings.editor import ContentForm, InfoForm
from ui.meetings.list_model import MeetingListModel, RowRole
from ui.meetings.preview import PdfPreview
from ui.meetings.roll_panel import RollPanel
from ui.meetings.tasks_panel import TasksPanel
from ui.ops import run_op
from ui.pages import Page
from ui.widgets import heading, scaled_font, shortcut_button, text_width, warnings_list


class MeetingsPage(Page):
    """Sinh hoạt chi bộ. `today` is for tests and screenshots; the window leaves it to the clock."""

    area = "meetings"

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self.today = today or dt.date.today()
        self.model = MeetingListModel(self)
        self._printable: tuple[str, int | None] | None = None
        self._warnings_timer = QTimer(self)
        self._warnings_timer.setSingleShot(True)
        self._warnings_timer.setInterval(300)
        self._warnings_timer.timeout.connect(self.refresh_warnings)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(self._build_toolbar())
        # The warnings sit under the list of meetings, so the roll beside them keeps the whole height
        # (twelve members and more on a 1366×768 screen).
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self._build_list())
        left.addWidget(self._build_warnings())
        left.setCollapsible(0, False)
        left.setCollapsible(1, False)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.setSpacing(2)
        right_column.addWidget(self.shown_label)
        right_column.addWidget(self._build_tabs(), 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        # About a third for the list and its warnings, the rest for the open meeting, at every text size.
        splitter.setSizes([35, 65])
        layout.addWidget(splitter, 1)
        self.reload()

    # --- building -------------------------------------------------------------------------------
    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(heading(_("Sinh hoạt chi bộ")))
        row.addSpacing(text_width(self, 3))
        row.addWidget(QLabel(_("Năm")))
        self.year = QSpinBox()
        self.year.setRange(1930, 2100)
        self.year.setValue(self.today.year)
        self.year.valueChanged.connect(lambda: self.reload())
        row.addWidget(self.year)
        self.new_button = shortcut_button(self, _("Buổi sinh hoạt mới"), "Ctrl+N", self.new_meeting)
        self.delete_button = shortcut_button(self, _("Xóa buổi"), None, self.delete_meeting)
        self.register_button = shortcut_button(self, _("Sổ điểm danh năm"), None, self.preview_register)
        for button in (self.new_button, self.delete_button, self.register_button):
            row.addWidget(button)
        row.addStretch(1)
        # Which meeting the tabs show, always in sight above them (the list may be scrolled elsewhere).
        self.shown_label = QLabel()
        self.shown_label.setFont(scaled_font(self.shown_label, 1.0, bold=True))
        self.shown_label.setWordWrap(True)
        return row

    def _build_list(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setMinimumWidth(text_width(table, 30))
        table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show(current.row()))
        self.list = table
        return table

    def _build_tabs(self) -> QTabWidget:
        self.roll = RollPanel()
        self.roll.changed.connect(self._roll_changed)
        self.info = InfoForm()
        self.content = ContentForm()
        for form in (self.info, self.content):
            form.saved.connect(self._meeting_saved)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.roll, _("Điểm danh"))
        self.tabs.addTab(self.info, _("Thông tin"))
        self.tabs.addTab(self.content, _("Nội dung, biểu quyết"))
        self.tasks_panel = TasksPanel()
        self.tabs.addTab(self.tasks_panel, _("Nhiệm vụ"))
        self.tabs.addTab(self._build_print_tab(), _("Xem và in"))
        # Leaving a tab saves what was typed in it.
        self._tab_shown = self.tabs.currentWidget()
        self.tabs.currentChanged.connect(self._tab_changed)
        return self.tabs

    def _tab_changed(self, _index: int) -> None:
        left, self._tab_shown = self._tab_shown, self.tabs.currentWidget()
        if left in (self.info, self.content):
            left.flush()

    def _build_print_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.minutes_button = shortcut_button(self, _("Xem biên bản"), None, lambda: self.preview_meeting("minutes"))
        self.resolution_button = shortcut_button(self, _("Xem nghị quyết"), None,
                                                 lambda: self.preview_meeting("resolution"))
        self.documents_button = shortcut_button(self, _("Sổ văn bản đi"), None, self.preview_document_register)
        self.documents_button.setToolTip(_("Sổ đăng ký văn bản đi: các số nghị quyết, biên bản đã cấp trong nhiệm kỳ"))
        self.save_pdf_button = shortcut_button(self, _("Lưu PDF…"), "Ctrl+S", self.save_pdf)
        self.print_button = shortcut_button(self, _("In…"), "Ctrl+P", self.print_current)
        for button in (self.minutes_button, self.resolution_button, self.documents_button, self.save_pdf_button,
                       self.print_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.preview = PdfPreview()
        # One «In…» on this tab (the row's): it prints the paper with its number, given now as when saved.
        self.preview.set_print_handler(self.print_current, own_button=False)
        layout.addWidget(self.preview, 1)
        return tab

    def _build_warnings(self) -> QWidget:
        box, self.warnings = warnings_list(_("Cần xem lại (chỉ là nhắc nhở, không chặn việc lưu hay in):"))
        return box

    # --- state ----------------------------------------------------------------------------------
    def current_meeting_id(self) -> int | None:
        index = self.list.currentIndex()
        return self.model.rows[index.row()].meeting.id if index.isValid() else None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The meeting open in the tabs is in sight in the list (before the first showing it had no size).
        if self.list.currentIndex().isValid():
            self.list.scrollTo(self.list.currentIndex())

    def flush_edits(self) -> bool:
        """Save what is typed in Thông tin and Nội dung (each keeps a draft if it cannot be saved)."""
        results = [form.flush() for form in (self.info, self.content)]
        return all(results)

    def touched_by(self, changes: Changes) -> bool:
        return bool(changes.meetings or changes.members or changes.documents or changes.everything
                    or changes.cell or any(key.startswith("meetings.") for key in changes.settings))

    def apply_changes(self, changes: Changes, source: object = None) -> None:
        if source in (self.roll, self.info, self.content) and not (changes.members or changes.everything):
            # The tab that made the change shows it already; only the list's line and the warnings follow.
            self._refresh_rows(changes.meetings)
            return
        self.reload()  # it saves what is typed first

    def _refresh_rows(self, meeting_ids) -> None:
        """Update the list's lines of these meetings in place (a reset would reload the open meeting)."""
        try:
            fresh = {s.meeting.id: s for s in meeting_service.list_meetings(self.year.value())}
        except ServiceError:
            return
        if set(fresh) != {s.meeting.id for s in self.model.rows} or any(
                fresh[s.meeting.id].meeting.date != s.meeting.date for s in self.model.rows):
            self.reload()  # a meeting moved to another day or year: the order changes
            return
        for meeting_id in meeting_ids:
            if meeting_id in fresh:
                self.model.update_row(fresh[meeting_id])
        self._warnings_timer.start()

    def reload(self, select_id: int | None = None) -> None:
        self.flush_edits()
        select_id = select_id if select_id is not None else self.current_meeting_id()
        try:
            rows = meeting_service.list_meetings(self.year.value())
        except ServiceError as exc:
            show_error(self, str(exc))
            rows = []
        self.model.set_rows(rows)
        row = self.model.row_of(select_id) if select_id is not None else -1
        if row < 0 and rows:
            row = len(rows) - 1  # the latest meeting is the one being worked on
        if row >= 0:
            # One _show below, not a second one from the selection signal (it would save a draft just put back).
            selection = self.list.selectionModel()
            selection.blockSignals(True)
            selection.setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            selection.blockSignals(False)
            self.list.viewport().update()
            self.list.scrollTo(self.model.index(row, 0))
        self._show(row)

    def _show(self, row: int) -> None:
        # What was typed for the meeting being left is saved (or kept as its draft) before another is shown.
        self.flush_edits()
        summary = self.model.data(self.model.index(row, 0), RowRole) if row >= 0 else None
        meeting = summary.meeting if summary else None
        self.roll.load(meeting.id if meeting else None)
        self.shown_label.setText(_("{kind} ngày {date}").format(kind=meeting.kind.label, date=meeting.date.strftime(
            "%d/%m/%Y")) if meeting else "")
        self.info.load(meeting, self.roll.model.attendees)
        self.content.load(meeting)
        self.tasks_panel.load(meeting.id if meeting else None)
        for widget in (self.delete_button, self.minutes_button, self.resolution_button, self.roll.view):
            widget.setEnabled(meeting is not None)
        if meeting is None:
            self.roll.counts_label.setText(_("Chưa có buổi sinh hoạt nào trong năm {year}. Bấm «Buổi sinh hoạt mới» "
                                             "(Ctrl+N) để bắt đầu.").format(year=self.year.value()))
        self.preview.clear()
        self._printable = None
        self.save_pdf_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.refresh_warnings()

    def _roll_changed(self) -> None:
        if (meeting_id := self.current_meeting_id()) is not None:
            self.model.update_counts(meeting_id, self.roll.counts())
        self._warnings_timer.start()

    def _meeting_saved(self) -> None:
        self._warnings_timer.start()

    def open_meeting(self, meeting_id: int, tab: QWidget | None = None) -> None:
        """Show one meeting (its year, its line), on a tab if given."""
        meeting = meeting_service.get_meeting(meeting_id)
        if self.year.value() != meeting.date.year:
            self.year.blockSignals(True)
            self.year.setValue(meeting.date.year)
            self.year.blockSignals(False)
        self.reload(meeting_id)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)

    def refresh_warnings(self) -> None:
        self.warnings.clear()
        try:
            meeting_id = self.current_meeting_id()
            if meeting_id is not None:
                day = meeting_service.get_meeting(meeting_id).date.strftime("%d/%m/%Y")
                self.warnings.addItems([_("Buổi {date}: {warning}").format(date=day, warning=w)
                                        for w in meeting_checks.warnings_for(meeting_id)])
            self.warnings.addItems(meeting_checks.year_warnings(self.year.value(), self.today))
        except ServiceError as exc:
            self.warnings.addItem(str(exc))
        if self.warnings.count() == 0:
            self.warnings.addItem(_("Không có điều gì cần nhắc."))

    # --- actions --------------------------------------------------------------------------------
    def new_meeting(self) -> None:
        from ui.meetings.new_dialog import NewMeetingDialog

        rows = self.model.rows
        dialog = NewMeetingDialog(self.today, rows[-1].meeting if rows else None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.open_meeting(dialog.meeting_id, self.roll)
        self.roll.focus_roll()

    def delete_meeting(self) -> None:
        meeting_id = self.current_meeting_id()
        if meeting_id is None:
            return
        meeting = meeting_service.get_meeting(meeting_id)
        text = _("Xóa buổi sinh hoạt ngày {date} cùng bảng điểm danh của buổi đó?").format(
            date=meeting.date.strftime("%d/%m/%Y"))
        if not confirm(self, text, _("Xóa buổi sinh hoạt"), _("Xóa")):
            return
        run_op(self, lambda: meeting_service.delete_meeting(meeting_id, _("Xóa trên cửa sổ")))

    def preview_meeting(self, form: str) -> None:
        from app.services import meeting_printing  # reportlab loads on first print, not at start-up

        meeting_id = self.current_meeting_id()
        if meeting_id is None:
            return
        # The paper shows what is on screen: what is typed is saved first; if it cannot be, say why.
        if not self.flush_edits():
            show_error(self, _("Phần vừa gõ chưa lưu được nên chưa xem trước được. Xin sửa chỗ có chữ đỏ "
                               "(thẻ «Thông tin» hoặc «Nội dung, biểu quyết»)."))
            return
        caption = _("Bản xem trước; số văn bản được cấp khi lưu thành tệp PDF hoặc in.")
        try:
            empty = meeting_printing.empty_sections_warning(form, meeting_id)
        except ServiceError:
            empty = None
        if empty:
            caption = f"{caption} {empty}"
        self._show_pdf(lambda: meeting_printing.preview(form, meeting_id), caption, (form, meeting_id))

    def preview_register(self) -> None:
        from app.services import meeting_printing

        year = self.year.value()
        caption = _("Sổ theo dõi đảng viên dự sinh hoạt năm {year}.").format(year=year)
        self._show_pdf(lambda: meeting_printing.print_attendance_register(year, None, self.today), caption,
                       ("attendance", None))
        self.tabs.setCurrentIndex(self.tabs.count() - 1)

    def preview_document_register(self) -> None:
        from app.services import meeting_printing

        caption = _("Sổ đăng ký văn bản đi: các số đã cấp trong nhiệm kỳ, theo thứ tự số.")
        self._show_pdf(lambda: meeting_printing.print_document_register(None, None, self.today), caption,
                       ("document_register", None))

    def _show_pdf(self, render, caption: str, printable: tuple[str, int | None]) -> None:
        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            data = render()
        except ServiceError as exc:
            show_error(self, str(exc))
            return
        finally:
            self.unsetCursor()
        self.preview.show_pdf(data, caption)
        self._printable = printable
        self.save_pdf_button.setEnabled(True)
        self.print_button.setEnabled(True)

    def _suggested_name(self) -> str:
        from app.reports.file_names import document_file_name

        form, meeting_id = self._printable
        if form == "attendance":
            return document_file_name("attendance", self.year.value())
        if form == "document_register":
            return document_file_name("document_register", self.today)
        return document_file_name(form, meeting_service.get_meeting(meeting_id).date)

    def save_pdf(self) -> None:
        from ui.files import ask_save_path

        if self._printable is None:
            return
        path = ask_save_path(self, title=_("Lưu tệp PDF"), suggested_name=self._suggested_name(),
                             file_filter=_("Tệp PDF (*.pdf)"))
        if path:
            self.save_current(Path(path))

    def print_current(self) -> None:
        """In…: the paper shown goes to the printer; a meeting's document gets its number now, as when saved."""
        import tempfile

        from ui.printing import print_pdf

        if self._printable is None:
            return
        with tempfile.TemporaryDirectory() as folder:
            path = self._write_current(Path(folder) / "in.pdf")
            data = path.read_bytes() if path else None
        if data is not None:
            print_pdf(self, data, title=self._suggested_name())

    def save_current(self, path: Path) -> Path | None:
        """Write what is shown to path; a meeting's document gets its number now (R14)."""
        path = path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
        written = self._write_current(path)
        if written is not None:
            show_info(self, _("Đã lưu {file}.").format(file=written))
        return written

    def _write_current(self, path: Path) -> Path | None:
        from app.services import meeting_printing

        form, meeting_id = self._printable or (None, None)
        if form is None:
            return None
        if form == "attendance":
            year = self.year.value()
            done = run_op(self, lambda: meeting_printing.print_attendance_register(year, path, self.today))
        elif form == "document_register":
            done = run_op(self, lambda: meeting_printing.print_document_register(None, path, self.today))
        else:
            from ui.meetings.print_questions import ask_before_printing

            # Empty sections and a number that has no place in date order (R14) are asked about first.
            when_no_gap = ask_before_printing(self, form, meeting_id)
            if when_no_gap is None:
                return None
            done = run_op(self, lambda: meeting_printing.print_meetings(form, [meeting_id], path,
                                                                        when_no_gap=when_no_gap))
        if done is None:
            return None
        if form not in ("attendance", "document_register"):
            numbered = when_no_gap != meeting_printing.BLANK
            self.preview.show_pdf(path.read_bytes(), _("Bản có số văn bản.") if numbered
                                  else _("Bản để trống số văn bản, để ghi tay theo sổ đăng ký văn bản."))
        return path
