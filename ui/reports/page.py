"""Báo cáo, gửi cấp trên: the statistics forms of a period (Biểu 1, 2, 3, 6F, 7) beside the chosen form's figures,
its files (PDF, Excel, the report for the Đảng ủy), the package sent upward and the periods the Đảng ủy accepted."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.report_period import Period, PeriodKind
from app.domain.statistics import StatForm
from app.i18n import _
from app.reports.file_names import document_file_name
from app.services import package_export, period_lock
from app.services import statistics as statistics_service
from app.services.changes import Changes
from app.services.errors import ServiceError
from app.services.statistics_printing import figure
from ui.dialogs import show_error, show_info
from ui.ops import run_op
from ui.pages import Page
from ui.reports import dialogs
from ui.widgets import heading, shortcut_button, text_width, warnings_list

COL_LABEL, COL_CURRENT, COL_PREVIOUS, COL_PERCENT = range(4)
# The period chooser's kinds, in the order shown.
_KINDS = (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH)
_INDENT = "\u2003\u2003"  # two em spaces a level: the forms' own indentation


def kind_label(kind: PeriodKind) -> str:
    return {PeriodKind.YEAR: _("Năm"), PeriodKind.QUARTER: _("Quý"), PeriodKind.MONTH: _("Tháng")}[kind]


def return_importer():
    """app.services.return_package.import_return when that service is installed, else None."""
    try:
        from app.services import return_package  # noqa: PLC0415 - optional until the superior's side exists
    except ImportError:
        return None
    return getattr(return_package, "import_return", None)


def small_table(headers: list[str]) -> QTableWidget:
    """A read-only list of a few columns, one row selected at a time, the last column stretched."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]], empty: str) -> None:
    """Put rows of texts in a small_table; with none, one grey line saying what the list will hold."""
    table.clearSpans()
    if not rows:
        # One grey line saying what the list will hold, not a blank box.
        table.setRowCount(1)
        item = QTableWidgetItem(empty)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        table.setItem(0, 0, item)
        table.setSpan(0, 0, 1, table.columnCount())
        header = table.horizontalHeader()
        for column in range(table.columnCount()):
            table.setColumnWidth(column, header.sectionSizeFromContents(column).width())
        return
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)  # a long file name is cut in its column
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class PeriodChooser(QWidget):
    """«Kỳ báo cáo»: a year, a quarter or a month of a year, and the dates it covers; `changed` when chosen."""

    changed = Signal()

    def __init__(self, today: dt.date, parent: QWidget | None = None, caption: str | None = None):
        super().__init__(parent)
        self.today = today
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(caption or _("Kỳ báo cáo")))
        self.kind_box = QComboBox()
        for kind in _KINDS:
            self.kind_box.addItem(kind_label(kind), kind.value)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(1930, today.year + 1)
        self.year_spin.setValue(today.year)
        self.number_caption = QLabel()
        self.number_spin = QSpinBox()
        self.number_spin.setRange(1, 12)
        for widget in (self.kind_box, QLabel(_("năm")), self.year_spin, self.number_caption, self.number_spin):
            row.addWidget(widget)
        self.period_label = QLabel()
        self.period_label.setWordWrap(True)
        row.addWidget(self.period_label, 1)
        self._number_range(self.period().kind)
        self._show_dates()
        self.kind_box.currentIndexChanged.connect(self._kind_chosen)
        self.year_spin.valueChanged.connect(lambda _value: self._chosen())
        self.number_spin.valueChanged.connect(lambda _value: self._chosen())

    def period(self) -> Period:
        kind = PeriodKind(self.kind_box.currentData())
        number = None if kind is PeriodKind.YEAR else self.number_spin.value()
        return Period(self.year_spin.value(), kind, number)

    def set_period(self, period: Period) -> None:
        """Show a period without a `changed` for each box; one `changed` at the end."""
        for widget in (self.kind_box, self.year_spin, self.number_spin):
            widget.blockSignals(True)
        self.kind_box.setCurrentIndex(_KINDS.index(period.kind))
        self._number_range(period.kind)
        self.year_spin.setValue(period.year)
        if period.number is not None:
            self.number_spin.setValue(period.number)
        for widget in (self.kind_box, self.year_spin, self.number_spin):
            widget.blockSignals(False)
        self._chosen()

    def _number_range(self, kind: PeriodKind) -> None:
        shown = kind is not PeriodKind.YEAR
        self.number_caption.setVisible(shown)
        self.number_spin.setVisible(shown)
        if kind is PeriodKind.QUARTER:
            self.number_caption.setText(_("quý"))
            self.number_spin.setRange(1, 4)
            self.number_spin.setValue((self.today.month - 1) // 3 + 1)
        elif kind is PeriodKind.MONTH:
            self.number_caption.setText(_("tháng"))
            self.number_spin.setRange(1, 12)
            self.number_spin.setValue(self.today.month)

    def _kind_chosen(self) -> None:
        self.number_spin.blockSignals(True)
        self._number_range(PeriodKind(self.kind_box.currentData()))
        self.number_spin.blockSignals(False)
        self._chosen()

    def _show_dates(self) -> None:
        period = self.period()
        self.period_label.setText(_("{period}: từ {first} đến {last}").format(
            period=period.label[:1].upper() + period.label[1:], first=period.first_day.strftime("%d/%m/%Y"),
            last=period.last_day.strftime("%d/%m/%Y")))

    def _chosen(self) -> None:
        self._show_dates()
        self.changed.emit()


class FormView(QWidget):
    """The statistics forms of a period: their list on the left, the chosen form's rows (this period, the same
    period a year before, the percentage) on the right, and under them what the form asks to look at."""

    def __init__(self, parent: QWidget | None = None, warnings_caption: str | None = None):
        super().__init__(parent)
        self.forms: list[StatForm] = []
        sides = QHBoxLayout(self)
        sides.setContentsMargins(0, 0, 0, 0)
        self.form_list = QListWidget()
        self.form_list.setWordWrap(True)
        self.form_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_list.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
        self.form_list.currentRowChanged.connect(lambda _row: self.show_form())
        sides.addWidget(self.form_list)
        right = QVBoxLayout()
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        bold = QFont(self.title_label.font())
        bold.setBold(True)
        self.title_label.setFont(bold)
        right.addWidget(self.title_label)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Chỉ tiêu"), _("Kỳ này"), _("Cùng kỳ năm trước"), "%"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_LABEL, QHeaderView.ResizeMode.Stretch)
        for col in (COL_CURRENT, COL_PREVIOUS, COL_PERCENT):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        right.addWidget(self.table, 1)
        box, self.warnings = warnings_list(warnings_caption or _("Cần xem lại trước khi gửi:"))
        lines = self.warnings.fontMetrics().lineSpacing()
        # Two lines (the list scrolls): on a 768-pixel screen at large text the form's table keeps the height.
        self.warnings.setMinimumHeight(lines * 2 + 12)
        self.warnings.setMaximumHeight(lines * 2 + 12)
        box.setMaximumHeight(lines * 4 + 16)
        right.addWidget(box)
        sides.addLayout(right, 1)

    def current_form(self) -> StatForm | None:
        row = self.form_list.currentRow()
        return self.forms[row] if 0 <= row < len(self.forms) else None

    def select_form(self, code: str) -> None:
        codes = [f.form for f in self.forms]
        if code in codes:
            self.form_list.setCurrentRow(codes.index(code))

    def set_forms(self, forms: list[StatForm], keep: str | None = None) -> None:
        """Show these forms, on the one coded keep when it is among them (else the first)."""
        self.forms = list(forms)
        self.form_list.blockSignals(True)
        self.form_list.clear()
        for form in self.forms:
            item = QListWidgetItem(_("Biểu {code}").format(code=form.form) + "\n" + form.title)
            item.setToolTip(form.name)
            self.form_list.addItem(item)
        widest = max((self.form_list.fontMetrics().horizontalAdvance(f.title) for f in self.forms), default=100)
        self.form_list.setFixedWidth(min(widest + 40, text_width(self, 26)))
        self.form_list.blockSignals(False)
        codes = [f.form for f in self.forms]
        self.form_list.setCurrentRow(codes.index(keep) if keep in codes else 0)
        self.show_form()

    def show_form(self) -> None:
        form = self.current_form()
        self.table.setRowCount(0)
        self.warnings.clear()
        if form is None:
            self.title_label.clear()
            return
        self.title_label.setText(f"{form.name}: {form.title} — {form.period.label}")
        rows = form.printed_rows
        self.table.setRowCount(len(rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(rows):
            texts = (_INDENT * row.level + row.label, figure(row.current), figure(row.previous), row.percent)
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c != COL_LABEL:
                    item.setTextAlignment(right)
                if row.level == 0:
                    item.setFont(bold)
                if c == COL_LABEL:
                    item.setToolTip(row.label)
                self.table.setItem(r, c, item)
        for text in form.warnings:
            self.warnings.addItem(text)
        if not form.warnings:
            self.warnings.addItem(_("Không có điều gì cần nhắc."))


class ReportsPage(Page):
    """`today` is for tests and screenshots; the window leaves it to the clock."""

    area = "reports"

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self.today = today or dt.date.today()
        self._sent: list[dict] = []
        self._accepted: list[dict] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(self._build_period())
        # Two tabs: at large text on a 768-pixel screen the form's table needs the whole height.
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_forms(), _("Biểu thống kê"))
        self.tabs.addTab(self._build_sending(), _("Gửi cấp trên"))
        layout.addWidget(self.tabs, 1)
        self.reload()

    # --- building ------------------------------------------------------------------------------------
    def _build_period(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(heading(_("Báo cáo, gửi cấp trên")))
        row.addSpacing(text_width(self, 2))
        self.chooser = PeriodChooser(self.today, self)
        row.addWidget(self.chooser, 1)
        # The chooser's boxes under their old names: the tests and the pictures set them directly.
        self.kind_box, self.year_spin = self.chooser.kind_box, self.chooser.year_spin
        self.number_caption, self.number_spin = self.chooser.number_caption, self.chooser.number_spin
        self.period_label = self.chooser.period_label
        self.chooser.changed.connect(self.show_period)
        return row

    def _build_forms(self) -> QWidget:
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(4, 4, 4, 4)
        self.form_view = FormView(top)
        self.form_list, self.title_label = self.form_view.form_list, self.form_view.title_label
        self.table, self.warnings = self.form_view.table, self.form_view.warnings
        column.addWidget(self.form_view, 1)
        buttons = QHBoxLayout()
        self.pdf_button = shortcut_button(self, _("In biểu ra PDF…"), None, self.save_pdf)
        self.excel_button = shortcut_button(self, _("Xuất Excel…"), None, self.save_excel)
        self.report_button = shortcut_button(self, _("Báo cáo Excel cho cấp trên…"), None, self.save_report)
        for button in (self.pdf_button, self.excel_button, self.report_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        return top

    def _build_sending(self) -> QWidget:
        bottom = QWidget()
        column = QVBoxLayout(bottom)
        column.setContentsMargins(4, 4, 4, 4)
        intro = QLabel(_("Gói gửi cấp trên là một tệp có chữ ký của chi bộ, chứa số liệu của kỳ báo cáo đã chọn ở "
                         "trên. Đảng ủy tiếp nhận xong thì gửi gói trả về; kỳ đã tiếp nhận bị khóa, không sửa được."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        row = QHBoxLayout()
        self.package_button = shortcut_button(self, _("Lập gói gửi cấp trên…"), None, self.export_package)
        self.return_button = shortcut_button(self, _("Nhận gói trả về…"), None, self.import_return)
        self.return_button.setVisible(return_importer() is not None)
        self.return_button.setToolTip(_("Gói Đảng ủy gửi về: các kỳ đã tiếp nhận và mức xếp loại Đảng ủy quyết định"))
        row.addWidget(self.package_button)
        row.addWidget(self.return_button)
        row.addStretch(1)
        self.reopen_button = shortcut_button(self, _("Mở lại kỳ…"), None, self.reopen_period)
        row.addWidget(self.reopen_button)
        column.addLayout(row)
        tables = QHBoxLayout()
        self.sent_table = self._small_table([_("Số"), _("Kỳ"), _("Mức gửi"), _("Lập lúc"), _("Tệp")])
        self.accepted_table = self._small_table([_("Kỳ đã được tiếp nhận"), _("Ngày"), _("Tình trạng")])
        self.accepted_table.itemSelectionChanged.connect(self._update_buttons)
        for caption, table, stretch in ((_("Các gói đã gửi"), self.sent_table, 3),
                                        (_("Kỳ Đảng ủy đã tiếp nhận (không sửa được)"), self.accepted_table, 2)):
            side = QVBoxLayout()
            side.addWidget(QLabel(caption))
            side.addWidget(table, 1)
            tables.addLayout(side, stretch)
        column.addLayout(tables, 1)
        return bottom

    def _small_table(self, headers: list[str]) -> QTableWidget:
        return small_table(headers)

    # --- state ---------------------------------------------------------------------------------------
    def period(self) -> Period:
        return self.chooser.period()

    def set_period(self, period: Period) -> None:
        """Show a period (tests, and the page's own default)."""
        self.chooser.set_period(period)

    @property
    def forms(self) -> list[StatForm]:
        return self.form_view.forms

    def current_form(self) -> StatForm | None:
        return self.form_view.current_form()

    def select_form(self, code: str) -> None:
        self.form_view.select_form(code)

    def touched_by(self, changes: Changes) -> bool:
        return bool(changes.members or changes.reviews or changes.cell or changes.everything)

    def reload(self) -> None:
        self.show_period()
        self.show_packages()

    def show_period(self) -> None:
        """Count the forms of the chosen period, keeping the form that was shown."""
        keep = self.current_form().form if self.current_form() else statistics_service.FORM_CODES[0]
        try:
            forms = statistics_service.forms(self.period())
        except ServiceError as exc:
            show_error(self, str(exc))
            forms = []
        self.form_view.set_forms(forms, keep)
        self._update_buttons()

    def show_form(self) -> None:
        self.form_view.show_form()

    def show_packages(self) -> None:
        try:
            self._sent = package_export.sent()
            self._accepted = period_lock.acceptances()
        except ServiceError as exc:
            show_error(self, str(exc))
            self._sent, self._accepted = [], []
        privacy = dialogs.privacy_labels()
        self._fill(self.sent_table, [
            [str(p["sequence"]), _period_text(p["period"]), privacy.get(p["privacy"], p["privacy"]),
             _when(p["created_at"]), p["file_name"]] for p in reversed(self._sent)],
            _("Chưa lập gói nào. Bấm «Lập gói gửi cấp trên…» khi đến kỳ báo cáo."))
        self._fill(self.accepted_table, [
            [_period_text(a["period"]), _day(a["accepted_on"]),
             _("Đã mở lại: {reason}").format(reason=a["reopen_reason"]) if a["reopened"] else _("Đang khóa")]
            for a in reversed(self._accepted)],
            _("Chưa có kỳ nào được Đảng ủy tiếp nhận."))
        self._update_buttons()

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[str]], empty: str) -> None:
        fill_table(table, rows, empty)

    def selected_acceptance(self) -> dict | None:
        rows = self.accepted_table.selectionModel().selectedRows()
        if not rows or not self._accepted:
            return None
        return list(reversed(self._accepted))[rows[0].row()]

    def _update_buttons(self) -> None:
        chosen = self.selected_acceptance()
        self.reopen_button.setEnabled(chosen is not None and not chosen["reopened"])
        has_forms = bool(self.forms)
        for button in (self.pdf_button, self.excel_button, self.report_button):
            button.setEnabled(has_forms)

    # --- actions -------------------------------------------------------------------------------------
    def save_pdf(self) -> None:
        from app.services import statistics_printing
        from ui.files import PDF_FILTER, ask_save_path

        if not self.forms:
            return
        path = ask_save_path(self, title=_("Lưu biểu thống kê ra PDF"), file_filter=PDF_FILTER, area="pdf",
                             suggested_name=document_file_name("statistics", self.period()))
        if path is not None and run_op(self, lambda: statistics_printing.write_pdf(self.forms, path)) is not None:
            show_info(self, _("Đã lưu {count} biểu vào tệp {file}.").format(count=len(self.forms), file=path))

    def save_excel(self) -> None:
        from app.services import statistics_xlsx
        from ui.files import EXCEL_FILTER, ask_save_path

        if not self.forms:
            return
        path = ask_save_path(self, title=_("Xuất biểu thống kê ra Excel"), file_filter=EXCEL_FILTER, area="excel",
                             suggested_name=document_file_name("statistics", self.period(), extension="xlsx"))
        if path is not None and run_op(self, lambda: statistics_xlsx.write_xlsx(self.forms, path)) is not None:
            show_info(self, _("Đã lưu {count} biểu vào tệp {file}.").format(count=len(self.forms), file=path))

    def save_report(self) -> None:
        from app.services import report_xlsx
        from ui.files import EXCEL_FILTER, ask_save_path

        period = self.period()
        asked = dialogs.ReportPrivacyDialog(period, self)
        if asked.exec() != QDialog.DialogCode.Accepted:
            return
        privacy = asked.privacy()
        path = ask_save_path(self, title=_("Lưu báo cáo Excel cho cấp trên"), file_filter=EXCEL_FILTER, area="excel",
                             suggested_name=document_file_name("statistics_report", period))
        if path is None:
            return
        if run_op(self, lambda: report_xlsx.write_report(period, path, privacy=privacy, today=self.today)) is not None:
            show_info(self, _("Đã lưu báo cáo {period} vào tệp {file}.").format(period=period.label, file=path))

    def export_package(self) -> None:
        dialog = dialogs.PackageDialog(self.period(), self, today=self.today)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.exported is not None:
            # No change flag covers the packages: this page's own lists are read again.
            self.show_packages()
            show_info(self, dialogs.exported_message(dialog.exported), _("Đã lập gói gửi cấp trên"))

    def import_return(self) -> None:
        importer = return_importer()
        if importer is None:
            return
        path = dialogs.ask_return_file(self)
        if path is None:
            return
        dialog = dialogs.ReturnDialog(path, importer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.show_packages()
            self.show_period()

    def reopen_period(self) -> None:
        chosen = self.selected_acceptance()
        if chosen is None or chosen["reopened"]:
            return
        dialog = dialogs.ReopenDialog(chosen["period"], _period_text(chosen["period"]), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.show_packages()


def _period_text(text: str) -> str:
    try:
        return Period.parse(text).label
    except ValueError:
        return text


def _day(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text


def _when(text: str) -> str:
    try:
        return dt.datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return text
