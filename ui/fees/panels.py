"""The panels under the fee grid: the month's notice (Thông báo tháng), the warnings (Cảnh báo) and Part II of
the book (Tổng hợp năm). Each keeps three rows in view at any text size; what does not fit scrolls."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import months as mo
from app.domain.dates import Month
from app.domain.fee_ledger import PaidState, YearBook
from app.i18n import _
from app.services import fees
from ui.fees.model import MonthReportModel, number_text
from ui.widgets import shortcut_button, text_width

# The notice lists those who still owe first.
_ORDER = {PaidState.UNPAID: 0, PaidState.PARTIAL: 1, PaidState.NO_PROFILE: 2, PaidState.PAID: 3, PaidState.EXEMPT: 4}


def rows_height(table: QTableView, rows: int, scroll_bar: bool = True) -> int:
    """The height a table needs to show its header, `rows` rows and (if it may scroll sideways) a scroll bar."""
    bar = table.horizontalScrollBar().sizeHint().height() if scroll_bar else 0
    return (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
            + bar + 2 * table.frameWidth())


def bold_font(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


def _small_view(table: QTableView, scrolls_sideways: bool = True) -> QTableView:
    """A read-only table that always shows three rows. One that does not scroll sideways cuts a long last
    cell with "…" (the whole text is its tooltip) and spends no height on a scroll bar."""
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    table.horizontalHeader().setStretchLastSection(True)
    if not scrolls_sideways:
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setMinimumHeight(rows_height(table, 3, scroll_bar=scrolls_sideways))
    return table


def _small_table(headers: list[str], scrolls_sideways: bool = True) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    _small_view(table, scrolls_sideways)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], money_from: int, money_to: int = 99) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            if money_from <= c <= money_to:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    # The last column stretches to the table's edge; sized to its contents it would push a scroll bar.
    table.setColumnWidth(table.columnCount() - 1, text_width(table, 20))


class FeePanels(QTabWidget):
    """The three tabs; `show_book` fills them from the year's book, `show_report` the notice of one month.
    The notice's buttons and Nộp cấp trên… call the page back through the actions given."""

    def __init__(self, parent: QWidget, *, copy: Callable[[], None], save_notice: Callable[[], None],
                 print_notice: Callable[[], None], remit: Callable[[], None]):
        super().__init__(parent)
        # Each tab's buttons sit on the tab bar, beside the tabs, so the tables keep the height for their rows.
        self._corners: list[QWidget] = []
        self.addTab(self._build_report(copy, save_notice, print_notice), _("Thông báo tháng"))
        self.flags_index = self.addTab(self._build_flags(), _("Cảnh báo"))
        self.addTab(self._build_summary(remit), _("Tổng hợp năm"))
        corner = QWidget()
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 0, 2)
        for widget in self._corners:
            row.addWidget(widget)
        self.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.currentChanged.connect(self._show_corner)
        self._show_corner(self.currentIndex())

    def _show_corner(self, index: int) -> None:
        for widget in self._corners:
            widget.setVisible(widget.property("tab") == index)

    def _corner_button(self, tab: int, text: str, keys: str | None, slot, tip: str) -> QPushButton:
        button = shortcut_button(self, text, keys, slot)
        button.setToolTip(tip)
        button.setProperty("tab", tab)
        self._corners.append(button)
        return button

    @staticmethod
    def _column(widget: QWidget) -> QVBoxLayout:
        column = QVBoxLayout(widget)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(4)
        return column

    # --- building --------------------------------------------------------------------------
    def _build_report(self, copy, save_notice, print_notice) -> QWidget:
        report = QWidget()
        column = self._column(report)
        self.report_title = QLabel()
        self.report_title.setWordWrap(True)
        column.addWidget(self.report_title)
        self.copy_button = self._corner_button(0, _("Chép thông báo"), "Ctrl+Shift+C", copy, _(
            "Chép danh sách đã đóng / chưa đóng để dán vào biên bản sinh hoạt (Ctrl+Shift+C)"))
        self.save_notice_button = self._corner_button(0, _("Lưu PDF…"), None, save_notice, _(
            "Lưu thông báo tình hình đóng đảng phí của tháng đang chọn thành tệp PDF"))
        self.print_notice_button = self._corner_button(0, _("In…"), "Ctrl+Shift+P", print_notice, _(
            "In thông báo tình hình đóng đảng phí của tháng đang chọn (Ctrl+Shift+P)"))
        self.report_model = MonthReportModel(self)
        self.report_table = QTableView()
        self.report_table.setModel(self.report_model)  # first: the header's height is measured on its labels
        _small_view(self.report_table, scrolls_sideways=False)
        column.addWidget(self.report_table, 1)
        return report

    def _build_flags(self) -> QWidget:
        flags = QWidget()
        column = self._column(flags)
        # What the marks mean is said in the column's heading, so the three rows keep all the height.
        self.flags_table = _small_table([_("Họ và tên"), _("Còn nợ"), _(
            "Cảnh báo: ⚠ đề nghị xem xét xóa tên; • đóng chậm, đã đóng bù")], scrolls_sideways=False)
        self.flags_table.horizontalHeaderItem(2).setToolTip(_(
            "Đảng viên không đóng đảng phí 3 tháng trong năm mà không có lý do chính đáng: chi bộ xem xét, đề nghị "
            "cấp có thẩm quyền xóa tên; chương trình không tự xóa tên. Tháng đóng chậm nhưng đã đóng bù chỉ được "
            "nhắc nhở."))
        self.flags_table.verticalHeader().hide()
        column.addWidget(self.flags_table, 1)
        return flags

    def _build_summary(self, remit) -> QWidget:
        self.summary_table = _small_table([_("Tháng"), _("Đảng viên"), _("Được miễn"), _("Chưa đóng"), _("Đã thu"),
                                           _("Trích giữ lại"), _("Phải nộp cấp trên"), _("Đã nộp"), _("Chưa nộp")])
        self.summary_table.verticalHeader().hide()
        self.summary_table.setToolTip(_("Phần II của sổ: thu, trích giữ lại và nộp cấp trên từng tháng."))
        summary = QWidget()
        self._column(summary).addWidget(self.summary_table, 1)
        # Remittances belong with Part II; the month is the row chosen here, else the grid's month.
        self.remit_button = self._corner_button(2, _("Nộp cấp trên…"), "Ctrl+R", remit, _(
            "Ghi khoản nộp đảng phí lên cấp trên cho tháng đang chọn (Ctrl+R)"))
        return summary

    # --- filling ---------------------------------------------------------------------------
    def show_book(self, book: YearBook, month: Month, today: dt.date) -> None:
        self._fill_flags(book)
        self._fill_summary(book)
        self.show_report(book, month, today)

    def chosen_summary_month(self, book: YearBook) -> Month | None:
        """The month of the Part II row chosen, if a month's row is chosen."""
        row = self.summary_table.currentRow()
        return book.summary[row].month if 0 <= row < len(book.summary) else None

    def show_report(self, book: YearBook, month: Month, today: dt.date) -> None:
        lines = sorted(fees.monthly_report(month, today, book), key=lambda line: _ORDER[line.state])
        paid = sum(1 for line in lines if line.state is PaidState.PAID)
        unpaid = sum(1 for line in lines if line.state.owes)
        # Short enough to stay on one line beside its three buttons at 150 %.
        self.report_title.setText(_("Tháng {month}: {paid} đã đóng, {unpaid} chưa đóng đủ, {exempt} được miễn.").format(
            month=mo.label(month), paid=paid, unpaid=unpaid,
            exempt=sum(1 for line in lines if line.state is PaidState.EXEMPT)))
        self.report_title.setToolTip(_("{count} đảng viên trong sổ đảng phí tháng {month}.").format(
            count=len(lines), month=mo.label(month)))
        self.report_model.set_lines(lines)
        self._fit_report()

    def _fit_report(self) -> None:
        """Columns as wide as their widest text, measured with the font (Qt's own measuring asks every cell
        for its size and takes tens of milliseconds on a large cell); the rule column takes the rest."""
        model, metrics = self.report_model, self.report_table.fontMetrics()
        header = QFontMetrics(bold_font(self.report_table.horizontalHeader().font()))
        pad = text_width(self.report_table, 2)
        for column in range(model.columnCount() - 1):
            texts = {model.text(line, column) for line in model.lines}
            widest = max([metrics.horizontalAdvance(t) for t in texts] + [0])
            self.report_table.setColumnWidth(column, max(widest, header.horizontalAdvance(
                model.headerData(column, Qt.Orientation.Horizontal))) + pad)

    def _fill_flags(self, book: YearBook) -> None:
        # Removal proposals first, then the reminders of late payment.
        flags = sorted(book.flags, key=lambda flag: not flag.proposes_removal)
        rows = [[flag.name, number_text(flag.unpaid), flag.message] for flag in flags]
        missing = [m for m in book.members if any(line.due.missing_profile and line.in_book for line in m.lines)]
        rows += [[m.name, "", _("Chưa khai đối tượng đóng đảng phí cho một số tháng (bấm «Đối tượng đóng…»)")]
                 for m in missing]
        _fill(self.flags_table, rows, money_from=1, money_to=1)
        self.setTabText(self.flags_index, _("Cảnh báo ({count})").format(count=len(book.flags))
                        if book.flags else _("Cảnh báo"))

    def _fill_summary(self, book: YearBook) -> None:
        rows = []
        for r in book.summary:
            if r.future:
                rows.append([r.label] + [""] * 8)
                continue
            rows.append([r.label, str(r.members), str(r.exempt), number_text(r.unpaid), number_text(r.collected),
                         number_text(r.retained), number_text(r.to_remit), number_text(r.remitted),
                         number_text(r.not_remitted)])
        _fill(self.summary_table, rows, money_from=1)
        bold = bold_font(self.summary_table.font())
        for r, summary_row in enumerate(book.summary):
            if summary_row.kind != "month":
                for c in range(self.summary_table.columnCount()):
                    self.summary_table.item(r, c).setFont(bold)
