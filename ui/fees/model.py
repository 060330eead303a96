"""The fee grid as a Qt table model: members × the twelve months of a year, then the year's totals."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain import months as mo
from app.domain.dates import Month, format_date
from app.domain.fee_ledger import MemberYear, MonthLine, PaidState, YearBook, paid_state
from app.domain.money import format_money, format_number
from app.i18n import _

# Names sit in the vertical header, so they stay in view while the months scroll sideways.
FIRST_MONTH = 0
# One total column: the grid must fit a laptop screen; the year's due and paid are in its tooltip.
COL_OWED = 12
COLUMN_COUNT = 13

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
MonthRole = Qt.ItemDataRole.UserRole + 3
StateRole = Qt.ItemDataRole.UserRole + 4

# Soft colours that still read on a projector and in grey print-outs.
_COLOURS = {
    PaidState.PAID: ("#e3f4e1", "#1d5e20"),
    PaidState.PARTIAL: ("#fff1c7", "#6b4d00"),
    PaidState.UNPAID: ("#fbe0de", "#9c1c13"),
    PaidState.EXEMPT: ("#ececec", "#555555"),
    PaidState.NO_PROFILE: ("#f3eefb", "#5b3f86"),
}
_NOT_IN_BOOK = "#d9d9d9"
# Paid in full, but after the month's end (+ grace): it still counts towards the R2 warning.
PAID_LATE = ("#f1f0c4", "#4f5a12")
_NOT_YET = "#8a8a8a"


def is_month_column(column: int) -> bool:
    return FIRST_MONTH <= column < FIRST_MONTH + 12


class FeeGridModel(QAbstractTableModel):
    """One row per member on the year's book; month cells show what was paid or what is owed."""

    amount_entered = Signal(int, object, str)  # member id, Month, the text typed in the cell

    def __init__(self, parent=None):
        super().__init__(parent)
        self.book: YearBook | None = None
        self.members: list[MemberYear] = []
        self.today = dt.date.today()
        self._bold = QFont()
        self._bold.setBold(True)

    # --- data ------------------------------------------------------------------------------
    def set_book(self, book: YearBook, today: dt.date) -> None:
        self.beginResetModel()
        self.book, self.today = book, today
        self.members = list(book.members)
        self.endResetModel()

    def row_of(self, member_id: int) -> int:
        return next((r for r, m in enumerate(self.members) if m.member_id == member_id), -1)

    def month_of(self, column: int) -> Month | None:
        if not is_month_column(column) or self.book is None:
            return None
        return Month(self.book.year, column - FIRST_MONTH + 1)

    def line_at(self, index: QModelIndex) -> MonthLine | None:
        month = self.month_of(index.column())
        if month is None or not index.isValid():
            return None
        return self.members[index.row()].line(month)

    # --- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.members)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            if section >= len(self.members):
                return None
            return self._name_data(self.members[section], section, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if is_month_column(section):
                return _("T{month}").format(month=section - FIRST_MONTH + 1)
            return _("Còn nợ") if section == COL_OWED else None
        if role == Qt.ItemDataRole.ToolTipRole and is_month_column(section) and self.book:
            return _("Tháng {month}").format(month=mo.label(Month(self.book.year, section - FIRST_MONTH + 1)))
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        line = self.line_at(index)
        if line is not None and line.in_book:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.book is None:
            return None
        member = self.members[index.row()]
        column = index.column()
        if role == RowRole:
            return member
        if role == MonthRole:
            return self.month_of(column)
        if is_month_column(column):
            return self._month_data(member.line(self.month_of(column)), role)
        return self._total_data(member, column, role)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A number typed into a month cell: handed to the page, which records it through the service."""
        month = self.month_of(index.column())
        if role != Qt.ItemDataRole.EditRole or month is None or not str(value).strip():
            return False
        self.amount_entered.emit(self.members[index.row()].member_id, month, str(value))
        return False

    # --- cells -----------------------------------------------------------------------------
    def _name_data(self, member: MemberYear, row: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            mark = " ⚠" if self._flagged(member) else ""
            return f"{row + 1}. {member.name}{mark}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self._flagged(member):
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and self._flagged(member):
            return QBrush(QColor(_COLOURS[PaidState.UNPAID][1]))
        if role == Qt.ItemDataRole.ToolTipRole and self._flagged(member):
            flag = next(f for f in self.book.flags if f.member_id == member.member_id)
            return flag.message
        return None

    def _flagged(self, member: MemberYear) -> bool:
        return any(f.member_id == member.member_id for f in self.book.flags)

    def _month_data(self, line: MonthLine, role: int):
        state = paid_state(line) if line.in_book else None
        not_yet = line.month > Month.of(self.today)
        if role == StateRole:
            return state
        if role == Qt.ItemDataRole.DisplayRole:
            return self._month_text(line, state)
        if role == Qt.ItemDataRole.EditRole:
            return format_number(line.outstanding) if line.outstanding else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if state is None:
                return QBrush(QColor(_NOT_IN_BOOK))
            if state in (PaidState.UNPAID, PaidState.PARTIAL) and (not_yet or line.month == Month.of(self.today)):
                return None  # not owed yet: no alarm colour
            if state is PaidState.PAID and line.late:
                return QBrush(QColor(PAID_LATE[0]))
            return QBrush(QColor(_COLOURS[state][0]))
        if role == Qt.ItemDataRole.ForegroundRole and state is not None:
            if state is PaidState.UNPAID and (not_yet or line.month == Month.of(self.today)):
                return QBrush(QColor(_NOT_YET))
            return QBrush(QColor(_COLOURS[state][1]))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._month_tip(line, state)
        if role == SortRole:
            return line.paid_for
        return None

    @staticmethod
    def _month_text(line: MonthLine, state: PaidState | None) -> str:
        if state is None:
            return ""
        if state is PaidState.EXEMPT:
            return _("miễn")
        if state is PaidState.NO_PROFILE:
            return "?"
        if state is PaidState.PAID:
            # The green cell says "paid"; the amount is what came in.
            return format_number(line.paid_for + line.extra) if line.paid_for or line.extra else "✓"
        if state is PaidState.PARTIAL:
            return _("thiếu {amount}").format(amount=format_number(line.outstanding))
        mark = "*" if line.excused else ""
        return format_number(line.due.amount) + mark

    def _month_tip(self, line: MonthLine, state: PaidState | None) -> str:
        if state is None:
            return _("Không sinh hoạt tại chi bộ trong tháng {month}.").format(month=mo.label(line.month))
        parts = [_("Tháng {month}: {state}").format(month=mo.label(line.month), state=state.label),
                 _("Phải đóng: {amount} — {why}").format(amount=format_money(line.due.amount),
                                                         why=line.due.explanation)]
        if line.paid_for or line.extra:
            parts.append(_("Đã đóng: {amount}").format(amount=format_money(line.paid_for + line.extra)))
        if line.late:
            parts.append(_("Không đóng đủ trước cuối tháng (tính vào cảnh báo 3 tháng trong năm)."))
        if line.excused:
            parts.append(_("* Có lý do chính đáng."))
        if state in (PaidState.UNPAID, PaidState.PARTIAL):
            parts.append(_("Nhấn Enter hoặc Space để ghi đã thu {amount} tiền mặt hôm nay ({day}).").format(
                amount=format_money(line.outstanding), day=format_date(self.today)))
        return "\n".join(parts)

    def _total_data(self, member: MemberYear, column: int, role: int):
        owed = member.arrears(self.today)
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(owed)
        if role == SortRole:
            return owed
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and owed > 0:
            return QBrush(QColor(_COLOURS[PaidState.UNPAID][1]))
        if role == Qt.ItemDataRole.ToolTipRole:
            paid = sum(line.paid_for + line.extra for line in member.lines)
            parts = [_("Năm {year}: phải đóng {due}, đã đóng {paid}.").format(
                year=self.book.year, due=format_money(member.due_total), paid=format_money(paid)),
                _("Còn nợ đến hôm nay: {owed}.").format(owed=format_money(owed))]
            if member.still_owed_before:
                parts.append(_("Gồm {amount} còn nợ từ các năm trước.").format(
                    amount=format_money(member.still_owed_before)))
            return "\n".join(parts)
        return None
