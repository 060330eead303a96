"""Hostile spreadsheets: bombs are refused with a message before they are parsed, formulas are only ever
text, and whatever the program writes to a spreadsheet or CSV cannot run in one. No timing assertions:
bench/bench_hostile.py measures the time and memory of each refusal."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest

from app.domain.members import Member, Sex
from app.services import fee_export, history, members, roster_io, spreadsheets
from app.services.errors import ServiceError
from app.storage.models import ChangeLog, Member as MemberRow, StatusChange
from tests.conftest import TODAY
from tests.helpers import hostile_files

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
    assert sheet.file_size * 3 < spreadsheets.SHEET_MAX_BYTES and tags * 2 < spreadsheets.SHEET_MAX_TAGS
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
