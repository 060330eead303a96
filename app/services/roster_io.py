"""Importing the roster from the Excel/CSV lists secretaries keep, and exporting it to Excel."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.domain import legacy_text, names, stat_codes
from app.domain.dates import DateParseError, format_date, parse_date
from app.domain.labels import field_label
from app.domain.members import (
    ACTIVE_STATUSES,
    DATE_FIELDS,
    EDITABLE_FIELDS,
    Member,
    MemberStatus,
    Sex,
    StatusChange,
    initial_history,
    validate_member,
)
from app.i18n import _
from app.services import members as member_service
from app.services import safety, spreadsheets
from app.services.cell import get_cell
from app.services.errors import ServiceError
from app.services.spreadsheets import write_cell
from app.storage import audit
from app.storage.models import database

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 40

# Header spellings met in real lists, folded (no case, no diacritics, no punctuation).
# The program's own export headers (_column) are added below, so an export always reads back.
_ALIASES = {
    "stt": ("stt", "tt", "so tt", "so thu tu"),
    "full_name": ("ho va ten", "ho ten", "ho va ten dang vien", "ho ten dang vien", "ten dang vien"),
    "sex": ("gioi tinh", "gioi", "nam nu", "phai"),
    "birth_date": ("ngay sinh", "ngay thang nam sinh", "sinh ngay", "ngay sinh dd mm yyyy"),
    "ethnicity": ("dan toc",),
    "religion": ("ton giao",),
    "home_town": ("que quan", "nguyen quan"),
    "residence": ("noi cu tru", "noi o hien nay", "cho o hien nay", "dia chi", "noi o", "dia chi cu tru"),
    "occupation": ("nghe nghiep", "nghe nghiep hien nay", "nghe"),
    "education": ("trinh do hoc van", "hoc van", "van hoa", "trinh do van hoa", "giao duc pho thong"),
    "professional_level": ("chuyen mon", "trinh do chuyen mon", "chuyen mon nghiep vu"),
    "political_theory": ("ly luan chinh tri", "llct", "trinh do ly luan chinh tri", "trinh do llct"),
    "admission_date": ("ngay vao dang", "ngay ket nap", "ngay quyet dinh ket nap", "ngay ket nap dang"),
    "ceremony_date": ("ngay le ket nap", "ngay to chuc le ket nap"),
    "official_date": ("ngay chinh thuc", "ngay cong nhan chinh thuc", "ngay vao dang chinh thuc"),
    "card_number": ("so the", "so the dv", "so the dang vien", "so the dang", "the dang vien", "so the dang vien dv"),
    "member_code": ("so ly lich", "ma dang vien", "ma dv", "so ly lich dang vien"),
    "citizen_id": ("cccd", "so cccd", "can cuoc", "so can cuoc", "so dinh danh", "cmnd", "so cmnd", "cccd cmnd"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "dien thoai lien he"),
    "party_post": ("chuc vu dang", "chuc vu", "chuc vu trong chi bo", "chuc vu dang trong chi bo"),
    "notes": ("ghi chu",),
    "status": ("tinh trang", "trang thai", "tinh trang dang vien"),
    "occupation_group": ("nhom nghe", "nhom nghe nghiep", "nhom nghe thong ke", "doi tuong nghe nghiep"),
    "youth_union": ("doan vien", "doan vien tncs", "doan vien thanh nien"),
}
# Headings for the fields the label list may not name yet (the export writes them, the import reads them back).
_DEFAULT_HEADINGS = {
    "occupation_group": lambda: _("Nhóm nghề (thống kê)"),
    "youth_union": lambda: _("Đoàn viên"),
}
# Total and signature lines under the table, folded; a name such as "Công Nguyễn" must not match.
# Matched with diacritics kept, so "Công", "Tống" or "Bì Thu" (names) never read as "Cộng", "Tổng", "Bí thư".
_END_LINE = re.compile(
    r"^(?:(?:tổng số|tổng cộng|cộng)(?: \d.*| đồng chí.*| đảng viên.*)?|người lập.*|t/m( .*)?|tm .*|bí thư)$")
MAX_COLUMNS = 256


def _header_key(text: object) -> str:
    """A header or word with case, diacritics and punctuation folded away: "Số thẻ ĐV:" -> "so the dv"."""
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", names.fold(str(text or ""))).split())


def _column(fld: str) -> str:
    """A member field's column heading: its label, the same on the export and on the screen."""
    default = _DEFAULT_HEADINGS.get(fld)
    return field_label(f"member.{fld}", default() if default else None)


def _alias_table() -> dict[str, str]:
    table = {alias: fld for fld, aliases in _ALIASES.items() for alias in aliases}
    for fld in (*EDITABLE_FIELDS, "status"):
        table.setdefault(_header_key(_column(fld)), fld)
    return table


@dataclass
class ImportRow:
    """A row that will be written: a new member, or changes to a stored one."""

    row: int
    member: Member
    existing_id: int | None = None
    changes: dict[str, list] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    status: MemberStatus | None = None


@dataclass
class Rejected:
    row: int
    reason: str


@dataclass
class ImportPreview:
    """What an import would do; nothing is written until apply_import, and only if nothing is rejected."""

    source: Path
    added: list[ImportRow] = field(default_factory=list)
    updated: list[ImportRow] = field(default_factory=list)
    unchanged: list[ImportRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    # (the column's heading as in the file, the legacy encoding's label, cells changed) per converted column
    conversions: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        """The counts, then a sentence per converted column."""
        return " ".join([self.counts(), *self.conversion_lines()])

    def counts(self) -> str:
        """How many rows are added, updated, unchanged and rejected."""
        text = _("{file}: thêm mới {added}, cập nhật {updated}, không đổi {unchanged}, bị từ chối {rejected}.")
        return text.format(file=self.source.name, added=len(self.added), updated=len(self.updated),
                           unchanged=len(self.unchanged), rejected=len(self.rejected))

    def conversion_lines(self) -> list[str]:
        """One sentence per column that was typed in a legacy encoding and read as Unicode."""
        return [_("Cột «{column}» được chuyển từ mã {encoding} sang Unicode ({count} ô).").format(
            column=column, encoding=encoding, count=count) for column, encoding, count in self.conversions]

    def as_dict(self) -> dict:
        def row(r: ImportRow) -> dict:
            return {"row": r.row, "full_name": r.member.full_name, "member_id": r.existing_id,
                    "changes": r.changes, "warnings": r.warnings}
        return {
            "file": str(self.source), "ok": self.ok,
            "added": [row(r) for r in self.added], "updated": [row(r) for r in self.updated],
            "unchanged": [row(r) for r in self.unchanged],
            "rejected": [{"row": r.row, "reason": r.reason} for r in self.rejected],
            "columns": self.columns, "ignored_columns": self.ignored_columns,
            "conversions": [{"column": c, "encoding": e, "cells": n} for c, e, n in self.conversions],
        }


# --- reading files -------------------------------------------------------------------------


def read_rows(path: Path) -> list[tuple[int, list]]:
    """(row number as the user sees it, cell values) for every row of the first sheet or the CSV."""
    path = Path(path)
    if not path.is_file():
        raise ServiceError(_("Không tìm thấy tệp {file}.").format(file=path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ServiceError(_("Tệp {file} quá lớn (hơn 50 MB), không phải một danh sách đảng viên.").format(
            file=path.name))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix == ".xls":
        raise ServiceError(_("Tệp .xls (Excel cũ) chưa đọc được; hãy mở trong Excel và lưu lại thành .xlsx."))
    raise ServiceError(_("Chỉ nhập được tệp Excel (.xlsx) hoặc CSV; tệp {file} không phải loại đó.").format(
        file=path.name))


def _read_xlsx(path: Path) -> list[tuple[int, list]]:
    import openpyxl  # loaded only when importing; keeps the command line quick to start

    try:
        source = path.open("rb")  # one open file: the bytes that pass the bounds are the bytes parsed
    except OSError as exc:
        raise spreadsheets.unreadable(path.name, type(exc).__name__) from exc
    with source:
        spreadsheets.check_workbook(source, path.name)
        try:
            source.seek(0)
            # data_only: a formula cell gives the value Excel last showed, or None; the formula is never
            # read, so it is never kept or run (openpyxl computes nothing). Reading the formula's text instead
            # would also let a file make openpyxl re-translate one long shared formula for every cell.
            # A text cell beginning with "=" is a plain str either way.
            book = openpyxl.load_workbook(source, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
            raise spreadsheets.unreadable(path.name, type(exc).__name__) from exc
        try:
            return _sheet_rows(book.worksheets[0], path.name)
        except ServiceError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ServiceError(_("Không đọc được tệp Excel {file} ({error}).").format(
                file=path.name, error=type(exc).__name__)) from exc
        finally:
            book.close()


def _sheet_rows(sheet, file_name: str) -> list[tuple[int, list]]:
    rows = []
    # The <dimension> a sheet claims is not believed: openpyxl's read-only reader stops at the last row it
    # claims (an edited A1:F2 over five members read one, silently) and pads every row to the width it
    # claims. Forgotten, every row in the file is read, and max_col cuts each to a sane width (a claim of
    # 16,384 columns once made a 7 KB file cost 132 MB); the empty tail of each row is dropped below.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        if number > MAX_ROWS:
            raise ServiceError(_("Tệp {file} có hơn {max} dòng, không đọc.").format(file=file_name, max=MAX_ROWS))
        if values.count(None) == len(values):  # a row missing from the file, or empty: no cell to look at
            rows.append((number, []))
            continue
        values = [spreadsheets.unquote_cell_text(v) for v in values]
        while values and values[-1] is None:
            values.pop()
        rows.append((number, values))
    return rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # A list typed with TCVN3 or VNI fonts and saved as CSV holds Windows-1252 bytes: read that way, its
    # columns are converted below like an Excel file's. Otherwise the bytes are Vietnamese Windows (1258).
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None:
        cells = [c for c in re.split(r"[,;\t\r\n]", western[:LEGACY_SAMPLE_CHARS]) if not c.isascii()]
        if legacy_text.detect(cells) is not None:
            return western
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        return data.decode("latin-1")


LEGACY_SAMPLE_CHARS = 200_000


def _read_csv(path: Path) -> list[tuple[int, list]]:
    text = _decode(path.read_bytes())
    if "\x00" in text:
        raise ServiceError(_("Tệp {file} không phải tệp văn bản CSV.").format(file=path.name))
    # Title lines above the table fool csv.Sniffer; the widest line tells the delimiter instead.
    head = text.splitlines()[:50]
    delimiter = max(",;\t", key=lambda d: max((line.count(d) for line in head), default=0))
    rows = []
    # newline=None reads old Mac (\r) and Windows (\r\n) line ends alike.
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise ServiceError(_("Tệp {file} có hơn {max} dòng, không đọc.").format(file=path.name, max=MAX_ROWS))
            rows.append((number, [spreadsheets.unquote_cell_text(v) for v in values]))
    except csv.Error as exc:
        raise ServiceError(_("Tệp {file}, dòng {row}: không đọc được ({error}).").format(
            file=path.name, row=reader.line_num, error=exc)) from exc
    return rows


# --- understanding the table ----------------------------------------------------------------


def _header_field(value: object, aliases: dict[str, str]) -> tuple[str | None, str]:
    """The field a heading names and the heading as the user reads it; a heading typed in TCVN3 or VNI
    («Hä vµ tªn», «Hoï vaø teân») is read through the tables when it names nothing as it is."""
    text = names.normalize_text(str(value)) if value is not None else ""
    if fld := aliases.get(_header_key(value)):
        return fld, text
    if isinstance(value, str) and not value.isascii():
        for encoding in legacy_text.Encoding:
            converted = names.normalize_text(legacy_text.convert(value, encoding))
            if fld := aliases.get(_header_key(converted)):
                return fld, converted
    return None, text


def _find_header(rows: list[tuple[int, list]]) -> tuple[int, dict[int, str], list[str], dict[int, str]]:
    """The header row's index, its columns' fields, the headings not understood, and each column's heading."""
    aliases = _alias_table()
    for index, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns, ignored, headings = {}, [], {}
        for col, value in enumerate(values):
            fld, heading = _header_field(value, aliases)
            if fld is None and not _header_key(value):
                continue
            if fld and fld not in columns.values():
                columns[col] = fld
                headings[col] = heading
            else:
                ignored.append(str(value).strip())
        if "full_name" in columns.values() and len(columns) >= 2:
            return index, columns, ignored, headings
    raise ServiceError(_("Không tìm thấy dòng tiêu đề có cột «Họ và tên» (và ít nhất một cột khác như «Ngày sinh») "
                         "trong {rows} dòng đầu.").format(rows=HEADER_SEARCH_ROWS))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return format_date(value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value.date())
    return names.normalize_text(str(value))


def _is_blank(values: list) -> bool:
    return all(_text(v) == "" for v in values)


def _is_end_marker(values: list, cells: dict) -> bool:
    """A total or signature line ("Tổng số: 25 đồng chí", "T/M CHI BỘ"): no number, no date, no sex word (a
    member named "Tổng Cộng" has one), a known start."""
    if re.fullmatch(r"\d+", _text(cells.get("stt"))) or _has_member_data(cells):
        return False
    if any(isinstance(cells.get(f), (dt.date, int, float)) or re.search(r"\d{4}", _text(cells.get(f)))
           for f in DATE_FIELDS if f in cells):
        return False
    first = next((_text(v) for v in values if _text(v)), "")
    key = " ".join(re.sub(r"[^\w/ ]+", " ", first.lower()).split())
    return bool(_END_LINE.match(key))


def _has_member_data(cells: dict) -> bool:
    """A real date in a date column or a sex word: what a member row has and a signature line has not."""
    for fld in DATE_FIELDS:
        try:
            if fld in cells and parse_date(cells[fld]):
                return True
        except DateParseError:
            continue
    return names.fold(_text(cells.get("sex"))) in _SEX_WORDS


def _table_rows(rows, header_index, columns) -> tuple[list[tuple[int, dict]], list[Rejected]]:
    """The rows of the table: from under the header to the first blank or total line."""
    body, stray = [], []
    ended = False
    stt_col = next((c for c, f in columns.items() if f == "stt"), None)
    for number, values in rows[header_index + 1:]:
        cells = {f: values[c] if c < len(values) else None for c, f in columns.items()}
        if not ended and (_is_blank(values) or _is_end_marker(values, cells)):
            ended = bool(body) or not _is_blank(values)
            continue
        if ended:
            # A member row after the table's end is data cut off by a blank line: say so rather than drop it.
            # A signer's name under the table has nothing else on its row, so it is not taken for one.
            numbered = stt_col is not None and re.fullmatch(r"\d+", _text(cells.get("stt")))
            if _text(cells.get("full_name")) and (numbered or _has_member_data(cells)):
                stray.append(Rejected(number, _("dòng có số thứ tự nằm sau dòng trống hoặc dòng tổng cộng; "
                                                 "hãy xóa dòng trống giữa bảng rồi nhập lại.")))
            continue
        body.append((number, cells))
    return body, stray


_SEX_WORDS = {"nam": Sex.MALE, "m": Sex.MALE, "male": Sex.MALE, "nu": Sex.FEMALE, "f": Sex.FEMALE, "female": Sex.FEMALE}


def _parse_member(cells: dict) -> tuple[Member, MemberStatus | None, list[str]]:
    """A Member from one row's cells, and the row's warnings; raises ValueError with a message naming the column."""
    member = Member()
    warnings: list[str] = []
    for fld in EDITABLE_FIELDS:
        if fld not in cells:
            continue
        raw = cells[fld]
        if fld in DATE_FIELDS:
            try:
                value = parse_date(raw.strip() if isinstance(raw, str) else raw)
            except DateParseError:
                raise ValueError(_("{column} «{value}» không phải ngày hợp lệ (dd/mm/yyyy).").format(
                    column=_column(fld), value=_text(raw))) from None
        elif fld == "sex":
            text = _text(raw)
            value = _SEX_WORDS.get(names.fold(text)) if text else None
            if text and value is None:
                raise ValueError(_("{column} «{value}» phải là Nam hoặc Nữ.").format(column=_column(fld), value=text))
        elif fld == "occupation_group":
            value = _occupation_group(_text(raw), warnings)
        elif fld == "youth_union":
            value = _youth_union(_text(raw), warnings)
        else:
            value = _text(raw)
        setattr(member, fld, value)
    if _text(cells.get("status")):
        status = names.choice(_text(cells["status"]), MemberStatus)
        if status is None:
            raise ValueError(_("Tình trạng «{value}» không rõ.").format(value=_text(cells["status"])))
    else:
        status = _status_from_notes(member)
    return member.normalized(), status, warnings


def _status_from_notes(member: Member) -> MemberStatus:
    """Lists carry the status as a note ("Dự bị", "Miễn sinh hoạt") or only through the dates."""
    note = names.fold(member.notes)
    if "mien" in note and "sinh hoat" in note:
        return MemberStatus.EXEMPT
    if "tam thoi" in note:
        return MemberStatus.TEMPORARY
    return MemberStatus.OFFICIAL if member.official_date else MemberStatus.PROBATIONARY


def _convert_legacy_columns(rows: list[tuple[int, list]], header_index: int,
                            columns: dict[int, str]) -> dict[int, tuple[legacy_text.Encoding, set[int]]]:
    """Every text column under the header typed in TCVN3 or VNI, converted in place to Unicode; for each
    converted column, the encoding and the numbers of the rows whose cell changed.

    A column is converted on its own evidence. Once some column shows the file's encoding, a column with too
    little evidence of its own (Giới tính: «Nam» and a few «N÷») has just its evidently legacy cells converted."""
    below = rows[header_index + 1:]
    found: dict[int, tuple[legacy_text.Encoding, set[int]]] = {}

    def write(col: int, cells: list[tuple[int, list]], encoding: legacy_text.Encoding, new_values: list) -> None:
        changed = set()
        for (number, values), new in zip(cells, new_values):
            if values[col] != new:
                values[col] = new
                changed.add(number)
        if changed:
            found[col] = (encoding, changed)

    pending = []
    for col, fld in columns.items():
        if fld in DATE_FIELDS:
            continue
        cells = [(number, values) for number, values in below if col < len(values) and isinstance(values[col], str)]
        result = legacy_text.convert_column([values[col] for _number, values in cells])
        if result.encoding is None:
            pending.append((col, cells))
        else:
            write(col, cells, result.encoding, result.values)
    encodings = {encoding for encoding, _rows in found.values()}
    if len(encodings) == 1:
        encoding = encodings.pop()
        for col, cells in pending:
            write(col, cells, encoding,
                  legacy_text.convert_evident([values[col] for _number, values in cells], encoding).values)
    return found


def _occupation_group(text: str, warnings: list[str]) -> str:
    if not text:
        return ""
    code = stat_codes.classify(stat_codes.OCCUPATION_GROUPS, text)
    if code == stat_codes.UNKNOWN:
        warnings.append(_("{column} «{value}» không khớp nhóm nào của biểu thống kê; để trống, chọn lại trong hồ sơ.")
                        .format(column=_column("occupation_group"), value=text))
    return code


_YES_WORDS = {"x", "co", "1", "doan vien", "la doan vien", "yes", "true"}
_NO_WORDS = {"khong", "0", "no", "false", "-", "khong phai"}


def _youth_union(text: str, warnings: list[str]) -> bool | None:
    """«x», «Có», «1», «Đoàn viên» mean yes; «Không», «0» no; an empty cell says nothing (None)."""
    if not text:
        return None
    key = _header_key(text) or text.strip()
    if key in _YES_WORDS:
        return True
    if key in _NO_WORDS:
        return False
    warnings.append(_("{column} «{value}» không rõ (ghi «x» hoặc «Có» nếu là đoàn viên, «Không» nếu không); "
                      "để trống.").format(column=_column("youth_union"), value=text))
    return None


# --- planning the import --------------------------------------------------------------------


def preview_import(path: Path | str, today: dt.date | None = None) -> ImportPreview:
    """Read and check the whole file, and say what would be added, updated and rejected."""
    path = Path(path)
    today = today or dt.date.today()
    rows = read_rows(path)
    header_index, columns, ignored, headings = _find_header(rows)
    # Converted before the table's end is looked for: a total line typed in TCVN3 must read «Tổng số».
    converted = _convert_legacy_columns(rows, header_index, columns)
    preview = ImportPreview(path, columns={_column(f) if f != "stt" else "STT": str(c + 1) for c, f in columns.items()},
                            ignored_columns=ignored)
    body, stray = _table_rows(rows, header_index, columns)
    in_table = {number for number, _cells in body}
    for col, (encoding, changed_rows) in sorted(converted.items()):
        if count := len(changed_rows & in_table):
            preview.conversions.append((headings[col], encoding.label, count))
    existing = member_service.list_members(include_archived=True)
    by_card = {e.member.card_number: e.member for e in existing if e.member.card_number}
    by_identity = {(names.fold(e.member.full_name), e.member.birth_date): e.member for e in existing}
    seen_cards: dict[str, int] = {}
    seen_identity: dict[tuple, int] = {}
    for number, cells in body:
        try:
            member, status, cell_warnings = _parse_member(cells)
        except ValueError as exc:
            preview.rejected.append(Rejected(number, str(exc)))
            continue
        if not member.full_name:
            preview.rejected.append(Rejected(number, _("thiếu họ và tên.")))
            continue
        report = validate_member(member, today)
        if report.errors:
            preview.rejected.append(Rejected(number, "; ".join(str(i) for i in report.errors)))
            continue
        identity = (names.fold(member.full_name), member.birth_date)
        clash = _duplicate_in_file(member, identity, seen_cards, seen_identity)
        if clash:
            preview.rejected.append(Rejected(number, clash))
            continue
        seen_identity[identity] = number
        if member.card_number:
            seen_cards[member.card_number] = number
        warnings = cell_warnings + [str(i) for i in report.warnings]
        stored = by_card.get(member.card_number) if member.card_number else None
        stored = stored or by_identity.get(identity)
        if stored is None:
            preview.added.append(ImportRow(number, member, None, {}, warnings, status))
            continue
        if member.card_number and member.card_number in by_card and by_card[member.card_number].id != stored.id:
            preview.rejected.append(Rejected(number, _("số thẻ {card} đã thuộc về đồng chí {name}.").format(
                card=member.card_number, name=by_card[member.card_number].full_name)))
            continue
        if "full_name" in cells and names.fold(stored.full_name) != names.fold(member.full_name):
            # A card number matched, but the name is someone else's: a typo in the card must not rename a member.
            preview.rejected.append(Rejected(number, _(
                "số thẻ {card} trong hồ sơ là của đồng chí {stored}, còn tệp ghi {name}; kiểm tra lại số thẻ "
                "(muốn sửa tên thì sửa trong hồ sơ).").format(
                card=member.card_number, stored=stored.full_name, name=member.full_name)))
            continue
        merged, changes = _merge(stored, member, set(cells))
        if status and stored.status and status != stored.status and "status" in cells:
            warnings.append(_("tình trạng trong tệp («{file}») khác hồ sơ («{stored}»); đổi tình trạng trong hồ sơ "
                              "nếu cần, vì mỗi thay đổi cần ngày và lý do.").format(
                file=status.label, stored=stored.status.label))
        target = preview.updated if changes else preview.unchanged
        target.append(ImportRow(number, merged, stored.id, changes, warnings, status))
    preview.rejected.extend(stray)
    preview.rejected.sort(key=lambda r: r.row)
    return preview


def _duplicate_in_file(member: Member, identity: tuple, seen_cards: dict, seen_identity: dict) -> str:
    if member.card_number and member.card_number in seen_cards:
        return _("số thẻ {card} trùng với dòng {row}.").format(
            card=member.card_number, row=seen_cards[member.card_number])
    if identity in seen_identity:
        return _("trùng họ tên và ngày sinh với dòng {row}.").format(row=seen_identity[identity])
    return ""


def _merge(stored: Member, incoming: Member, present: set[str]) -> tuple[Member, dict[str, list]]:
    """The stored record with the file's non-empty values laid over it (an empty cell erases nothing)."""
    merged = Member(**{f: getattr(stored, f) for f in EDITABLE_FIELDS}, id=stored.id, status=stored.status)
    changes = {}
    for fld in EDITABLE_FIELDS:
        if fld not in present:
            continue
        new = getattr(incoming, fld)
        if new in (None, ""):
            continue
        old = getattr(stored, fld)
        if new != old:
            setattr(merged, fld, new)
            changes[fld] = [audit._plain(old), audit._plain(new)]
    return merged, changes


def apply_import(preview: ImportPreview, today: dt.date | None = None) -> None:
    """Write the whole preview in one transaction, or nothing."""
    if not preview.ok:
        raise ServiceError(_("Tệp có {count} dòng bị từ chối nên không nhập gì.").format(count=len(preview.rejected)))
    if not preview.added and not preview.updated:
        return
    today = today or dt.date.today()
    reason = _("Nhập từ tệp {file}").format(file=preview.source.name)
    safety.backup_before("truoc-nhap")
    try:
        with database.atomic():
            member_service.insert_members([(item.member, _import_history(item, today, reason))
                                           for item in preview.added])
            for item in preview.updated:
                member_service.apply_update(item.existing_id, item.member, reason)
    except Exception as exc:  # noqa: BLE001 - the transaction is rolled back whatever went wrong
        raise ServiceError(_("Nhập không thành công, dữ liệu giữ nguyên: {error}").format(error=exc)) from exc


def _import_history(item: ImportRow, today: dt.date, reason: str) -> list[StatusChange]:
    history = initial_history(item.member, today)
    if item.status and item.status not in {c.status for c in history}:
        history.append(StatusChange(item.status, today, reason))
    return history


# --- export ---------------------------------------------------------------------------------

EXPORT_FIELDS = EDITABLE_FIELDS


def _export_value(mem: Member, fld: str) -> object:
    """A field as the export writes it, in words the importer reads back."""
    value = getattr(mem, fld)
    if isinstance(value, Sex):
        return value.label
    if fld == "occupation_group":
        return stat_codes.label_of(stat_codes.OCCUPATION_GROUPS, value) if value else ""
    if fld == "youth_union":
        return "" if value is None else (_("Có") if value else _("Không"))
    return value


def export_roster(path: Path | str, include_left: bool = False, today: dt.date | None = None) -> int:
    """The roster as an .xlsx laid out like the lists secretaries keep, readable back by the importer."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ServiceError(_("Tên tệp xuất phải kết thúc bằng .xlsx."))
    today = today or dt.date.today()
    cell = get_cell()
    statuses = None if include_left else set(ACTIVE_STATUSES)
    entries = member_service.list_members(statuses=statuses)
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sach dang vien"
    last_col = len(EXPORT_FIELDS) + 2
    bold = Font(bold=True)
    write_cell(sheet, 1, 1, (cell.superior_name if cell else "").upper())
    write_cell(sheet, 2, 1, (cell.name if cell else "").upper()).font = bold
    write_cell(sheet, 1, 6, "ĐẢNG CỘNG SẢN VIỆT NAM").font = bold
    place = f"{cell.place_name}, " if cell and cell.place_name else ""
    write_cell(sheet, 2, 6, f"{place}ngày {today.day:02d} tháng {today.month:02d} năm {today.year}")
    title = write_cell(sheet, 4, 1, _("DANH SÁCH ĐẢNG VIÊN {cell}").format(
        cell=(cell.name if cell else "").upper()))
    title.font = Font(bold=True, size=14)
    write_cell(sheet, 5, 1, _("(Tính đến ngày {date})").format(date=format_date(today)))
    for row in (4, 5):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    headers = ["STT", *(_column(f) for f in EXPORT_FIELDS), _column("status")]
    for col, header in enumerate(headers, start=1):
        write_cell(sheet, 7, col, header).font = bold
    for index, entry in enumerate(entries, start=1):
        mem = entry.member
        values = [index]
        for fld in EXPORT_FIELDS:
            values.append(_export_value(mem, fld))
        values.append(mem.status.label if mem.status else "")
        for col, value in enumerate(values, start=1):
            target = write_cell(sheet, 7 + index, col, value if value != "" else None)
            if isinstance(value, dt.date):
                target.number_format = "DD/MM/YYYY"
            elif isinstance(value, str):
                target.number_format = "@"
    write_cell(sheet, 9 + len(entries), 2, _("Tổng số: {count} đồng chí").format(count=len(entries)))
    sheet.column_dimensions["B"].width = 28
    spreadsheets.save_workbook(book, path)
    return len(entries)
