"""Spreadsheets crossing the program's edge: the bounds a workbook must keep before it is parsed, the
guard on every text the program writes to a spreadsheet or CSV so that no spreadsheet runs it, and the
saving of a workbook whole or not at all."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.i18n import _
from app.services.errors import ServiceError
from app.services.files import write_export

KB = 1024
MB = 1024 * KB

# --- bounds on a workbook from outside ----------------------------------------------------------------
#
# The goal: any file up to 10 MB is read or refused within 5 s and 300 MB of memory. openpyxl
# reads xl/styles.xml whole into objects (about 30 µs and 1 KB per tag on the bench machine), keeps every
# shared string in a list, and streams the sheet (about 3 µs per tag); so the count of tags in a part is
# what its parse costs, and each part gets a bound on its unpacked size and on its tags.
# What export_roster writes for 10,000 members with every column filled (bench/bench_hostile.py): 1.3 MB,
# the sheet unpacks to 14 MB at 11:1 with 1.2 million tags, styles.xml is 3 KB with 126 tags, no shared
# strings (openpyxl writes inline strings). Excel saving the same list writes the text once in
# sharedStrings.xml: at most ~100,000 distinct texts, ~400,000 tags.
MAX_PARTS = 1_000  # a workbook from Excel has a few dozen parts; each entry costs memory before any check
MAX_TOTAL_BYTES = 128 * MB  # all parts unpacked; 9 times the 10,000-member export
# Apache POI (ZipSecureFile) refuses an entry that unpacks to more than 100 times its packed size; real
# workbooks stay near 5–20 (the export: 11), a bomb of repeated tags sits near deflate's limit of 1032.
MAX_RATIO = 100
RATIO_GRACE_BYTES = 1 * MB  # a small part may be packed as tightly as it likes: it costs nothing
SHEET_MAX_BYTES = 64 * MB
SHEET_MAX_TAGS = 1_600_000  # 1.3 times the 10,000-member export (a big Đảng ủy has 3,000); ~4.5 s to preview
# Styles cost 10 times a sheet's tags and are read whole: a list from Excel has a few thousand tags.
STYLES_MAX_BYTES = 4 * MB
STYLES_MAX_TAGS = 50_000  # ~1.5 s and ~90 MB on the bench machine
SHARED_STRINGS_MAX_BYTES = 16 * MB
SHARED_STRINGS_MAX_TAGS = 800_000  # twice the ~400,000 of a 10,000-member list saved by Excel; ~3 s
# Every other part (workbook.xml, rels, theme, properties, charts) is small in any real workbook.
OTHER_MAX_BYTES = 16 * MB
OTHER_MAX_TAGS = 100_000
# Each part's bound alone keeps its parsing to a few seconds; parts (several sheets among them) that each come
# close to theirs must not add up to much more: the shares of their bounds (tags / bound) may sum to at most
# this. A 10,000-member list saved by Excel is ~0.65 (sheet) + ~0.5 (shared strings); a sheet at its bound with
# shared strings at half of theirs reads in ~4.8 s on the bench machine.
MAX_LOAD = 1.5
CHUNK_BYTES = 256 * KB  # parts are inflated this much at a time, never whole
_READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what Excel writes; bzip2/lzma inflate unbounded


@dataclass(frozen=True)
class PartLimit:
    """What one part of a workbook may unpack to, and what the secretary is told it is."""

    label: str
    max_bytes: int
    max_tags: int


def _limit(name: str) -> PartLimit:
    """The bounds of the part called name; read at each call so that a test can lower a constant."""
    lowered = name.lower()
    if lowered == "xl/styles.xml":
        return PartLimit(_("phần kiểu định dạng"), STYLES_MAX_BYTES, STYLES_MAX_TAGS)
    if lowered.rsplit("/", 1)[-1] == "sharedstrings.xml":
        return PartLimit(_("phần chữ dùng chung"), SHARED_STRINGS_MAX_BYTES, SHARED_STRINGS_MAX_TAGS)
    if lowered.startswith("xl/worksheets/") and lowered.count("/") == 2:
        return PartLimit(_("trang tính {name}").format(name=name.rsplit("/", 1)[-1]), SHEET_MAX_BYTES, SHEET_MAX_TAGS)
    return PartLimit(_("phần {name}").format(name=name), OTHER_MAX_BYTES, OTHER_MAX_TAGS)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _size(count: int) -> str:
    return f"{count / MB:.0f} MB" if count >= MB else f"{count / KB:.0f} KB" if count >= KB else f"{count} B"


def _number(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def _too_large(file_name: str, what: str, detail: str) -> ServiceError:
    return ServiceError(_("Tệp {file} có {what} quá lớn ({detail}); chibo không đọc để tránh treo máy. "
                          "Hãy lưu lại tệp bằng Excel hoặc xuất ra CSV.").format(file=file_name, what=what,
                                                                                 detail=detail))


def unreadable(file_name: str, why: str) -> ServiceError:
    """The message for a file that is not a workbook at all, or a broken one."""
    return ServiceError(_("Không đọc được tệp Excel {file}: tệp hỏng hoặc không phải .xlsx ({error}).").format(
        file=file_name, error=why))


def check_workbook(source: IO[bytes], file_name: str) -> None:
    """Refuse (ServiceError) a workbook that would take too long or too much memory to parse.

    The standard library's zipfile, because no library bounds this: openpyxl and Python's XML parsers
    inflate and parse whatever the zip holds (defusedxml stops entity tricks, not a flood of plain tags).
    """
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
            _check_directory(parts, file_name)
            load = sum(_check_inflated(archive, info, file_name) for info in parts)
            if load > MAX_LOAD:
                raise _too_large(file_name, _("nội dung"), _(
                    "nhiều phần cùng gần giới hạn, cộng lại hơn sức đọc trong vài giây"))
    except ServiceError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile and zlib raise many kinds for a broken file
        raise unreadable(file_name, type(exc).__name__) from exc


def _check_directory(parts: list[zipfile.ZipInfo], file_name: str) -> None:
    """What the zip's directory declares, before anything is inflated."""
    if len(parts) > MAX_PARTS:
        raise _too_large(file_name, _("danh mục"), _("{count} phần, giới hạn {limit}").format(
            count=_number(len(parts)), limit=_number(MAX_PARTS)))
    for info in parts:
        if info.compress_type not in _READABLE_METHODS:
            raise unreadable(file_name, _("phần {name} nén theo kiểu Excel không dùng").format(name=info.filename))
        limit = _limit(info.filename)
        if info.file_size > limit.max_bytes:
            raise _too_large(file_name, limit.label, _("giải nén ra {size}, giới hạn {limit}").format(
                size=_size(info.file_size), limit=_size(limit.max_bytes)))
    total = sum(info.file_size for info in parts)
    if total > MAX_TOTAL_BYTES:
        raise _too_large(file_name, _("nội dung"), _("giải nén ra {size}, giới hạn {limit}").format(
            size=_size(total), limit=_size(MAX_TOTAL_BYTES)))
    for info in parts:
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _too_large(file_name, _limit(info.filename).label, _(
                "giải nén ra {size} từ {packed}, gấp hơn {ratio} lần").format(
                size=_size(info.file_size), packed=_size(info.compress_size), ratio=MAX_RATIO))


def _check_inflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str) -> float:
    """Inflate one part a chunk at a time: its tags counted, and its size held to what the directory said
    (a directory that lies is caught here; zipfile itself also stops at the declared size).

    Returns the part's share of its tag bound: what parsing it costs, as a fraction of the most allowed."""
    limit = _limit(info.filename)
    counting = _is_xml(info.filename)
    size = tags = 0
    lying = unreadable(file_name, _("phần {name} giải nén ra khác với kích thước tệp ghi").format(
        name=info.filename))
    try:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK_BYTES):
                size += len(chunk)
                if size > info.file_size:  # never more than the directory said, already bounded
                    raise lying
                if counting:
                    tags += chunk.count(b"<")
                    if tags > limit.max_tags:
                        raise _too_large(file_name, limit.label, _("hơn {limit} thẻ XML").format(
                            limit=_number(limit.max_tags)))
    except zipfile.BadZipFile as exc:
        # zipfile stops at the declared size, then finds that the checksum of what it read does not match.
        raise lying from exc
    if size != info.file_size:
        raise lying
    return tags / limit.max_tags if counting else 0.0


# --- texts written to a spreadsheet -------------------------------------------------------------------

# OWASP «CSV Injection»: a cell beginning with = + - or @ is run as a formula by Excel, LibreOffice and
# Google Sheets (tab and carriage return can hide such a start). Quotes already in front are counted, so
# that unquote_cell_text takes back exactly the one quote safe_cell_text added.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_QUOTED_FORMULA_START = re.compile(r"'+[=+\-@\t\r]")


def safe_cell_text(value: object) -> object:
    """value, except that a text beginning like a formula gets a ' in front, as OWASP advises.

    The same quote goes into CSV and XLSX alike (rather than Excel's quotePrefix style in XLSX): the text
    stays inert when the secretary saves the workbook again as CSV or pastes it elsewhere, where a style
    would be lost; the importer takes the quote off again, so an export reads back exactly.
    """
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def unquote_cell_text(value: object) -> object:
    """What safe_cell_text was given: one leading ' before a formula start taken off."""
    if isinstance(value, str) and _QUOTED_FORMULA_START.match(value):
        return value[1:]
    return value


def write_cell(sheet, row: int, column: int, value: object):
    """Put value in an openpyxl cell; a text always as a string cell (openpyxl would make a text beginning
    with = a formula, and «#N/A» an error), guarded by safe_cell_text. Returns the cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = safe_cell_text(value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def safe_csv_row(values: list) -> list:
    """A CSV row with every text guarded by safe_cell_text."""
    return [safe_cell_text(value) for value in values]


def save_workbook(book, path: Path | str) -> None:
    """Save an openpyxl workbook to path whole or not at all (ServiceError when it cannot be written).

    openpyxl saves into memory first: saved straight to a file on a full disk it would leave half a file and
    a ZipFile open on it, whose __del__ then prints a traceback when it fails to finish the file."""
    buffer = io.BytesIO()
    book.save(buffer)
    write_export(path, buffer.getvalue())
