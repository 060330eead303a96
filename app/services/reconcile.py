"""Đối chiếu with the superior's member list: read their file, compare it, and take the values the secretary chooses."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from app.domain import names
from app.domain.dates import DateParseError, format_date, parse_date
from app.domain.members import Member
from app.domain.reconcile import TAKEABLE_FIELDS, Incoming, Kind, Report, reconcile
from app.i18n import _
from app.services import changes, roster_io
from app.services import members as member_service
from app.services.cell import get_cell
from app.services.errors import ServiceError
from app.storage.models import database

HEADER_SEARCH_ROWS = 40

# Header spellings of the superior's lists, folded as roster_io folds them ("Số CCCD/CMND" -> "so cccd cmnd").
_ALIASES = {
    "stt": ("stt", "tt", "so tt", "so thu tu"),
    "full_name": ("ho va ten", "ho ten", "ho va ten dang vien", "ho ten dang vien", "ten dang vien", "dang vien"),
    "card_number": ("so the", "so the dv", "so the dang vien", "so the dang", "the dang vien", "ma the"),
    "citizen_id": ("so cccd", "cccd", "can cuoc", "so can cuoc", "can cuoc cong dan", "so can cuoc cong dan",
                   "so dinh danh", "so dinh danh ca nhan", "cmnd", "so cmnd", "cccd cmnd", "so cccd cmnd"),
    "birth_date": ("ngay sinh", "ngay thang nam sinh", "sinh ngay", "nam sinh"),
    "admission_date": ("ngay ket nap", "ngay vao dang", "ngay ket nap dang", "ngay quyet dinh ket nap"),
    "cell_name": ("chi bo", "ten chi bo", "chi bo sinh hoat", "sinh hoat tai chi bo", "to chuc dang",
                  "to chuc co so dang", "don vi"),
    "status": ("trang thai", "tinh trang", "tinh trang dang vien", "trang thai dang vien", "loai dang vien"),
}
_TABLE = {alias: fld for fld, aliases in _ALIASES.items() for alias in aliases}
# The longest alias first, so "so the dang vien cu" is read as the card, not as "so the" of something shorter.
_PREFIXES = sorted(_TABLE, key=len, reverse=True)
_KEY_COLUMNS = ("citizen_id", "card_number", "birth_date")
_TEXT_COLUMNS = ("full_name", "card_number", "citizen_id", "cell_name", "status")
_DATE_COLUMNS = ("birth_date", "admission_date")
# Total and signature lines under their table (diacritics kept, so the name "Công" is not "Cộng").
_END_LINE = re.compile(r"^(?:tổng số|tổng cộng|cộng)\b|^(?:người lập|t/m\b|tm\b|bí thư$|xác nhận)")


@dataclass(frozen=True)
class Choice:
    """Take their value for one field of one matched member."""

    member_id: int
    field: str


def _column_of(header: object) -> str | None:
    key = roster_io._header_key(header)
    if not key:
        return None
    if key in _TABLE:
        return _TABLE[key]
    # Loosely: a known heading followed by more words ("Ngày sinh (dd/mm/yyyy)", "Số CCCD hoặc CMND").
    return next((_TABLE[p] for p in _PREFIXES if key.startswith(p + " ")), None)


def _find_header(rows: list[tuple[int, list]]) -> tuple[int, dict[int, str], dict[str, str]]:
    """(index of the header row, column -> field, field -> heading as written)."""
    for index, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns, headings = {}, {}
        for col, value in enumerate(values):
            fld = _column_of(value)
            if fld and fld not in headings:
                columns[col] = fld
                headings[fld] = names.normalize_text(str(value))
        if "full_name" in headings and any(f in headings for f in _KEY_COLUMNS):
            return index, columns, headings
    raise ServiceError(_("Không tìm thấy dòng tiêu đề có cột «Họ và tên» và một cột «Số CCCD», «Số thẻ» hoặc "
                         "«Ngày sinh» trong {rows} dòng đầu.").format(rows=HEADER_SEARCH_ROWS))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    return names.normalize_text(str(value))


def _is_end(cells: dict) -> bool:
    if any(_text(cells.get(f)) for f in ("citizen_id", "card_number", *_DATE_COLUMNS)):
        return False
    first = next((_text(v) for v in cells.values() if _text(v)), "")
    return bool(_END_LINE.match(first.lower()))


def _citizen_id(raw: object, where: str, warnings: list[str]) -> str:
    text = _text(raw)
    digits = re.sub(r"\D+", "", text)
    if text and not digits:
        warnings.append(_("{where}: «{value}» không phải số CCCD; bỏ qua ô này.").format(where=where, value=text))
        return ""
    if isinstance(raw, (int, float)) and len(digits) in (10, 11):
        # Excel kept a 12-digit CCCD as a number and dropped its leading zeros (the province code 001…).
        digits = digits.zfill(12)
    elif re.search(r"[^\d\s.\-]", text):
        warnings.append(_("{where}: «{value}» có chữ lẫn trong số CCCD; chỉ so các chữ số.").format(
            where=where, value=text))
    return digits


def _convert_columns(body: list[tuple[int, dict]], headings: dict[str, str], warnings: list[str]) -> None:
    """Text typed in an old Vietnamese encoding (TCVN3, VNI) turned to Unicode, column by column, and said."""
    try:
        from app.domain.legacy_text import convert_column
    except ImportError:
        return
    for fld in _TEXT_COLUMNS:
        if fld not in headings:
            continue
        values = [_text(cells.get(fld)) for _number, cells in body]
        try:
            result = convert_column(values)
        except Exception:  # noqa: BLE001 - a conversion that fails leaves the text as it was, said once
            warnings.append(_("Cột «{column}»: không chuyển được bảng mã, giữ nguyên chữ.").format(
                column=headings[fld]))
            continue
        changed = result.changed
        count = changed if isinstance(changed, int) and not isinstance(changed, bool) else (
            len(changed) if hasattr(changed, "__len__") else int(bool(changed)))
        if not changed or not count:
            continue
        for (_number, cells), value in zip(body, result.values):
            cells[fld] = value
        warnings.append(_("Cột «{column}»: {count} ô được chuyển từ bảng mã {encoding} sang Unicode.").format(
            column=headings[fld], count=count, encoding=result.encoding))


def read_list(path: Path | str) -> tuple[list[Incoming], list[str]]:
    """Their rows, and warnings naming the row and column of every cell that could not be read."""
    path = Path(path)
    rows = roster_io.read_rows(path)
    header_index, columns, headings = _find_header(rows)
    body: list[tuple[int, dict]] = []
    for number, values in rows[header_index + 1:]:
        cells = {f: values[c] if c < len(values) else None for c, f in columns.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        if _is_end(cells):
            break
        body.append((number, cells))
    warnings: list[str] = []
    _convert_columns(body, headings, warnings)
    incoming = []
    for number, cells in body:
        item = _incoming(number, cells, headings, warnings)
        if item is not None:
            incoming.append(item)
    return incoming, warnings


def _incoming(number: int, cells: dict, headings: dict[str, str], warnings: list[str]) -> Incoming | None:
    def where(fld: str) -> str:
        return _("Dòng {row}, cột «{column}»").format(row=number, column=headings[fld])

    dates = {}
    for fld in _DATE_COLUMNS:
        raw = cells.get(fld)
        try:
            dates[fld] = parse_date(raw.strip() if isinstance(raw, str) else raw)
        except (DateParseError, OverflowError, TypeError):
            warnings.append(_("{where}: «{value}» không phải ngày hợp lệ (dd/mm/yyyy); bỏ qua ô này.").format(
                where=where(fld), value=_text(raw)))
            dates[fld] = None
    citizen = _citizen_id(cells.get("citizen_id"), where("citizen_id"), warnings) if "citizen_id" in cells else ""
    item = Incoming(
        row=number, full_name=names.normalize_name(_text(cells.get("full_name"))),
        card_number="".join(_text(cells.get("card_number")).split()), citizen_id=citizen,
        birth_date=dates.get("birth_date"), admission_date=dates.get("admission_date"),
        cell_name=_text(cells.get("cell_name")), status_text=_text(cells.get("status")))
    if not (item.full_name or item.card_number or item.citizen_id):
        warnings.append(_("Dòng {row}: không có họ tên, số thẻ hay số CCCD; bỏ qua dòng này.").format(row=number))
        return None
    return item


def compare(path: Path | str) -> Report:
    """The differences between their file and the roster; nothing is written."""
    path = Path(path)
    theirs, warnings = read_list(path)
    cell = get_cell()
    ours = [e.member for e in member_service.list_members(statuses=None)]
    report = reconcile(ours, theirs, cell.name if cell else "")
    report.warnings[:0] = warnings
    report.source = str(path)
    return report


def _chosen(report: Report, choices: list[Choice]) -> dict[int, dict[str, object]]:
    """member id -> {field: their value}, every choice checked against the report."""
    wanted: dict[int, dict[str, object]] = {}
    for choice in choices:
        if choice.field not in TAKEABLE_FIELDS:
            raise ServiceError(_("Không lấy được «{field}» từ danh sách cấp trên; chỉ lấy được: {fields}.").format(
                field=choice.field, fields=", ".join(TAKEABLE_FIELDS)))
        difference = report.difference_for(choice.member_id)
        found = difference.field(choice.field) if difference else None
        if found is None:
            raise ServiceError(_("Đồng chí mã số {id} không khác cấp trên ở «{field}»; không có gì để lấy.").format(
                id=choice.member_id, field=choice.field))
        wanted.setdefault(choice.member_id, {})[choice.field] = found
    return wanted


def _apply(report: Report, choices: list[Choice], today: dt.date | None) -> list[Member]:
    wanted = _chosen(report, choices)
    reason = _("Đối chiếu với danh sách của cấp trên")
    saved = []
    with database.atomic():
        for member_id, fields in wanted.items():
            member = member_service.get_member(member_id)
            for name, difference in fields.items():
                if getattr(member, name) != difference.ours:
                    raise ServiceError(_("Hồ sơ đồng chí {name} đã đổi «{field}» sau khi đối chiếu; hãy đối chiếu "
                                         "lại.").format(name=member.full_name, field=difference.label))
                setattr(member, name, difference.theirs)
            saved.append(member_service.update_member(member_id, member, reason, today).member)
    return saved


def apply_choices(report: Report, choices: list[Choice], today: dt.date | None = None) -> changes.Outcome:
    """Take their value for each chosen (member, field), all in one transaction or none; the Outcome's value
    is the members as saved, its changes the members touched."""
    if not choices:
        raise ServiceError(_("Chưa chọn ô nào để lấy giá trị của cấp trên."))
    return changes.perform(_apply, report, list(choices), today)


def takeable(report: Report) -> list[Choice]:
    """Every (member, field) the secretary could take from their list."""
    return [Choice(d.member.id, f.field) for d in report.of_kind(Kind.DIFFERENT) for f in d.fields if f.takeable]
