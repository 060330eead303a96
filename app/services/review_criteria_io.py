"""The Đảng ủy's criteria sheet (khung tiêu chí) read from XLSX or CSV, kept as JSON with the year's season.

The file has one criterion per row: «Nhóm» (chung / nhiệm vụ, or I / II, or the group's heading), «Tiêu chí»
and «Điểm»; a row whose first cell is «Tên khung» (or «Tên») names the sheet. The rows read through the
roster's reader, so a hostile file meets the same bounds (app/services/spreadsheets.py).
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from app.domain import names
from app.domain.issues import Issue
from app.domain.review import parse_score, plain_text, shown
from app.domain.review_criteria import CriteriaGroup, CriteriaItem, CriteriaSheet, GroupKind, validate_sheet
from app.i18n import _
from app.services.errors import ServiceError, ValidationFailed

MAX_ITEMS = 60
MAX_TEXT = 500  # one criterion's title, or the sheet's name
_GROUP_WORDS = {
    GroupKind.GENERAL: ("chung", "i", "1", "nhom tieu chi chung", "nhom i"),
    GroupKind.TASKS: ("nhiem vu", "nhiem-vu", "ii", "2", "nhom ii", "ket qua thuc hien nhiem vu",
                      "nhom tieu chi ve ket qua thuc hien nhiem vu"),
}
_HEADERS = {"nhom": "group", "nhom tieu chi": "group", "tieu chi": "title", "noi dung": "title",
            "noi dung tieu chi": "title", "diem": "points", "diem toi da": "points", "so diem": "points"}
_NAME_WORDS = ("ten khung", "ten")


def _folded(value: object) -> str:
    return " ".join(names.fold(str(value if value is not None else "")).replace("(30 diem)", "")
                    .replace("(70 diem)", "").split()).strip(" .:")


def _group_of(value: object) -> GroupKind | None:
    text = _folded(value)
    for kind, words in _GROUP_WORDS.items():
        if text in words or any(text.startswith(w + " ") for w in words if len(w) > 3):
            return kind
    return None


class _SheetReader:
    """Reads the rows one by one: the name row, the header row, then one criterion per row."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.columns: dict[str, int] | None = None
        self.name = ""
        self.items: dict[GroupKind, list[CriteriaItem]] = {GroupKind.GENERAL: [], GroupKind.TASKS: []}
        self.problems: list[Issue] = []
        self.rows = 0
        self.last_group: GroupKind | None = None  # a merged «Nhóm» cell holds its value in its first row only

    def take(self, number: int, cells: list) -> None:
        if not any(v not in (None, "") for v in cells):
            return
        if _folded(cells[0]) in _NAME_WORDS and len(cells) > 1:
            self.name = plain_text(str(cells[1] or ""))[:MAX_TEXT]
        elif self.columns is None:
            found = {_HEADERS[_folded(v)]: i for i, v in enumerate(cells) if _folded(v) in _HEADERS}
            if {"group", "title", "points"} <= set(found):
                self.columns = found
        else:
            self.rows += 1
            if self.rows > MAX_ITEMS:
                raise ServiceError(_("Tệp {file} có hơn {n} tiêu chí; không phải một khung tiêu chí.").format(
                    file=self.file_name, n=MAX_ITEMS))
            self._item(number, cells)

    def _cell(self, cells: list, key: str) -> object:
        index = self.columns[key]
        return cells[index] if index < len(cells) else None

    def _item(self, number: int, cells: list) -> None:
        where = _("Dòng {row}").format(row=number)
        group, points = self._cell(cells, "group"), self._cell(cells, "points")
        blank_group = group is None or str(group).strip() == ""
        kind = self.last_group if blank_group else _group_of(group)
        self.last_group = kind
        title = plain_text(str(self._cell(cells, "title") or ""))
        score = parse_score(points)
        if kind is None:
            self._problem("review.criteria_group", _("{where}: chưa ghi nhóm; ghi «chung» hoặc «nhiệm vụ».").format(
                where=where) if blank_group else _("{where}: nhóm «{value}» không rõ; ghi «chung» hoặc «nhiệm "
                                                   "vụ».").format(where=where, value=shown(group)))
        if score is None:
            self._problem("review.criteria_points", _(
                "{where}: ô điểm trống (nếu ô có công thức mà Excel chưa tính, hãy mở tệp trong Excel, lưu lại rồi "
                "nhập lại).")
                .format(where=where) if points is None else _("{where}: điểm «{value}» không phải một số.").format(
                where=where, value=shown(points)))
        if not title:
            self._problem("review.criteria_item", _("{where}: chưa có nội dung tiêu chí.").format(where=where))
        elif len(title) > MAX_TEXT:
            self._problem("review.criteria_item", _("{where}: nội dung dài quá {n} ký tự.").format(
                where=where, n=MAX_TEXT))
        if kind is not None and score is not None and title and len(title) <= MAX_TEXT:
            self.items[kind].append(CriteriaItem(title, score))

    def _problem(self, key: str, message: str) -> None:
        self.problems.append(Issue(key, message))

    def sheet(self) -> CriteriaSheet:
        if self.columns is None:
            raise ServiceError(_("Tệp {file} không có dòng tiêu đề «Nhóm», «Tiêu chí», «Điểm»; không phải một "
                                 "khung tiêu chí.").format(file=self.file_name))
        if self.problems:
            raise ValidationFailed(self.problems)
        sheet = CriteriaSheet(self.name or _("Khung tiêu chí nhập từ tệp {file}").format(file=self.file_name),
                              tuple(CriteriaGroup(kind, tuple(found)) for kind, found in self.items.items() if found))
        report = validate_sheet(sheet)
        if report.errors:
            raise ValidationFailed(report.errors)
        return sheet


def read_sheet(path: Path | str) -> CriteriaSheet:
    """The criteria sheet in a file, checked: every fault is named by its row; nothing is kept on a fault."""
    from app.services import roster_io

    path = Path(path)
    reader = _SheetReader(path.name)
    for number, values in roster_io.read_rows(path):
        reader.take(number, list(values))
    return reader.sheet()


def checked_json(sheet: CriteriaSheet) -> str:
    """The sheet as stored with the season, after validate_sheet; anything else than a sheet is refused."""
    if not isinstance(sheet, CriteriaSheet):
        raise ValidationFailed([Issue("review.criteria_group", _("không phải một khung tiêu chí."))])
    report = validate_sheet(sheet)
    if report.errors:
        raise ValidationFailed(report.errors)
    return json.dumps({"name": sheet.name, "groups": [
        {"kind": g.kind.value, "items": [{"title": i.title, "points": f"{i.points:f}"} for i in g.items]}
        for g in sheet.groups]}, ensure_ascii=False)


def sheet_from_json(text: str) -> CriteriaSheet:
    data = json.loads(text)
    return CriteriaSheet(data["name"], tuple(
        CriteriaGroup(GroupKind(g["kind"]), tuple(CriteriaItem(i["title"], Decimal(i["points"])) for i in g["items"]))
        for g in data["groups"]))


def import_sheet(year: int, path: Path | str):
    """chibo review criteria import FILE --year Y: read, check, store for the year."""
    from app.services import review

    return review.set_criteria(year, read_sheet(path))
