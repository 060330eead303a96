"""The Đảng phí page: the year's month grid where a payment takes two keystrokes, the monthly report,
the warnings, the year's summary, and the buttons to export and print the book."""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import months as mo
from app.domain.dates import Month, format_date
from app.domain.fee_ledger import PaidState, YearBook, oldest_unpaid
from app.domain.fees import nothing_to_pay
from app.domain.money import MoneyError, format_money, format_number, parse_money
from app.i18n import _
from app.services import fees
from app.services.changes import Changes
from app.services.errors import ServiceError
from ui.dialogs import confirm, show_error, show_info
from ui.fees.model import _COLOURS, _NOT_IN_BOOK, FIRST_MONTH, PAID_LATE, FeeGridModel, is_month_column
from ui.ops import run_op
from ui.pages import Page
from ui.tasks import run_task
from ui.widgets import heading, shortcut_button, text_width


def HINT() -> str:  # noqa: N802 - a constant that must be translated when shown
    return _("Chọn ô tháng rồi nhấn Enter (hoặc Space) để ghi đã thu đủ, tiền mặt, hôm nay; gõ số để ghi số tiền "
             "khác; F2 mở hộp thoại thu; Delete hủy khoản thu của tháng.")


class FeeGridView(QTableView):
    """Enter or Space records the month's due as paid; a digit starts typing another amount; F2 opens the
    payment dialog; Delete cancels a payment of that month."""

    pay_requested = Signal(QModelIndex)
    dialog_requested = Signal(QModelIndex)
    cancel_requested = Signal(QModelIndex)

    def keyPressEvent(self, event) -> None:
        index = self.currentIndex()
        if self.state() != QAbstractItemView.State.EditingState and index.isValid() and is_month_column(index.column()):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and not event.modifiers() & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                self.pay_requested.emit(index)
                event.accept()
                return
            if key == Qt.Key.Key_F2:
                self.dialog_requested.emit(index)
                event.accept()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.cancel_requested.emit(index)
                event.accept()
                return
        super().keyPressEvent(event)


def _rows_height(table: QTableView, rows: int) -> int:
    """The height a table needs to show its header, `rows` rows and a horizontal scroll bar."""
    return (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
            + table.horizontalScrollBar().sizeHint().height() + 2 * table.frameWidth())


def _bold_font(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


class FeesPage(Page):
    """Đảng phí. `today` is for tests and screenshots; the window uses the real day.

    Every change goes through run_op; the page hears it back on the hub like any other page: a change to a few
    members' lines redraws their rows and the totals, anything wider reads the year again."""

    area = "fees"

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self._fixed_today = today
        self.book: YearBook | None = None
        self.model = FeeGridModel(self)
        # The typed amount is recorded once the editor has closed (a question may open over the grid).
        self.model.amount_entered.connect(lambda member_id, month, text: QTimer.singleShot(
            0, self, lambda: self.record_typed(member_id, month, text)))
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top())
        # On a 1366×768 laptop, even at a large text size, the grid keeps three members in view and the panels
        # below keep three warnings; neither can be dragged smaller, and what does not fit scrolls.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.table = self._build_table()
        self.table.setMinimumHeight(_rows_height(self.table, 3))
        self.splitter.addWidget(self.table)
        self.tabs = self._build_tabs()
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        # Room for two lines, so a message never pushes the buttons about or loses its second line.
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.say(HINT())
        layout.addWidget(self.message)
        layout.addLayout(self._build_buttons())
        self.reload()
        self._select(0, FIRST_MONTH + self.today.month - 1 if self.year.value() == self.today.year else FIRST_MONTH)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The cursor was placed before the page had its real width; scroll from the first month again.
        QTimer.singleShot(0, self, self._scroll_to_cursor)

    def _scroll_to_cursor(self) -> None:
        self.table.horizontalScrollBar().setValue(0)
        if self.table.currentIndex().isValid():
            self.table.scrollTo(self.table.currentIndex())

    @property
    def today(self) -> dt.date:
        return self._fixed_today or dt.date.today()

    # --- building --------------------------------------------------------------------------
    def _build_top(self) -> QHBoxLayout:
        """The page's title, the year, and the colours' legend, which wraps onto a second line at large text
        sizes instead of widening the page past a laptop screen."""
        row = QHBoxLayout()
        row.addWidget(heading(_("Đảng phí")), 0, Qt.AlignmentFlag.AlignVCenter)
        row.addSpacing(text_width(self, 2))
        year_label = QLabel(_("Năm"))
        row.addWidget(year_label)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today.year)
        self.year.valueChanged.connect(lambda _value: self.reload())
        year_label.setBuddy(self.year)
        row.addWidget(self.year)
        row.addSpacing(text_width(self, 2))
        chips = []
        for text, colours in (
            (_("đã đóng"), _COLOURS[PaidState.PAID]), (_("chưa đóng, đã quá tháng"), _COLOURS[PaidState.UNPAID]),
            (_("đóng muộn"), PAID_LATE), (_("đóng thiếu"), _COLOURS[PaidState.PARTIAL]),
            (_("miễn"), _COLOURS[PaidState.EXEMPT]),
            (_("không sinh hoạt tại chi bộ"), (_NOT_IN_BOOK, "#333333")),
        ):
            words = html.escape(text).replace(" ", "&nbsp;")
            style = f"background-color: {colours[0]}; color: {colours[1]};"
            chips.append(f'<span style="{style}">&nbsp;{words}&nbsp;</span>')
        self.legend = QLabel(" &nbsp; ".join(chips))
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        row.addWidget(self.legend, 1)
        return row

    def _build_table(self) -> FeeGridView:
        table = FeeGridView()
        table.setModel(self.model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed)
        table.setWordWrap(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.pay_requested.connect(self.pay_due)
        table.dialog_requested.connect(self.open_payment_dialog)
        table.cancel_requested.connect(self.cancel_payment)
        table.doubleClicked.connect(lambda index: is_month_column(index.column()) and self.open_payment_dialog(index))
        table.selectionModel().currentChanged.connect(lambda current, _previous: self._current_changed(current))
        return table

    def _build_tabs(self) -> QTabWidget:
        tabs = QTabWidget()
        report = QWidget()
        column = QVBoxLayout(report)
        top = QHBoxLayout()
        self.report_title = QLabel()
        self.report_title.setWordWrap(True)
        top.addWidget(self.report_title, 1)
        self.copy_button = shortcut_button(self, _("Chép thông báo"), "Ctrl+Shift+C", self.copy_report)
        self.copy_button.setToolTip(_("Chép danh sách đã đóng / chưa đóng để dán vào biên bản sinh hoạt "
                                      "(Ctrl+Shift+C)"))
        self.save_notice_button = shortcut_button(self, _("Lưu PDF…"), None, self.save_notice_pdf)
        self.save_notice_button.setToolTip(_("Lưu thông báo tình hình đóng đảng phí của tháng đang chọn thành tệp PDF"))
        self.print_notice_button = shortcut_button(self, _("In…"), "Ctrl+Shift+P", self.print_notice)
        self.print_notice_button.setToolTip(_("In thông báo tình hình đóng đảng phí của tháng đang chọn "
                                              "(Ctrl+Shift+P)"))
        for button in (self.copy_button, self.save_notice_button, self.print_notice_button):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        self.report_table = self._small_table([_("Họ và tên"), _("Tình hình"), _("Phải đóng"), _("Đã đóng"),
                                               _("Còn thiếu"), _("Căn cứ")])
        column.addWidget(self.report_table, 1)
        tabs.addTab(report, _("Thông báo tháng"))
        flags = QWidget()
        column = QVBoxLayout(flags)
        note = QLabel(_("⚠ đề nghị xem xét xóa tên (3 tháng chưa đóng, không có lý do chính đáng); • đóng chậm, "
                        "đã đóng bù. Chương trình chỉ cảnh báo; chi bộ xem xét, đề nghị cấp có thẩm quyền."))
        note.setWordWrap(True)
        column.addWidget(note)
        self.flags_table = self._small_table([_("Họ và tên"), _("Còn nợ"), _("Cảnh báo")])
        # One line per warning, cut with "…" if need be and shown whole in its tooltip: three warnings stay in
        # view even at a large text size.
        self.flags_table.setWordWrap(False)
        self.flags_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.flags_table.verticalHeader().hide()
        column.addWidget(self.flags_table, 1)
        self.flags_index = tabs.addTab(flags, _("Cảnh báo"))
        self.summary_table = self._small_table([_("Tháng"), _("Đảng viên"), _("Được miễn"), _("Chưa đóng"),
                                                _("Đã thu"), _("Trích giữ lại"), _("Phải nộp cấp trên"),
                                                _("Đã nộp"), _("Chưa nộp")])
        self.summary_table.verticalHeader().hide()
        summary = QWidget()
        column = QVBoxLayout(summary)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Phần II của sổ: thu, trích giữ lại và nộp cấp trên từng tháng.")), 1)
        # Remittances belong with Part II; the month is the row chosen here, else the grid's month.
        self.remit_button = shortcut_button(self, _("Nộp cấp trên…"), "Ctrl+R", self.open_remittance_dialog)
        top.addWidget(self.remit_button)
        column.addLayout(top)
        column.addWidget(self.summary_table, 1)
        tabs.addTab(summary, _("Tổng hợp năm"))
        return tabs

    @staticmethod
    def _small_table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.horizontalHeader().setStretchLastSection(True)
        table.setMinimumHeight(_rows_height(table, 3))
        return table

    def _build_buttons(self) -> QVBoxLayout:
        """Two rows: taking fees, then the member's fee facts and the year's book. Enter, F2 and Delete belong
        to the grid (named on their buttons); the others have a Ctrl shortcut, active while the page shows."""
        rows = QVBoxLayout()
        first, second = QHBoxLayout(), QHBoxLayout()
        grid_key = _("Phím {keys} trên ô tháng đang chọn")
        self.buttons: dict[str, QPushButton] = {
            "pay": shortcut_button(self, _("Thu đủ tháng đang chọn (Enter)"), None, self._pay_current),
            "dialog": shortcut_button(self, _("Khoản thu khác… (F2)"), None,
                                      lambda: self.open_payment_dialog(self.table.currentIndex())),
            "cancel": shortcut_button(self, _("Hủy khoản thu…"), None,
                                      lambda: self.cancel_payment(self.table.currentIndex())),
            "excuse": shortcut_button(self, _("Lý do chính đáng…"), "Ctrl+L", self.open_excuse_dialog),
            "profile": shortcut_button(self, _("Đối tượng đóng…"), "Ctrl+D", self.open_profile_dialog),
            "relief": shortcut_button(self, _("Miễn, giảm…"), "Ctrl+M", self.open_relief_dialog),
            "rules": shortcut_button(self, _("Định mức…"), None, self.open_rules_dialog),
            "save_book": shortcut_button(self, _("Lưu PDF…"), "Ctrl+S", self.save_book_pdf),
            "print_book": shortcut_button(self, _("In…"), "Ctrl+P", self.print_book),
            "export": shortcut_button(self, _("Xuất Excel…"), None, self.export_xlsx),
            "remit": self.remit_button, "copy": self.copy_button, "save_notice": self.save_notice_button,
            "print_notice": self.print_notice_button,
        }
        for key, keys in (("pay", "Enter"), ("dialog", "F2"), ("cancel", "Delete")):
            self.buttons[key].setToolTip(grid_key.format(keys=keys))
        self.buttons["save_book"].setToolTip(_("Lưu sổ thu, nộp đảng phí cả năm thành tệp PDF (Ctrl+S)"))
        self.buttons["print_book"].setToolTip(_("In sổ thu, nộp đảng phí cả năm ra máy in (Ctrl+P)"))
        self.buttons["export"].setToolTip(_("Xuất sổ thu, nộp đảng phí cả năm ra tệp Excel"))
        for key in ("pay", "dialog", "cancel", "excuse"):
            first.addWidget(self.buttons[key])
        for key in ("profile", "relief", "rules"):
            second.addWidget(self.buttons[key])
        second.addSpacing(text_width(self, 2))
        second.addWidget(QLabel(_("Sổ đảng phí:")))
        for key in ("save_book", "print_book", "export"):
            second.addWidget(self.buttons[key])
        first.addStretch(1)
        second.addStretch(1)
        rows.addLayout(first)
        rows.addLayout(second)
        return rows

    # --- hearing changes -------------------------------------------------------------------
    def touched_by(self, changes: Changes) -> bool:
        return changes.any_fee or changes.cell or any(key.startswith("fees.") for key in changes.settings)

    def apply_changes(self, changes: Changes, source: object = None) -> None:
        """A payment, a profile, a relief or an excuse changes its members' lines: their rows and the totals
        are redrawn. The roster, the rules, remittances, the cell or a fee setting change the whole year."""
        whole = changes.members or changes.fee_book or changes.everything or changes.cell or changes.settings
        if whole or self.book is None:
            self.reload()
        elif changes.fee_members:
            self.refresh_members(changes.fee_members)

    def refresh_members(self, member_ids) -> None:
        """Compute these members' lines again and redraw their rows, the totals row and the panels below."""
        try:
            self.book = fees.refresh_members(self.book, member_ids, today=self.today)
        except ServiceError as exc:
            show_error(self, str(exc))
            return
        member_id, column = self._cursor()
        if self.model.update_book(self.book, member_ids):
            self._fit_columns([row for row in map(self.model.row_of, member_ids) if row >= 0])
        else:
            self._fit_columns()
            if member_id is not None:
                self._select(self.model.row_of(member_id), column)
        self._fill_panels()

    # --- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the year again, keeping the cursor on the same member and month."""
        member_id, column = self._cursor()
        try:
            self.book = fees.year_book(self.year.value(), self.today)
        except ServiceError as exc:
            show_error(self, str(exc))
            return
        self.model.set_book(self.book, self.today)
        self._fit_columns()
        if member_id is not None:
            self._select(self.model.row_of(member_id), column)
        self._fill_panels()

    def _fill_panels(self) -> None:
        self._fill_flags()
        self._fill_summary()
        self._fill_report()

    def _cursor(self) -> tuple[int | None, int]:
        member = self.model.member_at(self.table.currentIndex().row())
        if member is None:
            return None, FIRST_MONTH
        return member.member_id, self.table.currentIndex().column()

    def _select(self, row: int, column: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        index = self.model.index(row, column)
        self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(index)

    def _fit_columns(self, rows: list[int] | None = None) -> None:
        """Columns as wide as their widest text (all rows, or, after a change to a few rows, those rows and
        the totals, widening only). Measured here rather than by resizeColumnsToContents, whose generous
        padding pushes the last months off a laptop screen."""
        metrics = self.table.fontMetrics()
        bold = QFontMetrics(_bold_font(self.table.font()))
        measured = range(self.model.rowCount()) if rows is None else [*rows, self.model.totals_row]
        totals = self.model.totals_row
        header_bold = QFontMetrics(_bold_font(self.table.horizontalHeader().font()))
        for column in range(self.model.columnCount()):
            widest = max([(bold if row == totals else metrics).horizontalAdvance(
                self.model.data(self.model.index(row, column)) or "") for row in measured]
                + [metrics.horizontalAdvance("00.000")])
            header = header_bold.horizontalAdvance(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(widest, header) + 9
            if rows is None or width > self.table.columnWidth(column):
                self.table.setColumnWidth(column, width)
        names = [self.model.headerData(r, Qt.Orientation.Vertical) or "" for r in measured]
        widest = max([header_bold.horizontalAdvance(n) for n in names] + [text_width(self.table, 12)])
        width = min(widest + 14, text_width(self.table, 32))
        if rows is None or width > self.table.verticalHeader().width():
            self.table.verticalHeader().setFixedWidth(width)

    def selected_month(self) -> Month:
        month = self.model.month_of(self.table.currentIndex().column())
        if month is not None:
            return month
        if self.year.value() == self.today.year:
            return Month.of(self.today)
        return Month(self.year.value(), 12)

    def selected_member(self):
        member = self.model.member_at(self.table.currentIndex().row())
        return member.facts.member if member is not None else None

    def _current_changed(self, current: QModelIndex) -> None:
        if is_month_column(current.column()):
            self._fill_report()

    def _fill_report(self) -> None:
        if self.book is None:
            return
        month = self.selected_month()
        lines = fees.monthly_report(month, self.today, self.book)
        order = {PaidState.UNPAID: 0, PaidState.PARTIAL: 1, PaidState.NO_PROFILE: 2, PaidState.PAID: 3,
                 PaidState.EXEMPT: 4}
        lines.sort(key=lambda line: order[line.state])
        paid = sum(1 for line in lines if line.state is PaidState.PAID)
        unpaid = sum(1 for line in lines if line.state in (PaidState.UNPAID, PaidState.PARTIAL))
        self.report_lines = lines
        # Short enough to stay on one line beside its three buttons at 150 %.
        self.report_title.setText(_("Tháng {month}: {paid} đã đóng, {unpaid} chưa đóng đủ, {exempt} được miễn.").format(
            month=mo.label(month), paid=paid, unpaid=unpaid,
            exempt=sum(1 for line in lines if line.state is PaidState.EXEMPT)))
        self.report_title.setToolTip(_("{count} đảng viên trong sổ đảng phí tháng {month}.").format(
            count=len(lines), month=mo.label(month)))
        self._fill(self.report_table, [[line.name, line.state.label, format_number(line.due),
                                        format_number(line.paid), format_number(line.outstanding), line.explanation]
                                       for line in lines], money_from=2, money_to=4)

    def _fill_flags(self) -> None:
        # Removal proposals first, then the reminders of late payment.
        flags = sorted(self.book.flags, key=lambda flag: not flag.proposes_removal)
        rows = [[flag.name, format_number(flag.unpaid), flag.message] for flag in flags]
        missing = [m for m in self.book.members
                   if any(line.due.missing_profile and line.in_book for line in m.lines)]
        rows += [[m.name, "", _("Chưa khai đối tượng đóng đảng phí cho một số tháng (bấm «Đối tượng đóng…»)")]
                 for m in missing]
        self._fill(self.flags_table, rows, money_from=1, money_to=1)
        self.tabs.setTabText(self.flags_index, _("Cảnh báo ({count})").format(count=len(self.book.flags))
                             if self.book.flags else _("Cảnh báo"))

    def _fill_summary(self) -> None:
        rows = []
        for r in self.book.summary:
            if r.future:
                rows.append([r.label] + [""] * 8)
                continue
            rows.append([r.label, str(r.members), str(r.exempt), format_number(r.unpaid), format_number(r.collected),
                         format_number(r.retained), format_number(r.to_remit), format_number(r.remitted),
                         format_number(r.not_remitted)])
        self._fill(self.summary_table, rows, money_from=1)
        bold = _bold_font(self.summary_table.font())
        for r, summary_row in enumerate(self.book.summary):
            if summary_row.kind != "month":
                for c in range(self.summary_table.columnCount()):
                    self.summary_table.item(r, c).setFont(bold)

    @staticmethod
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

    # --- taking payments -------------------------------------------------------------------
    def _pay_current(self) -> None:
        self.pay_due(self.table.currentIndex())

    def show_issues(self, issues: list) -> None:
        """Where run_op puts a refused payment's reasons: the message line under the grid."""
        self.say("\n".join(str(issue) for issue in issues), error=True)

    def pay_due(self, index: QModelIndex) -> None:
        """Enter/Space: what is still owed, in cash, today — for the member's oldest month still owed up to the
        one chosen. When that is the month chosen the cursor moves down; otherwise it goes to the month paid."""
        line = self.model.line_at(index)
        if line is None:
            self.say(_("Hãy chọn một ô tháng của một đảng viên."))
            return
        member = self.model.member_at(index.row())
        refusal = nothing_to_pay(line.due, line.outstanding)
        if refusal and oldest_unpaid(member, line.month) is None:
            self.say(refusal, error=True)  # nothing to take: said on the line, no box to close
            return
        outcome = run_op(self, lambda: fees.pay_oldest_due(member.member_id, line.month, today=self.today),
                         issues_to=self, source=self)
        if outcome is None:
            return
        payment = outcome.value
        if payment.month_from == line.month:
            self._said_payment(member.name, payment)
            self._select(min(index.row() + 1, len(self.model.members) - 1), index.column())
            return
        self._said_payment(member.name, payment, instead_of=line.month)
        self._select(index.row(), FIRST_MONTH + payment.month_from.month - 1)

    def record_typed(self, member_id: int, month: Month, text: str) -> None:
        """A number typed into a month cell: that amount, in cash, today; an amount far from the month's due
        is asked about first."""
        try:
            amount = parse_money(text)
        except MoneyError as exc:
            self.say(_("Số tiền: {error}").format(error=exc), error=True)
            return
        if not self._amount_confirmed(member_id, amount, month, month):
            return
        outcome = run_op(self, lambda: fees.record_payment(member_id, amount=amount, month_from=month,
                                                           paid_on=self.today, today=self.today),
                         issues_to=self, source=self)
        if outcome is not None:
            row = self.model.row_of(member_id)
            self._said_payment(self.model.members[row].name if row >= 0 else "", outcome.value)

    def _amount_confirmed(self, member_id: int, amount: int, start: Month, end: Month) -> bool:
        """True unless the amount is far from what the months call for and the secretary says not to record it."""
        try:
            question = fees.amount_question(member_id, amount=amount, month_from=start, month_to=end,
                                            today=self.today)
        except ServiceError:
            return True  # the payment itself will be refused, with its reason
        if question is None or confirm(self, question, _("Số tiền khác xa số phải đóng"), _("Vẫn ghi")):
            return True
        self.say(_("Chưa ghi khoản thu {amount}.").format(amount=format_money(amount)))
        return False

    def _said_payment(self, name: str, payment, instead_of: Month | None = None) -> None:
        months = mo.label(payment.month_from) if payment.month_from == payment.month_to else \
            f"{mo.label(payment.month_from)}–{mo.label(payment.month_to)}"
        text = _("Đã ghi: đồng chí {name} đóng {amount} cho tháng {months} ({channel}, ngày {day}).").format(
            name=name, amount=format_money(payment.amount), months=months, channel=payment.channel.label,
            day=format_date(payment.paid_on))
        if instead_of is not None:
            text = _("Đã ghi tháng {month} — tháng cũ nhất còn nợ — thay vì tháng {chosen}: đồng chí {name} đóng "
                     "{amount} ({channel}, ngày {day}).").format(
                month=months, chosen=mo.label(instead_of), name=name, amount=format_money(payment.amount),
                channel=payment.channel.label, day=format_date(payment.paid_on))
        self.say("\n".join([text, *payment.warnings]))

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    def open_payment_dialog(self, index: QModelIndex) -> None:
        from ui.fees.dialogs import PaymentDialog

        line = self.model.line_at(index)
        if line is None:
            self.say(_("Hãy chọn một ô tháng của một đảng viên."))
            return
        member = self.model.member_at(index.row())
        dialog = PaymentDialog(member.facts.member, line.month, line.outstanding or None, self.today, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._said_payment(member.name, dialog.result_value)

    def cancel_payment(self, index: QModelIndex) -> None:
        line = self.model.line_at(index)
        if line is None:
            return
        member = self.model.member_at(index.row())
        found = [p for p in fees.payments(member.member_id) if p.month_from <= line.month <= p.month_to]
        if not found:
            self.say(_("Tháng {month} của đồng chí {name} chưa có khoản thu nào.").format(
                month=mo.label(line.month), name=member.name))
            return
        payment = found[-1]
        reason, ok = QInputDialog.getText(self, _("Hủy khoản thu"), _(
            "Hủy khoản thu {amount} ngày {day} (tháng {start}–{end}) của đồng chí {name}?\nLý do hủy:").format(
            amount=format_money(payment.amount), day=format_date(payment.paid_on), start=mo.label(payment.month_from),
            end=mo.label(payment.month_to), name=member.name), text=_("Ghi nhầm"))
        if not ok:
            return
        if run_op(self, lambda: fees.cancel_payment(payment.id, reason=reason), issues_to=self, source=self):
            self.say(_("Đã hủy khoản thu {amount} của đồng chí {name}.").format(
                amount=format_money(payment.amount), name=member.name))

    # --- other dialogs ---------------------------------------------------------------------
    def _member_dialog(self, build: Callable) -> None:
        member = self.selected_member()
        if member is None:
            self.say(_("Hãy chọn một đảng viên trong bảng."))
            return
        build(member).exec()  # it saves through run_op; the page hears the change like every page

    def open_profile_dialog(self) -> None:
        from ui.fees.dialogs import ProfileDialog

        self._member_dialog(lambda m: ProfileDialog(m, self.selected_month(), self.today, self))

    def open_relief_dialog(self) -> None:
        from ui.fees.dialogs import ReliefDialog

        self._member_dialog(lambda m: ReliefDialog(m, self.selected_month(), self))

    def open_excuse_dialog(self) -> None:
        from ui.fees.dialogs import ExcuseDialog

        self._member_dialog(lambda m: ExcuseDialog(m, self.selected_month(), self))

    def open_remittance_dialog(self) -> None:
        from ui.fees.dialogs import RemittanceDialog

        chosen = self.summary_table.currentRow()
        picked = self.book.summary[chosen] if self.book and 0 <= chosen < len(self.book.summary) else None
        month = picked.month if picked is not None and picked.month is not None else self.selected_month()
        row = next((r for r in self.book.summary if r.month == month), None) if self.book else None
        RemittanceDialog(month, row.not_remitted if row else 0, self.today, self).exec()

    def open_rules_dialog(self) -> None:
        from ui.fees.rules_dialog import RulesDialog

        RulesDialog(self).exec()

    def copy_report(self) -> None:
        month = self.selected_month()
        lines = getattr(self, "report_lines", [])
        paid = [line.name for line in lines if line.state is PaidState.PAID]
        unpaid = [f"{line.name} ({format_money(line.outstanding)})" for line in lines
                  if line.state in (PaidState.UNPAID, PaidState.PARTIAL)]
        text = _("Tình hình đóng đảng phí tháng {month}: {paid} đồng chí đã đóng; {count} đồng chí chưa đóng đủ{names}.").format(
            month=mo.label(month), paid=len(paid), count=len(unpaid), names=(": " + ", ".join(unpaid)) if unpaid else "")
        QGuiApplication.clipboard().setText(text)
        self.say(_("Đã chép thông báo: {text}").format(text=text))

    # --- export and print ------------------------------------------------------------------
    def _ask_path(self, title: str, name: str, file_filter: str, area: str) -> Path | None:
        from ui.files import ask_save_path

        return ask_save_path(self, title=title, suggested_name=name, file_filter=file_filter, area=area)

    def export_xlsx(self) -> None:
        from app.reports.file_names import document_file_name
        from app.services import fee_export
        from ui.files import EXCEL_FILTER

        year, today = self.year.value(), self.today
        target = self._ask_path(_("Xuất sổ đảng phí"), document_file_name("fee_book", year, extension="xlsx"),
                                EXCEL_FILTER, "excel")
        if target is None:
            return
        run_task(self, _("Đang xuất sổ đảng phí…"), lambda: fee_export.export_year(year, target, today=today),
                 lambda count: show_info(self, _("Đã xuất sổ đảng phí năm {year} ({count} đảng viên) ra tệp:\n{file}")
                                         .format(year=year, count=count, file=target)))

    def _book_pdf(self, target: Path | None):
        from app.services import fee_printing

        year, today = self.year.value(), self.today
        return lambda: fee_printing.print_fee_book(year, target, today=today)

    def _notice_pdf(self, target: Path | None):
        from app.services import fee_printing

        month, today, book = self.selected_month(), self.today, self.book
        return lambda: fee_printing.print_fee_notice(month, target, today=today, book=book)

    def save_book_pdf(self) -> None:
        """Lưu PDF…: the year's Sổ thu, nộp đảng phí to a file named so-dang-phi-YYYY.pdf."""
        from app.reports.file_names import document_file_name

        year = self.year.value()
        self._save_pdf(_("Lưu sổ thu, nộp đảng phí"), document_file_name("fee_book", year), self._book_pdf,
                       lambda path: _("Đã lưu sổ thu, nộp đảng phí năm {year} vào tệp:\n{file}").format(
                           year=year, file=path))

    def save_notice_pdf(self) -> None:
        """Lưu PDF… of the notice tab: the month's notice to thong-bao-dang-phi-YYYY-MM.pdf."""
        from app.reports.file_names import document_file_name

        month = self.selected_month()
        self._save_pdf(_("Lưu thông báo đảng phí"), document_file_name("fee_notice", month), self._notice_pdf,
                       lambda path: _("Đã lưu thông báo đảng phí tháng {month} vào tệp:\n{file}").format(
                           month=mo.label(month), file=path))

    def _save_pdf(self, title: str, name: str, render, done: Callable[[Path], str]) -> None:
        from ui.files import PDF_FILTER

        target = self._ask_path(title, name, PDF_FILTER, "pdf")
        if target is None:
            return
        run_task(self, _("Đang lưu {file}…").format(file=target.name), render(target),
                 lambda _result: show_info(self, done(target)))

    def print_book(self) -> None:
        """In…: the year's book to the printer, through Qt's print dialog."""
        self._print(self._book_pdf(None), _("Sổ thu, nộp đảng phí năm {year}").format(year=self.year.value()))

    def print_notice(self) -> None:
        self._print(self._notice_pdf(None), _("Thông báo đảng phí tháng {month}").format(
            month=mo.label(self.selected_month())))

    def _print(self, render, title: str) -> None:
        from ui.printing import print_pdf

        run_task(self, _("Đang chuẩn bị bản in…"), render, lambda data: print_pdf(self, data, title=title))
