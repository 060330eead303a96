"""The Sinh hoạt page: the year's meetings, the roll taken by keyboard, the meeting's text, warnings, printing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
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
from app.services.errors import ServiceError
from ui.dialogs import WARNING_STYLE, confirm, show_error, show_info
from ui.meetings.editor import ContentForm, InfoForm
from ui.meetings.list_model import MeetingListModel, RowRole
from ui.meetings.preview import PdfPreview
from ui.meetings.roll_panel import RollPanel
from ui.widgets import heading, text_width


class MeetingsPage(QWidget):
    """Sinh hoạt chi bộ. `today` is for tests and screenshots; the window leaves it to the clock."""

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
        layout.addWidget(heading(_("Sinh hoạt chi bộ")))
        layout.addLayout(self._build_toolbar())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_tabs())
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([text_width(self, 48), text_width(self, 150)])
        layout.addWidget(splitter, 1)
        layout.addWidget(self._build_warnings())
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_meeting)
        self.reload()

    # --- building -------------------------------------------------------------------------------
    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Năm")))
        self.year = QSpinBox()
        self.year.setRange(1930, 2100)
        self.year.setValue(self.today.year)
        self.year.valueChanged.connect(lambda: self.reload())
        row.addWidget(self.year)
        self.new_button = QPushButton(_("Buổi sinh hoạt mới"))
        self.delete_button = QPushButton(_("Xóa buổi"))
        self.register_button = QPushButton(_("Sổ điểm danh năm"))
        for button, slot in ((self.new_button, self.new_meeting), (self.delete_button, self.delete_meeting),
                             (self.register_button, self.preview_register)):
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            row.addWidget(button)
        row.addStretch(1)
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
        table.setMinimumWidth(text_width(table, 46))
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        self.tabs.addTab(self._build_print_tab(), _("Xem và in"))
        return self.tabs

    def _build_print_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.minutes_button = QPushButton(_("Xem biên bản"))
        self.resolution_button = QPushButton(_("Xem nghị quyết"))
        self.save_pdf_button = QPushButton(_("Lưu thành tệp PDF…"))
        for button, slot in ((self.minutes_button, lambda: self.preview_meeting("minutes")),
                             (self.resolution_button, lambda: self.preview_meeting("resolution")),
                             (self.save_pdf_button, self.save_pdf)):
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.preview = PdfPreview()
        layout.addWidget(self.preview, 1)
        return tab

    def _build_warnings(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(_("Cần xem lại (chỉ là nhắc nhở, không chặn việc lưu hay in):")))
        self.warnings = QListWidget()
        self.warnings.setStyleSheet(f"QListWidget {{ {WARNING_STYLE} }}")
        self.warnings.setWordWrap(True)
        self.warnings.setMaximumHeight(self.warnings.fontMetrics().lineSpacing() * 5 + 16)
        column.addWidget(self.warnings)
        return box

    # --- state ----------------------------------------------------------------------------------
    def current_meeting_id(self) -> int | None:
        index = self.list.currentIndex()
        return self.model.rows[index.row()].meeting.id if index.isValid() else None

    def reload(self, select_id: int | None = None) -> None:
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
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show(row)

    def _show(self, row: int) -> None:
        summary = self.model.data(self.model.index(row, 0), RowRole) if row >= 0 else None
        meeting = summary.meeting if summary else None
        self.roll.load(meeting.id if meeting else None)
        self.info.load(meeting, self.roll.model.attendees)
        self.content.load(meeting)
        for widget in (self.delete_button, self.minutes_button, self.resolution_button, self.roll.view):
            widget.setEnabled(meeting is not None)
        if meeting is None:
            self.roll.counts_label.setText(_("Chưa có buổi sinh hoạt nào trong năm {year}. Bấm «Buổi sinh hoạt mới» "
                                             "(Ctrl+N) để bắt đầu.").format(year=self.year.value()))
        self.preview.clear()
        self._printable = None
        self.save_pdf_button.setEnabled(False)
        self.refresh_warnings()

    def _roll_changed(self) -> None:
        if (meeting_id := self.current_meeting_id()) is not None:
            self.model.update_counts(meeting_id, self.roll.counts())
        self._warnings_timer.start()

    def _meeting_saved(self) -> None:
        self.reload(self.current_meeting_id())

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
        meeting = meeting_service.get_meeting(dialog.meeting_id)
        if self.year.value() != meeting.date.year:
            self.year.blockSignals(True)
            self.year.setValue(meeting.date.year)
            self.year.blockSignals(False)
        self.reload(dialog.meeting_id)
        self.tabs.setCurrentWidget(self.roll)
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
        try:
            meeting_service.delete_meeting(meeting_id, _("Xóa trên cửa sổ"))
        except ServiceError as exc:
            show_error(self, str(exc))
            return
        self.reload()

    def preview_meeting(self, form: str) -> None:
        from app.services import meeting_printing  # reportlab loads on first print, not at start-up

        meeting_id = self.current_meeting_id()
        if meeting_id is None:
            return
        caption = _("Bản xem trước; số văn bản được cấp khi lưu thành tệp PDF.")
        self._show_pdf(lambda: meeting_printing.preview(form, meeting_id), caption, (form, meeting_id))

    def preview_register(self) -> None:
        from app.services import meeting_printing

        year = self.year.value()
        caption = _("Sổ theo dõi đảng viên dự sinh hoạt năm {year}.").format(year=year)
        self._show_pdf(lambda: meeting_printing.print_attendance_register(year, None, self.today), caption,
                       ("attendance", None))
        self.tabs.setCurrentIndex(self.tabs.count() - 1)

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

    def save_pdf(self) -> None:
        if self._printable is None:
            return
        name = {"minutes": _("bien-ban"), "resolution": _("nghi-quyet"), "attendance": _("so-diem-danh")}
        path, _filter = QFileDialog.getSaveFileName(self, _("Lưu tệp PDF"), f"{name[self._printable[0]]}.pdf",
                                                    _("Tệp PDF (*.pdf)"))
        if path:
            self.save_current(Path(path))

    def save_current(self, path: Path) -> Path | None:
        """Write what is shown to path; a meeting's document gets its number now (R14)."""
        from app.services import meeting_printing

        form, meeting_id = self._printable or (None, None)
        if form is None:
            return None
        path = path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
        try:
            if form == "attendance":
                meeting_printing.print_attendance_register(self.year.value(), path, self.today)
            else:
                meeting_printing.print_meetings(form, [meeting_id], path)
                self.preview.show_pdf(path.read_bytes(), _("Đã lưu {file}.").format(file=path))
        except (ServiceError, OSError) as exc:
            show_error(self, str(exc))
            return None
        show_info(self, _("Đã lưu {file}.").format(file=path))
        return path
