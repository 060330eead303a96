"""Tổng hợp: the consolidation of a period over the cells' packages in force — Biểu 1, 3, 6F and 7 summed (the
same table as the cell's Báo cáo page), the tables by cell, the points to look into, and the PDF."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.report_period import Period
from app.i18n import _
from app.services import consolidated, consolidated_printing, superior
from app.services.errors import ServiceError
from ui.dialogs import show_error, show_info
from ui.ops import run_op
from ui.reports.page import FormView, PeriodChooser, fill_table, small_table
from ui.superior import SuperiorPage, superior_hub
from ui.widgets import heading, shortcut_button, text_width


def header_text(column: str) -> str:
    """A printed column's title on two lines, shorter where the note explains it: the tables keep the page's
    width at large text («Chi bộ đề xuất: HTXS» → «Đề xuất» over «HTXS», «10/2026» → «T10»)."""
    for long, short in ((_("Chi bộ đề xuất"), _("Đề xuất")), (_("Đảng ủy quyết định"), _("Đảng ủy"))):
        if column.startswith(long + ": "):
            return short + "\n" + column[len(long) + 2:]
    month, slash, year = column.partition("/")
    if slash and month.isdigit() and year.isdigit():
        return f"T{month}"
    words = column.split(" ")
    if len(column) <= 10 or len(words) < 2:
        return column
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


class ConsolidatedPage(SuperiorPage):
    """`today` is for tests and screenshots; the window leaves it to the clock."""

    area = "superior"

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self.today = today or dt.date.today()
        self.result = None
        self.tables = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        row = QHBoxLayout()
        row.addWidget(heading(_("Tổng hợp")))
        row.addSpacing(text_width(self, 2))
        self.chooser = PeriodChooser(self.today, self)
        self.chooser.changed.connect(self.reload)
        row.addWidget(self.chooser, 1)
        layout.addLayout(row)
        line = QHBoxLayout()
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        line.addWidget(self.subtitle, 1)
        self.pdf_button = shortcut_button(self, _("In tổng hợp ra PDF…"), None, self.save_pdf)
        line.addWidget(self.pdf_button)
        layout.addLayout(line)
        self.tabs = QTabWidget()
        self.form_view = FormView(warnings_caption=_("Cần xem lại:"))
        forms_tab = QWidget()
        forms_column = QVBoxLayout(forms_tab)
        forms_column.setContentsMargins(4, 4, 4, 4)
        forms_column.addWidget(self.form_view)
        self.tabs.addTab(forms_tab, _("Biểu thống kê"))
        self.cell_tables: list[QTableWidget] = []
        self.notes: list[QLabel] = []
        self.by_cell = QTabWidget()
        for caption in (_("Đảng viên"), _("Sinh hoạt"), _("Đảng phí"), _("Kiểm điểm")):
            tab = QWidget()
            column = QVBoxLayout(tab)
            column.setContentsMargins(4, 4, 4, 4)
            title = QLabel()
            title.setWordWrap(True)
            table = small_table([""])
            note = QLabel()
            note.setWordWrap(True)
            column.addWidget(title)
            column.addWidget(table, 1)
            column.addWidget(note)
            self.cell_tables.append(table)
            self.notes.append(note)
            table.setProperty("title_label", title)
            self.by_cell.addTab(tab, caption)
        self.tabs.addTab(self.by_cell, _("Theo chi bộ"))
        self.flags = QListWidget()
        self.flags.setWordWrap(True)
        self.flags.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
        self.tabs.addTab(self.flags, _("Cần xem lại"))
        layout.addWidget(self.tabs, 1)
        superior_hub().received.connect(self._heard_packages)
        self.reload()

    # --- state ---------------------------------------------------------------------------------------
    def period(self) -> Period:
        return self.chooser.period()

    def set_period(self, period: Period) -> None:
        self.chooser.set_period(period)

    @property
    def forms(self):
        return self.form_view.forms

    def select_form(self, code: str) -> None:
        self.form_view.select_form(code)

    def _watched(self) -> tuple[QWidget, ...]:
        return (self, self.flags, self.subtitle, *self.cell_tables)

    def reload(self) -> None:
        period = self.period()
        keep = self.form_view.current_form().form if self.form_view.current_form() else None
        try:
            self.result = consolidated.consolidation(period)
            info = superior.require_superior()
            self.tables = consolidated_printing.tables_print(self.result, info.name, info.superior_name).tables
            flags = consolidated_printing.flag_lines(self.result)
        except ServiceError as exc:
            show_error(self, str(exc))
            self.result, self.tables, flags = None, [], []
        cells = self.result.cells if self.result else []
        if cells:
            self.subtitle.setText(_("{subtitle}: {names}.").format(
                subtitle=consolidated_printing.subtitle(self.result), names=", ".join(c.name for c in cells)))
        else:
            self.subtitle.setText(_("Chưa có gói nào của {period}. Nhận gói của các chi bộ ở trang Các chi bộ.").format(
                period=period.label))
        self.form_view.set_forms(self.result.forms if cells else [], keep)
        for table, note, printed in zip(self.cell_tables, self.notes, self.tables or [None] * 4, strict=False):
            self._show_table(table, note, printed, bool(cells))
        self.flags.clear()
        for text in flags:
            self.flags.addItem("• " + text)
        if not flags:
            self.flags.addItem(_("Không có điều gì cần nhắc."))
        self.tabs.setTabText(2, _("Cần xem lại ({count})").format(count=len(flags)) if flags else _("Cần xem lại"))
        self.pdf_button.setEnabled(bool(cells))

    def _show_table(self, table: QTableWidget, note: QLabel, printed, any_cell: bool) -> None:
        title = table.property("title_label")
        if printed is None:
            table.setColumnCount(1)
            table.setColumnHidden(0, False)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.setHorizontalHeaderLabels([""])
            fill_table(table, [], _("Chưa có gói nào của kỳ này."))
            title.clear()
            note.clear()
            return
        table.setColumnCount(len(printed.columns))
        table.setHorizontalHeaderLabels([header_text(c) for c in printed.columns])
        rows = [list(r) for r in printed.rows] if any_cell else []
        fill_table(table, rows, _("Chưa có gói nào của kỳ này."))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r in range(table.rowCount() if rows else 0):
            for c in range(2, table.columnCount()):
                item = table.item(r, c)
                if item is not None:
                    item.setTextAlignment(right)
        # The numbers in order (STT) are for the paper; on screen the cell's name starts the line.
        # (With no line the column stays: the grey «no package» line starts in it.)
        table.setColumnHidden(0, bool(rows))
        # The cell's name takes the room the figures leave (cut, whole in its tooltip, when there is little).
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if rows:
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        title.setText(printed.title)
        extra = _("Đề xuất: chi bộ đề xuất; Đảng ủy: Đảng ủy quyết định.") if any(
            c.startswith(_("Chi bộ đề xuất")) for c in printed.columns) else ""
        note.setText(" ".join(t for t in (printed.note, extra) if t))

    # --- actions -------------------------------------------------------------------------------------
    def save_pdf(self) -> None:
        from ui.files import PDF_FILTER, ask_save_path

        if not self.result or not self.result.cells:
            return
        period = self.period()
        path = ask_save_path(self, title=_("Lưu tổng hợp ra PDF"), file_filter=PDF_FILTER, area="pdf",
                             suggested_name=f"tong-hop-{period}.pdf")
        if path is not None and run_op(self, lambda: consolidated_printing.write_pdf(period, path)) is not None:
            show_info(self, _("Đã lưu tổng hợp {period} vào tệp {file}.").format(period=period.label, file=path))
