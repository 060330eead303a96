"""The fee grid as a Qt table model: members × the twelve months of a year, what each still owes, and a last
row of totals (who has paid each month)."""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain import months as mo
from app.domain.dates import Month, format_date
from app.domain.fee_ledger import Flag, MemberYear, MonthLine, MonthTally, PaidState, YearBook, paid_state
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
_TOTALS = "#eef1f5"


# A number written the Vietnamese way goes through babel (tens of µs each); the same few hundred amounts come
# back at every paint and every refresh of the page, so each is written once.
number_text = functools.lru_cache(maxsize=8192)(format_number)


def is_month_column(column: int) -> bool:
    return FIRST_MONTH <= column < FIRST_MONTH + 12


class FeeGridModel(QAbstractTableModel):
    """One row per member on the year's book, month cells showing what was paid or what is owed, then the
    totals row. A change to a few members redraws their rows and the totals row, never the whole grid."""

    amount_entered = Signal(int, object, str)  # member id, Month, the text typed in the cell

    def __init__(self, parent=None):
        super().__init__(parent)
        self.book: YearBook | None = None
        self.members: list[MemberYear] = []
        self.today = dt.date.today()
        self._rows: dict[int, int] = {}
        self._flags: dict[int, Flag] = {}
        self._tallies: list[MonthTally] = []
        self._owed = 0
        self._bold = QFont()
        self._bold.setBold(True)

    # --- data ------------------------------------------------------------------------------
    def set_book(self, book: YearBook, today: dt.date) -> None:
        self.beginResetModel()
        self.book, self.today = book, today
        self.members = list(book.members)
        self._rows = {m.member_id: row for row, m in enumerate(self.members)}
        self._take_totals(book)
        self.endResetModel()

    def update_book(self, book: YearBook, member_ids: Iterable[int]) -> bool:
        """The same year after a change to these members: their rows and the totals row are redrawn (True).
        A book whose rows are other members (someone joined or left the year) is shown afresh (False)."""
        if len(book.members) != len(self.members) or any(
                a.member_id != b.member_id for a, b in zip(book.members, self.members)):
            self.set_book(book, book.made_on)
            return False
        self.book = book
        self._take_totals(book)
        for member_id in member_ids:
            if member_id in self._rows:  # a member with no line this year has no row to redraw
                self.replace_member(book.members[self._rows[member_id]])
        if self.members:
            self._row_changed(self.totals_row)
        return True

    def replace_member(self, line: MemberYear) -> None:
        """Put one member's recomputed line in place of the old one and redraw that row only."""
        row = self._rows[line.member_id]
        self.members[row] = line
        self._row_changed(row)

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))
        self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)

    def _take_totals(self, book: YearBook) -> None:
        self._flags = {f.member_id: f for f in book.flags}
        self._tallies = book.tallies()
        self._owed = book.arrears()

    @property
    def totals_row(self) -> int:
        """The last row, under the members (there is none when no member is on the year's book)."""
        return len(self.members)

    def row_of(self, member_id: int) -> int:
        return self._rows.get(member_id, -1)

    def member_at(self, row: int) -> MemberYear | None:
        return self.members[row] if 0 <= row < len(self.members) else None

    def month_of(self, column: int) -> Month | None:
        if not is_month_column(column) or self.book is None:
            return None
        return Month(self.book.year, column - FIRST_MONTH + 1)

    def line_at(self, index: QModelIndex) -> MonthLine | None:
        month = self.month_of(index.column())
        member = self.member_at(index.row()) if index.isValid() else None
        if month is None or member is None:
            return None
        return member.line(month)

    # --- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or not self.members else len(self.members) + 1

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            if section == self.totals_row and self.members:
                return self._totals_name(role)
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
        column = index.column()
        if index.row() == self.totals_row:
            return self._totals_data(column, role)
        member = self.members[index.row()]
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
        member = self.member_at(index.row())
        if role != Qt.ItemDataRole.EditRole or month is None or member is None or not str(value).strip():
            return False
        self.amount_entered.emit(member.member_id, month, str(value))
        return False

    # --- cells -----------------------------------------------------------------------------
    def _name_data(self, member: MemberYear, row: int, role: int):
        flag = self._flags.get(member.member_id)
        proposal = flag is not None and flag.proposes_removal
        if role == Qt.ItemDataRole.DisplayRole:
            # ⚠ for a removal proposal; a reminder of late payment is marked more quietly.
            mark = " ⚠" if proposal else " •" if flag is not None else ""
            return f"{row + 1}. {member.name}{mark}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and proposal:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and flag is not None:
            return QBrush(QColor(_COLOURS[PaidState.UNPAID if proposal else PaidState.PARTIAL][1]))
        if role == Qt.ItemDataRole.ToolTipRole and flag is not None:
            return flag.message
        return None

    def _totals_name(self, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return _("Cộng")
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Mỗi tháng: số đồng chí đã đóng đủ / số đồng chí phải đóng; cột cuối: tổng số còn nợ.")
        return None

    def _totals_data(self, column: int, role: int):
        if role == MonthRole:
            return self.month_of(column)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(_TOTALS))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not is_month_column(column):
            if role == Qt.ItemDataRole.DisplayRole:
                return number_text(self._owed)
            if role == SortRole:
                return self._owed
            if role == Qt.ItemDataRole.ToolTipRole:
                return _("Cả chi bộ còn nợ đến hôm nay: {owed}.").format(owed=format_money(self._owed))
            return None
        tally = self._tallies[column - FIRST_MONTH]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{tally.paid}/{tally.paying}" if tally.paying else ""
        if role == SortRole:
            return tally.paid
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Tháng {month}: {paid}/{paying} đồng chí đã đóng đủ ({exempt} được miễn).\nPhải thu {due}, đã thu "
                     "{received}, còn thiếu {outstanding}.").format(
                month=mo.label(tally.month), paid=tally.paid, paying=tally.paying, exempt=tally.exempt,
                due=format_money(tally.due), received=format_money(tally.received),
                outstanding=format_money(tally.outstanding))
        return None

    def _month_data(self, line: MonthLine, role: int):
        state = paid_state(line) if line.in_book else None
        not_yet = line.month > Month.of(self.today)
        if role == StateRole:
            return state
        if role == Qt.ItemDataRole.DisplayRole:
            return self._month_text(line, state)
        if role == Qt.ItemDataRole.EditRole:
            return number_text(line.outstanding) if line.outstanding else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if state is None:
                return QBrush(QColor(_NOT_IN_BOOK))
            if state.owes and (not_yet or line.month == Month.of(self.today)):
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
            return number_text(line.paid_for + line.extra) if line.paid_for or line.extra else "✓"
        if state is PaidState.PARTIAL:
            return _("thiếu {amount}").format(amount=number_text(line.outstanding))
        mark = "*" if line.excused else ""
        return number_text(line.due.amount) + mark

    def _month_tip(self, line: MonthLine, state: PaidState | None) -> str:
        if state is None:
            return _("Không sinh hoạt tại chi bộ trong tháng {month}.").format(month=mo.label(line.month))
        parts = [_("Tháng {month}: {state}").format(month=mo.label(line.month), state=state.label),
                 _("Phải đóng: {amount} — {why}").format(amount=format_money(line.due.amount),
                                                         why=line.due.explanation)]
        if line.paid_for or line.extra:
            parts.append(_("Đã đóng: {amount}").format(amount=format_money(line.paid_for + line.extra)))
        if line.late and line.settled:
            parts.append(_("Đóng sau hạn, đã đóng bù: tính là đóng chậm, không tính vào đề nghị xóa tên."))
        elif line.late:
            parts.append(_("Quá hạn chưa đóng đủ: tính vào cảnh báo 3 tháng trong năm."))
        if line.excused:
            parts.append(_("* Có lý do chính đáng."))
        if state is not None and state.owes:
            parts.append(_("Nhấn Enter hoặc Space để ghi đã thu {amount} tiền mặt hôm nay ({day}).").format(
                amount=format_money(line.outstanding), day=format_date(self.today)))
        return "\n".join(parts)

    def _total_data(self, member: MemberYear, column: int, role: int):
        owed = member.arrears(self.today)
        if role == Qt.ItemDataRole.DisplayRole:
            return number_text(owed)
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


class MonthReportModel(QAbstractTableModel):
    """Thông báo tháng: one row per member on the month's book, in the order given (those who owe first).
    Cells are written when drawn, so a refresh after one payment costs a reset, not two hundred rows."""

    COL_NAME, COL_STATE, COL_DUE, COL_PAID, COL_OWED, COL_RULE = range(6)
    MONEY = (COL_DUE, COL_PAID, COL_OWED)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lines: list = []  # fees.ReportLine
        self._headers = [_("Họ và tên"), _("Tình hình"), _("Phải đóng"), _("Đã đóng"), _("Còn thiếu"), _("Căn cứ")]

    def set_lines(self, lines: list) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role == RowRole:
            return line
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(line, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.MONEY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SortRole and index.column() in self.MONEY:
            return (line.due, line.paid, line.outstanding)[self.MONEY.index(index.column())]
        return None

    def text(self, line, column: int) -> str:
        """What a cell of this line shows."""
        if column == self.COL_NAME:
            return line.name
        if column == self.COL_STATE:
            return line.state.label
        if column == self.COL_RULE:
            return line.explanation
        return number_text((line.due, line.paid, line.outstanding)[self.MONEY.index(column)])
