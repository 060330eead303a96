"""The Đảng phí page: the year's month grid where a payment takes two keystrokes, the monthly report,
the warnings, the year's summary, and the buttons for its papers (ui/fees/papers.py)."""
from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication
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
    QVBoxLayout,
    QWidget,
)

from app.domain import months as mo
from app.domain.dates import Month, format_date
from app.domain.fee_ledger import PaidState, YearBook, oldest_unpaid
from app.domain.fees import nothing_to_pay, span_label
from app.domain.money import MoneyError, format_money, parse_money
from app.i18n import _
from app.services import fees
from app.services.changes import Changes
from app.services.errors import ServiceError
from ui.dialogs import confirm, show_error
from ui.fees import papers
from ui.fees.model import (
    _COLOURS,
    _NOT_IN_BOOK,
    FIRST_MONTH,
    PAID_LATE,
    FeeGridModel,
    is_month_column,
)
from ui.fees.panels import FeePanels, bold_font, rows_height
from ui.ops import run_op
from ui.pages import Page
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
        # Narrow margins: at 150 % on a 1366×768 laptop every pixel of height goes to rows.
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(self._build_top())
        # On a 1366×768 laptop, even at a large text size, the grid keeps three members in view and the panels
        # below keep three warnings; neither can be dragged smaller, and what does not fit scrolls.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.table = self._build_table()
        self.table.setMinimumHeight(rows_height(self.table, 3))
        self.splitter.addWidget(self.table)
        self.tabs = FeePanels(self, copy=self.copy_report, save_notice=self.save_notice_pdf,
                              print_notice=self.print_notice, remit=self.open_remittance_dialog)
        # The panels' tables, named as before on the page.
        self.report_model, self.report_table, self.report_title = (
            self.tabs.report_model, self.tabs.report_table, self.tabs.report_title)
        self.flags_table, self.summary_table = self.tabs.flags_table, self.tabs.summary_table
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
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.pay_requested.connect(self.pay_due)
        table.dialog_requested.connect(self.open_payment_dialog)
        table.cancel_requested.connect(self.cancel_payment)
        table.doubleClicked.connect(lambda index: is_month_column(index.column()) and self.open_payment_dialog(index))
        table.selectionModel().currentChanged.connect(lambda current, _previous: self._current_changed(current))
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
            "remit": self.tabs.remit_button, "copy": self.tabs.copy_button,
            "save_notice": self.tabs.save_notice_button, "print_notice": self.tabs.print_notice_button,
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
        self.tabs.show_book(self.book, self.selected_month(), self.today)

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
        bold = QFontMetrics(bold_font(self.table.font()))
        measured = range(self.model.rowCount()) if rows is None else [*rows, self.model.totals_row]
        totals = self.model.totals_row
        header_bold = QFontMetrics(bold_font(self.table.horizontalHeader().font()))
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
        if self.book is not None:
            self.tabs.show_report(self.book, self.selected_month(), self.today)

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
        months = span_label(payment.month_from, payment.month_to)
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

        month = (self.tabs.chosen_summary_month(self.book) if self.book else None) or self.selected_month()
        row = next((r for r in self.book.summary if r.month == month), None) if self.book else None
        RemittanceDialog(month, row.not_remitted if row else 0, self.today, self).exec()

    def open_rules_dialog(self) -> None:
        from ui.fees.rules_dialog import RulesDialog

        RulesDialog(self).exec()

    def copy_report(self) -> None:
        month = self.selected_month()
        lines = self.report_model.lines
        paid = [line.name for line in lines if line.state is PaidState.PAID]
        unpaid = [f"{line.name} ({format_money(line.outstanding)})" for line in lines
                  if line.state.owes]
        text = _("Tình hình đóng đảng phí tháng {month}: {paid} đồng chí đã đóng; {count} đồng chí chưa đóng đủ{names}.").format(
            month=mo.label(month), paid=len(paid), count=len(unpaid), names=(": " + ", ".join(unpaid)) if unpaid else "")
        QGuiApplication.clipboard().setText(text)
        self.say(_("Đã chép thông báo: {text}").format(text=text))

    # --- papers ----------------------------------------------------------------------------
    def export_xlsx(self) -> None:
        papers.export_xlsx(self, year=self.year.value(), today=self.today)

    def save_book_pdf(self) -> None:
        papers.save_book_pdf(self, year=self.year.value(), today=self.today)

    def print_book(self) -> None:
        papers.print_book(self, year=self.year.value(), today=self.today)

    def save_notice_pdf(self) -> None:
        papers.save_notice_pdf(self, month=self.selected_month(), today=self.today, book=self.book)

    def print_notice(self) -> None:
        papers.print_notice(self, month=self.selected_month(), today=self.today, book=self.book)
