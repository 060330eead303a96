"""Hostile spreadsheets: bombs are refused with a message before they are parsed, formulas are only ever
text, and whatever the program writes to a spreadsheet or CSV cannot run in one. No timing assertions:
bench/bench_hostile.py measures the time and memory of each refusal."""
from __future__ import annotations

import csv
import datetime as dt
import errno
import gc
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.domain.members import Member, Sex
from app.services import failures, fee_export, fee_printing, files, history, members, roster_io, spreadsheets
from app.services.errors import ServiceError
from app.storage.models import ChangeLog, Member as MemberRow, StatusChange
from tests.conftest import TODAY
from tests.helpers import hostile_files

ROOT = Path(__file__).resolve().parents[1]
ADVICE = "chibo không đọc để tránh treo máy. Hãy lưu lại tệp bằng Excel hoặc xuất ra CSV."


def _snapshot() -> tuple:
    return (list(MemberRow.select().order_by(MemberRow.id).tuples()),
            list(StatusChange.select().order_by(StatusChange.id).tuples()), ChangeLog.select().count())


@pytest.fixture
def seeded(cell_db):
    members.add_member(Member(full_name="Lê Văn Có Sẵn", birth_date=dt.date(1970, 1, 2), sex=Sex.MALE), today=TODAY)
    return cell_db


def _refused(path, *texts: str) -> str:
    """preview_import refuses path with a message holding texts, and the database is left as it was."""
    before = _snapshot()
    with pytest.raises(ServiceError) as raised:
        roster_io.preview_import(path, today=TODAY)
    message = str(raised.value)
    for text in (path.name, *texts):
        assert text in message
    assert _snapshot() == before
    return message


# --- bombs ------------------------------------------------------------------------------------------


def test_a_styles_bomb_is_refused_by_its_declared_size(seeded, tmp_path):
    path = hostile_files.styles_bomb(tmp_path / "kieu.xlsx")
    assert path.stat().st_size < 40 * 1024
    _refused(path, "phần kiểu định dạng quá lớn", "giải nén ra 20 MB, giới hạn 4 MB", ADVICE)


def test_a_shared_strings_bomb_under_the_byte_bound_is_refused_by_its_tag_count(seeded, tmp_path):
    path = hostile_files.shared_strings_bomb(tmp_path / "chu.xlsx")
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(hostile_files.SHARED_STRINGS)
    # It passes what the directory says: only counting while inflating can catch it.
    assert info.file_size < spreadsheets.SHARED_STRINGS_MAX_BYTES
    assert info.file_size < spreadsheets.MAX_RATIO * info.compress_size
    _refused(path, "phần chữ dùng chung quá lớn", "hơn 800.000 thẻ XML", ADVICE)


def test_a_memory_bomb_under_the_old_one_gigabyte_bound_is_refused(seeded, tmp_path):
    path = hostile_files.memory_bomb(tmp_path / "bo-nho.xlsx")
    assert path.stat().st_size < 2 * 1024 * 1024
    _refused(path, "phần chữ dùng chung quá lớn", "giới hạn 16 MB")


@pytest.mark.parametrize("declared", [2048, 21 * 1024 * 1024])
def test_a_directory_that_lies_about_the_unpacked_size_is_refused(seeded, tmp_path, monkeypatch, declared):
    # 21 MB declared is over the styles bound; raised so that it is the lie, not the size, that is caught.
    monkeypatch.setattr(spreadsheets, "STYLES_MAX_BYTES", 64 * 1024 * 1024)
    monkeypatch.setattr(spreadsheets, "STYLES_MAX_TAGS", 10 ** 8)
    monkeypatch.setattr(spreadsheets, "MAX_RATIO", 10 ** 4)
    path = hostile_files.lying_header(tmp_path / "noi-doi.xlsx", declared=declared)
    _refused(path, "tệp hỏng hoặc không phải .xlsx", "xl/styles.xml giải nén ra khác với kích thước tệp ghi")


def _zip(tmp_path, parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED):
    path = tmp_path / "ds.xlsx"
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_each_bound_names_what_is_too_large(seeded, tmp_path, monkeypatch):
    parts = hostile_files.roster_parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    monkeypatch.setattr(spreadsheets, "SHEET_MAX_TAGS", sheet.count(b"<") - 1)
    _refused(_zip(tmp_path, parts), "trang tính sheet1.xml quá lớn", "thẻ XML")
    monkeypatch.undo()
    monkeypatch.setattr(spreadsheets, "MAX_PARTS", len(parts) - 1)
    _refused(_zip(tmp_path, parts), "danh mục quá lớn", f"{len(parts)} phần")
    monkeypatch.undo()
    ratio_bomb = dict(parts, **{"xl/worksheets/sheet2.xml": b"<c/>" * (1024 * 1024)})
    _refused(_zip(tmp_path, ratio_bomb), "trang tính sheet2.xml quá lớn", "gấp hơn 100 lần")
    monkeypatch.setattr(spreadsheets, "MAX_TOTAL_BYTES", sum(map(len, parts.values())) - 1)
    _refused(_zip(tmp_path, parts), "nội dung quá lớn")


def test_parts_packed_otherwise_than_excel_does_are_refused_unread(seeded, tmp_path):
    # bzip2 and lzma are inflated by zipfile with no bound on one read.
    path = _zip(tmp_path, hostile_files.roster_parts(), zipfile.ZIP_BZIP2)
    _refused(path, "tệp hỏng hoặc không phải .xlsx", "nén theo kiểu Excel không dùng")


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04" + b"\x00" * 60, b""])
def test_a_file_that_is_not_a_zip_gets_the_not_a_spreadsheet_message(seeded, tmp_path, data):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(data)
    _refused(path, "tệp hỏng hoặc không phải .xlsx")


def test_the_command_line_shows_the_refusal_as_a_message(seeded, tmp_path, capsys):
    from app.cli import main

    path = hostile_files.styles_bomb(tmp_path / "kieu.xlsx")
    assert main(["--db", str(seeded), "members", "import", str(path)]) != 0
    err = capsys.readouterr().err
    assert "phần kiểu định dạng quá lớn" in err and "Traceback" not in err


def test_a_legitimate_large_roster_imports_and_its_export_keeps_well_inside_every_bound(cell_db, tmp_path):
    path = hostile_files.large_roster(tmp_path / "lon.xlsx", 10_000)
    preview = roster_io.preview_import(path, today=TODAY)
    assert preview.ok and len(preview.added) == 10_000, preview.summary()
    roster_io.apply_import(preview, today=TODAY)
    assert MemberRow.select().count() == 10_000
    out = tmp_path / "xuat.xlsx"
    roster_io.export_roster(out, today=TODAY)
    with zipfile.ZipFile(out) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        tags = archive.read(sheet).count(b"<")
    assert sheet.file_size * 3 < spreadsheets.SHEET_MAX_BYTES and tags * 5 // 4 < spreadsheets.SHEET_MAX_TAGS
    assert len(roster_io.read_rows(out)) == 10_000 + 9


# --- formulas are only text -------------------------------------------------------------------------


def test_formula_texts_import_as_plain_text_and_a_formula_cell_as_its_shown_value(cell_db, tmp_path):
    preview = roster_io.preview_import(hostile_files.formula_roster(tmp_path / "cong-thuc.xlsx"), today=TODAY)
    assert preview.ok, [r.reason for r in preview.rejected]
    notes = [row.member.notes for row in preview.added]
    # A text written with one ' in front of a formula start reads back without it (as export_roster writes).
    assert notes[:7] == [hostile_files.HYPERLINK, hostile_files.DDE, "+84912345678", "-2+3", "@SUM(1+1)",
                         "=đã có dấu nháy", "'+hai dấu nháy"]
    assert notes[7] == "y"  # the value Excel cached; the formula itself is never read
    assert all(isinstance(n, str) for n in notes)


def _imported(tmp_path) -> list[Member]:
    roster_io.apply_import(roster_io.preview_import(hostile_files.formula_roster(tmp_path / "in.xlsx"), today=TODAY),
                           today=TODAY)
    return [e.member for e in members.list_members()]


def _assert_no_formula(path, sheet_part: str = "xl/worksheets/sheet1.xml") -> None:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(sheet_part)
    assert not re.search(rb"<f[ >/]", xml), "the written sheet holds a formula element"


def test_the_roster_export_writes_formula_texts_as_quoted_string_cells(cell_db, tmp_path):
    _imported(tmp_path)
    out = tmp_path / "xuat.xlsx"
    roster_io.export_roster(out, today=TODAY)
    _assert_no_formula(out)
    sheet = openpyxl.load_workbook(out).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in (hostile_files.HYPERLINK, hostile_files.DDE, "+84912345678", "-2+3", "@SUM(1+1)"):
        assert cells["'" + text].data_type == "s"
        assert text not in cells


def test_a_roster_with_formula_texts_exports_and_imports_back_exactly(cell_db, tmp_path):
    original = _imported(tmp_path)
    out = tmp_path / "xuat.xlsx"
    roster_io.export_roster(out, today=TODAY)
    again = roster_io.preview_import(out, today=TODAY)
    assert again.ok and not again.added and not again.updated and len(again.unchanged) == len(original)
    assert [r.member.residence for r in again.unchanged] == [m.residence for m in original]
    assert {m.residence for m in original} >= set(hostile_files.FORMULA_TEXTS[:5])


def test_the_fee_book_writes_a_name_beginning_like_a_formula_as_a_quoted_string(cell_db, tmp_path):
    members.add_member(Member(full_name="=Hyperlink(\"http://x\") Văn", birth_date=dt.date(1970, 1, 2),
                              admission_date=dt.date(1995, 1, 2), official_date=dt.date(1996, 1, 2)), today=TODAY)
    out = tmp_path / "so.xlsx"
    fee_export.export_year(TODAY.year, out, today=TODAY)
    book = openpyxl.load_workbook(out)
    found = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and "http://x" in c.value]
    assert found and all(c.value.startswith("'=") and c.data_type == "s" for c in found)
    for index in range(len(book.worksheets)):
        _assert_no_formula(out, f"xl/worksheets/sheet{index + 1}.xml")


def test_the_history_csv_quotes_a_reason_beginning_like_a_formula(cell_db, tmp_path):
    stored = members.add_member(Member(full_name="Lê Văn A", birth_date=dt.date(1970, 1, 2)), today=TODAY).member
    stored.notes = hostile_files.HYPERLINK
    members.update_member(stored.id, stored, reason=hostile_files.DDE, today=TODAY)
    out = tmp_path / "nhat-ky.csv"
    history.export(history.entries(), out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert ["'" + hostile_files.DDE] == [cell for row in rows for cell in row if "cmd|" in cell]
    assert not any(cell[:1] in "=+-@\t\r" for row in rows for cell in row if cell)


@pytest.mark.parametrize("text", [*hostile_files.FORMULA_TEXTS, "\tcmd", "\r=1", "'", "''", "a=1", "", "Nguyễn"])
def test_safe_cell_text_and_unquote_cell_text_undo_each_other(text):
    written = spreadsheets.safe_cell_text(text)
    assert written[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert spreadsheets.unquote_cell_text(written) == text


# --- a sheet's <dimension> is not believed ----------------------------------------------------------


def test_a_dimension_smaller_than_the_data_loses_no_member(cell_db, tmp_path):
    """Regression: openpyxl's read-only reader stopped at the last row the <dimension> claimed, so five
    members under an edited A1:F2 imported as one, and nothing said so."""
    path = hostile_files.lying_dimension(tmp_path / "nam.xlsx", "A1:F2")
    preview = roster_io.preview_import(path, today=TODAY)
    assert preview.ok and not preview.rejected, preview.summary()
    assert [row.member.full_name for row in preview.added] == [r[1] for r in hostile_files.FIVE_MEMBERS]
    assert [row.member.residence for row in preview.added] == ["thôn Tây"] * 5  # column G, past the claimed F
    roster_io.apply_import(preview, today=TODAY)
    assert MemberRow.select().count() == 5


@pytest.mark.parametrize("ref", ["A1:F2", "A1", "C3:D4", "A1:XFD1048576", "A1:H1048576", "A1:XFD6"])
def test_whatever_the_dimension_claims_the_rows_read_are_those_in_the_file(cell_db, tmp_path, ref):
    """Smaller, shifted or far larger than the data: each row in the file is read once, cut to its cells;
    none is dropped and none is made up (a claim of a million rows or 16,384 columns pads nothing)."""
    rows = roster_io.read_rows(hostile_files.lying_dimension(tmp_path / "ds.xlsx", ref))
    assert rows == [(number, [v for v in values if v != ""])  # openpyxl writes no cell for the empty notes
                    for number, values in enumerate([hostile_files.HEADERS, *hostile_files.FIVE_MEMBERS], start=1)]
    assert len(roster_io.preview_import(tmp_path / "ds.xlsx", today=TODAY).added) == 5


# --- a full disk: what the program writes lands whole or not at all ------------------------------------


def _with_member(cell_db):
    stored = members.add_member(Member(full_name="Lê Văn Ghi", birth_date=dt.date(1970, 1, 2), sex=Sex.MALE,
                                       admission_date=dt.date(1995, 1, 2), official_date=dt.date(1996, 1, 2)),
                                today=TODAY).member
    stored.notes = "đã sửa"
    members.update_member(stored.id, stored, reason="sửa ghi chú", today=TODAY)


WRITERS = {
    "ds.xlsx": lambda path: roster_io.export_roster(path, today=TODAY),
    "so-dang-phi.xlsx": lambda path: fee_export.export_year(TODAY.year, path, today=TODAY),
    "nhat-ky.csv": lambda path: history.export(history.entries(), path),
    "nhat-ky.json": lambda path: history.export(history.entries(), path),
    "so-dang-phi.pdf": lambda path: fee_printing.print_fee_book(TODAY.year, path, today=TODAY),
}


def _written_size(tmp_path, name: str) -> int:
    """What the writer of name writes with room to spare: a full disk then gets half of it."""
    folder = tmp_path / "du-cho"
    folder.mkdir()
    WRITERS[name](folder / name)
    assert sorted(p.name for p in folder.iterdir()) == [name]  # and no temporary file is left
    return (folder / name).stat().st_size


@pytest.fixture
def unraisable(monkeypatch):
    """What Python reports as «Exception ignored in …» (a ZipFile's __del__ failing to finish its file)."""
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    yield seen
    gc.collect()


@pytest.mark.parametrize("name", list(WRITERS))
@pytest.mark.parametrize("before", [None, b"the file that was there"])
def test_on_a_full_disk_a_written_file_is_whole_or_not_there(cell_db, tmp_path, unraisable, name, before):
    _with_member(cell_db)
    room = _written_size(tmp_path, name) // 2
    folder = tmp_path / "day"
    folder.mkdir()
    target = folder / name
    if before is not None:
        target.write_bytes(before)
    with hostile_files.full_disk(folder, room), pytest.raises(ServiceError) as raised:
        WRITERS[name](target)
    gc.collect()
    assert [p.name for p in folder.iterdir()] == ([name] if before else [])  # no half file, no temporary one
    if before is not None:
        assert target.read_bytes() == before
    assert unraisable == []  # no ZipFile left open on the half file, failing again when collected
    assert name in str(raised.value) and os.strerror(errno.ENOSPC) in str(raised.value)
    # The secretary is told the disk is full, about her file (not about chibo's temporary one).
    told = failures.message_for(raised.value)
    assert "hết chỗ trống" in told and name in told and files.TEMPORARY_SUFFIX not in told


def test_a_failed_rename_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    target = tmp_path / "ds.csv"
    target.write_bytes(b"cu")

    def no_room(*_args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", no_room)
    with pytest.raises(OSError) as raised:
        files.write_file_atomically(target, b"moi")
    assert raised.value.filename == str(target)
    assert [p.name for p in tmp_path.iterdir()] == ["ds.csv"] and target.read_bytes() == b"cu"


def test_a_file_written_whole_replaces_the_old_one_and_leaves_nothing_beside_it(tmp_path):
    target = tmp_path / "ds.csv"
    target.write_bytes(b"cu")
    files.write_file_atomically(target, b"moi")
    assert [p.name for p in tmp_path.iterdir()] == ["ds.csv"] and target.read_bytes() == b"moi"
    assert files.temporary_path(target).name == ".ds.csv.dang-ghi.tmp"


_FULL_DISK_CLI = """
import sys
from pathlib import Path
from app.cli import main
from tests.helpers.hostile_files import full_disk
with full_disk(Path(sys.argv[1]), int(sys.argv[2])):
    code = main(sys.argv[3:])
sys.exit(code)
"""


@pytest.mark.parametrize("command, name", [(["members", "export"], "m.xlsx"), (["history", "-o"], "h.csv")])
def test_the_command_line_on_a_full_disk_says_so_and_leaves_no_file_and_no_traceback(cell_db, tmp_path,
                                                                                     command, name):
    """Regression: `chibo members export m.xlsx` printed its message, then «Exception ignored in: <function
    ZipFile.__del__ …> Traceback … No space left on device», and left half of m.xlsx; history -o half a CSV."""
    _with_member(cell_db)
    from app.storage import db as storage

    storage.close_database()  # the command opens it itself
    folder = tmp_path / "day"
    folder.mkdir()
    result = subprocess.run([sys.executable, "-c", _FULL_DISK_CLI, str(folder), "700", "--db", str(cell_db),
                             *command, str(folder / name)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "hết chỗ trống" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert list(folder.iterdir()) == []


def test_parts_each_inside_their_bound_may_not_add_up_past_the_load(cell_db, tmp_path, monkeypatch):
    """Two sheets, each just inside the sheet bound: together more parsing than any one part may cost."""
    path = hostile_files.large_roster(tmp_path / "hai.xlsx", 200)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        parts = {name: archive.read(name) for name in archive.namelist()}
    monkeypatch.setattr(spreadsheets, "SHEET_MAX_TAGS", sheet.count(b"<") * 10 // 9)  # each at 90 %
    roster_io.read_rows(path)  # one sheet: read
    parts["xl/worksheets/sheet2.xml"] = sheet
    two = tmp_path / "hai-trang.xlsx"
    with zipfile.ZipFile(two, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    before = MemberRow.select().count()
    with pytest.raises(ServiceError, match="cộng lại hơn sức đọc"):
        roster_io.preview_import(two, today=TODAY)
    assert MemberRow.select().count() == before
