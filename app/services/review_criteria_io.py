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
from app.domain.review import parse_score
from app.domain.review_criteria import CriteriaGroup, CriteriaItem, CriteriaSheet, GroupKind, validate_sheet
from app.i18n import _
from app.services.errors import ServiceError, ValidationFailed

MAX_ITEMS = 60
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


def read_sheet(path: Path | str) -> CriteriaSheet:
    """The criteria sheet in a file, checked: every fault is named by its row; nothing is kept on a fault."""
    from app.services import roster_io

    path = Path(path)
    rows = roster_io.read_rows(path)
    columns: dict[str, int] | None = None
    sheet_name = ""
    items: dict[GroupKind, list[CriteriaItem]] = {GroupKind.GENERAL: [], GroupKind.TASKS: []}
    problems: list[Issue] = []
    for number, values in rows:
        cells = [v for v in values]
        if not any(v not in (None, "") for v in cells):
            continue
        if columns is None:
            if _folded(cells[0]) in _NAME_WORDS and len(cells) > 1:
                sheet_name = names.normalize_text(str(cells[1] or "")).strip()
                continue
            found = {_HEADERS[_folded(v)]: i for i, v in enumerate(cells) if _folded(v) in _HEADERS}
            if {"group", "title", "points"} <= set(found):
                columns = found
            continue
        if _folded(cells[0]) in _NAME_WORDS and len(cells) > 1:
            sheet_name = names.normalize_text(str(cells[1] or "")).strip()
            continue

        def cell(key: str) -> object:
            index = columns[key]
            return cells[index] if index < len(cells) else None

        where = _("Dòng {row}").format(row=number)
        kind = _group_of(cell("group"))
        title = names.normalize_text(str(cell("title") or "")).strip()
        points = parse_score(cell("points"))
        if kind is None:
            problems.append(Issue("review.criteria_group", _("{where}: nhóm «{value}» không rõ; ghi «chung» hoặc "
                                                              "«nhiệm vụ».").format(where=where, value=cell("group"))))
        if points is None:
            problems.append(Issue("review.criteria_points", _("{where}: điểm «{value}» không phải một số.").format(
                where=where, value=cell("points"))))
        if not title:
            problems.append(Issue("review.criteria_item", _("{where}: chưa có nội dung tiêu chí.").format(where=where)))
        if kind is not None and points is not None and title:
            items[kind].append(CriteriaItem(title[:500], points))
    if columns is None:
        raise ServiceError(_("Tệp {file} không có dòng tiêu đề «Nhóm», «Tiêu chí», «Điểm»; không phải một khung "
                             "tiêu chí.").format(file=path.name))
    if sum(len(v) for v in items.values()) > MAX_ITEMS:
        raise ServiceError(_("Tệp {file} có hơn {n} tiêu chí; không phải một khung tiêu chí.").format(
            file=path.name, n=MAX_ITEMS))
    if problems:
        raise ValidationFailed(problems)
    sheet = CriteriaSheet(sheet_name or _("Khung tiêu chí nhập từ tệp {file}").format(file=path.name),
                          tuple(CriteriaGroup(kind, tuple(found)) for kind, found in items.items() if found))
    report = validate_sheet(sheet)
    if report.errors:
        raise ValidationFailed(report.errors)
    return sheet


def checked_json(sheet: CriteriaSheet) -> str:
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
