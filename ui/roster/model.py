"""The roster as a Qt table model, and the proxy that filters it as the secretary types."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont

from app.domain import names
from app.domain.dates import format_date
from app.domain.members import Member, MemberStatus
from app.i18n import _
from app.services import members as member_service
from app.services.members import RosterEntry

COL_NAME, COL_BIRTH, COL_SEX, COL_ADMITTED, COL_OFFICIAL, COL_CARD, COL_STATUS, COL_POST = range(8)
_HEADERS = (
    lambda: _("Họ và tên"), lambda: _("Ngày sinh"), lambda: _("Giới tính"), lambda: _("Ngày vào Đảng"),
    lambda: _("Ngày chính thức"), lambda: _("Số thẻ"), lambda: _("Tình trạng"), lambda: _("Chức vụ"),
)
SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
SearchRole = Qt.ItemDataRole.UserRole + 3
_ARCHIVED_COLOUR = QColor("#6b6b6b")


def _display(entry: RosterEntry) -> list[str]:
    m = entry.member
    status = m.status.label if m.status else ""
    if m.archived:
        status = _("{status} (đã lưu trữ)").format(status=status) if status else _("(đã lưu trữ)")
    return [m.full_name, format_date(m.birth_date), m.sex.label if m.sex else "", format_date(m.admission_date),
            format_date(m.official_date), m.card_number, status, m.party_post]


def _sort_keys(entry: RosterEntry) -> list[str]:
    m = entry.member
    iso = [d.isoformat() if d else "" for d in (m.birth_date, m.admission_date, m.official_date)]
    status = m.status.label if m.status else ""
    return [entry.sort_key, iso[0], m.sex.label if m.sex else "", iso[1], iso[2], m.card_number, status,
            names.fold(m.party_post)]


class RosterModel(QAbstractTableModel):
    """One row per member; every cell is computed once per reload so views and filters only read lists."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[RosterEntry] = []
        self._display: list[list[str]] = []
        self._keys: list[list[str]] = []
        self.search_texts: list[str] = []
        self.statuses: list[MemberStatus | None] = []
        self.archived: list[bool] = []
        self._row_by_id: dict[int, int] = {}
        # Bumped on every reset or reorder, so the filter knows its cached answers are stale.
        self.generation = 0
        self._sort = (COL_NAME, Qt.SortOrder.AscendingOrder)

    def reload(self, include_archived: bool = False) -> None:
        self.set_entries(member_service.list_members(include_archived=include_archived))

    def set_entries(self, entries: list[RosterEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self._display = [_display(e) for e in self.entries]
        self._keys = [_sort_keys(e) for e in self.entries]
        self._permute(self._order(*self._sort))
        self.endResetModel()

    def _order(self, column: int, order: Qt.SortOrder) -> list[int]:
        keys = self._keys
        # Stable sorts: ties on a date or a status keep the Vietnamese name order underneath.
        rows = sorted(range(len(keys)), key=lambda r: keys[r][COL_NAME])
        if column != COL_NAME:
            rows.sort(key=lambda r: keys[r][column])
        if order == Qt.SortOrder.DescendingOrder:
            rows.reverse()
        return rows

    def _permute(self, rows: list[int]) -> None:
        self.entries = [self.entries[r] for r in rows]
        self._display = [self._display[r] for r in rows]
        self._keys = [self._keys[r] for r in rows]
        # Each with the leading space that lets a typed word match only at a word's beginning.
        self.search_texts = [names.search_haystack(e.search_text) for e in self.entries]
        self.statuses = [e.member.status for e in self.entries]
        self.archived = [e.member.archived for e in self.entries]
        self._row_by_id = {e.member.id: row for row, e in enumerate(self.entries)}
        self.generation += 1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(_HEADERS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        rows = self._order(column, order)
        new_row = {old: new for new, old in enumerate(rows)}
        self._permute(rows)
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(new_row[p.row()], p.column()) for p in persistent])
        self.layoutChanged.emit()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(_HEADERS):
                return _HEADERS[section]()
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            # The tooltip shows a long name or status in full where the column cuts it.
            return self._display[row][column]
        if role == SortRole:
            return self._keys[row][column]
        if role == RowRole:
            return self.entries[row].member
        if role == SearchRole:
            return self.search_texts[row]
        if self.archived[row]:
            if role == Qt.ItemDataRole.ForegroundRole:
                return _ARCHIVED_COLOUR
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
        return None

    def row_of(self, member_id: int) -> int:
        return self._row_by_id.get(member_id, -1)


class RosterFilterProxy(QSortFilterProxyModel):
    """Search-as-you-type (diacritics optional) and a status filter over a RosterModel.

    Sorting is handed to the source model, which orders its precomputed SortRole keys with one
    Python sort; Qt's own proxy sort would call data() a hundred thousand times on a large roster.
    """

    def __init__(self, model: RosterModel, parent=None):
        super().__init__(parent)
        self._model = model
        self._tokens: list[str] = []
        self._statuses: frozenset[MemberStatus] | None = None
        self._accepted: list[bool] = []
        self._generation = -1
        self.setSortRole(SortRole)
        self.setSourceModel(model)

    def set_query(self, query: str) -> None:
        # The query is folded once per keystroke; rows were folded once per reload (search_text).
        tokens = names.search_tokens(query)
        if tokens != self._tokens:
            self._change_filter(lambda: setattr(self, "_tokens", tokens))

    def set_statuses(self, statuses: set[MemberStatus] | frozenset[MemberStatus] | None) -> None:
        self._change_filter(lambda: setattr(self, "_statuses", None if statuses is None else frozenset(statuses)))

    def _change_filter(self, change) -> None:
        self.beginFilterChange()
        change()
        self._generation = -1
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _recompute(self) -> None:
        # Same rule as names.matches (every typed word begins a word), with the query folded only once;
        # one pass per token keeps the inner loop a plain list comprehension.
        texts = self._model.search_texts
        accepted = [True] * len(texts)
        for token in self._tokens:
            accepted = [ok and token in text for ok, text in zip(accepted, texts)]
        if self._statuses is not None:
            statuses = self._statuses
            accepted = [ok and status in statuses for ok, status in zip(accepted, self._model.statuses)]
        self._accepted = accepted
        self._generation = self._model.generation

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._generation != self._model.generation:
            self._recompute()
        return self._accepted[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        # Row headers count the rows as shown (the list's STT), whatever the filter and the order.
        # Columns are never filtered, so their titles come straight from the model, without a
        # round trip through Qt for every role a header asks about.
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        return self._model.headerData(section, orientation, role)

    def member_at(self, row: int) -> Member | None:
        index = self.index(row, 0)
        return self.data(index, RowRole) if index.isValid() else None

    def row_of(self, member_id: int) -> int:
        source_row = self._model.row_of(member_id)
        if source_row < 0:
            return -1
        return self.mapFromSource(self._model.index(source_row, 0)).row()
