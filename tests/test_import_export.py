"""Importing the lists secretaries keep (the sample file above all) and exporting the roster."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.members import Member, MemberStatus, Sex
from app.services import members, roster_io
from app.services.errors import ServiceError
from app.storage.models import ChangeLog, Member as MemberRow, StatusChange

from tests.conftest import SAMPLE_XLSX, TODAY


def _snapshot() -> tuple:
    return (
        list(MemberRow.select().order_by(MemberRow.id).tuples()),
        list(StatusChange.select().order_by(StatusChange.id).tuples()),
        ChangeLog.select().count(),
    )


def test_sample_gives_exactly_the_25_members_and_nothing_around_the_table(cell_db):
    preview = roster_io.preview_import(SAMPLE_XLSX, today=TODAY)
    assert preview.ok, preview.rejected
    assert len(preview.added) == 25 and not preview.updated and not preview.unchanged
    roster_io.apply_import(preview, today=TODAY)
    stored = {e.member.full_name: e.member for e in members.list_members(statuses=None)}
    assert len(stored) == 25
    assert not any("Tổng" in n or "NGƯỜI" in n.upper() or "BÍ THƯ" in n.upper() for n in stored)
    assert {"Âu Thị Ư", "Đoàn Văn Ất", "Lò Thị Ếch", "Nguyễn Thị Ngọc Ánh"} <= set(stored)
    # Dates written three ways all read right.
    assert stored["Nguyễn Văn Hùng"].birth_date == dt.date(1965, 3, 13)  # dd/mm/yyyy text
    assert stored["Trần Thị Lan"].birth_date == dt.date(1968, 10, 2)  # d/m/yyyy text
    assert stored["Lê Văn Sơn"].admission_date == dt.date(1980, 1, 27)  # a real Excel date
    assert stored["Lê Văn Sơn"].sex is Sex.MALE and stored["Trần Thị Lan"].sex is Sex.FEMALE
    assert stored["Hoàng Văn Minh"].ethnicity == "Tày"
    assert stored["Nguyễn Văn Hùng"].card_number == "78198702"
    # The probationary member has no official date and no card; the exempt one is marked so.
    assert stored["Trịnh Thị Thủy"].status is MemberStatus.PROBATIONARY
    assert stored["Trịnh Thị Thủy"].card_number == "" and stored["Trịnh Thị Thủy"].official_date is None
    assert stored["Lê Văn Sơn"].status is MemberStatus.EXEMPT
    assert stored["Nguyễn Văn Hùng"].status is MemberStatus.OFFICIAL


def test_importing_the_same_file_again_changes_nothing(cell_db):
    roster_io.apply_import(roster_io.preview_import(SAMPLE_XLSX, today=TODAY), today=TODAY)
    before = _snapshot()
    again = roster_io.preview_import(SAMPLE_XLSX, today=TODAY)
    assert (len(again.added), len(again.updated), len(again.unchanged)) == (0, 0, 25)
    roster_io.apply_import(again, today=TODAY)
    assert _snapshot() == before


def _edited_sample(tmp_path: Path, edits: dict[str, object]) -> Path:
    path = tmp_path / "ds.xlsx"
    shutil.copy(SAMPLE_XLSX, path)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for ref, value in edits.items():
        sheet[ref] = value
    book.save(path)
    return path


def test_rows_with_bad_values_are_rejected_by_row_and_nothing_is_written(cell_db, tmp_path):
    members.add_member(Member(full_name="Người Có Sẵn", card_number="1"), today=TODAY)
    before = _snapshot()
    path = _edited_sample(tmp_path, {"C9": "31/02/1968", "H12": "78198702", "D15": "Không rõ", "G10": "01/01/1970"})
    preview = roster_io.preview_import(path, today=TODAY)
    reasons = {r.row: r.reason for r in preview.rejected}
    assert set(reasons) == {9, 10, 12, 15}
    assert "Ngày sinh" in reasons[9] and "31/02/1968" in reasons[9]
    assert "trùng với dòng 8" in reasons[12]
    assert "Nam hoặc Nữ" in reasons[15]
    assert "sau ngày vào Đảng" in reasons[10]
    with pytest.raises(ServiceError):
        roster_io.apply_import(preview, today=TODAY)
    assert _snapshot() == before


def test_cli_import_exits_nonzero_names_rows_and_leaves_database_unchanged(cell_db, tmp_path, capsys):
    from app.cli import main

    path = _edited_sample(tmp_path, {"C9": "31/02/1968"})
    assert main(["--db", str(cell_db), "members", "import", str(path)]) == 1
    assert "Dòng 9" in capsys.readouterr().err
    assert MemberRow.select().count() == 0
    assert main(["--db", str(cell_db), "members", "import", str(SAMPLE_XLSX), "--dry-run"]) == 0
    assert MemberRow.select().count() == 0
    assert main(["--db", str(cell_db), "members", "import", str(SAMPLE_XLSX)]) == 0
    assert MemberRow.select().count() == 25


def test_rows_cut_off_by_a_blank_line_are_not_silently_dropped(cell_db, tmp_path):
    path = _edited_sample(tmp_path, {f"{c}20": None for c in "ABCDEFGHIJ"})
    preview = roster_io.preview_import(path, today=TODAY)
    assert not preview.ok
    assert {r.row for r in preview.rejected} == set(range(21, 33))


def test_matching_updates_by_card_number_then_by_name_and_birth_date(cell_db, tmp_path):
    by_card = members.add_member(Member(full_name="Nguyễn Văn Hùng", card_number="78198702"), today=TODAY).member
    by_identity = members.add_member(Member(full_name="trịnh thị thủy", birth_date=dt.date(1998, 2, 9)),
                                     today=TODAY).member
    preview = roster_io.preview_import(SAMPLE_XLSX, today=TODAY)
    updated = {r.existing_id: r for r in preview.updated}
    assert set(updated) == {by_card.id, by_identity.id}
    assert updated[by_card.id].changes["birth_date"] == [None, "1965-03-13"]
    roster_io.apply_import(preview, today=TODAY)
    assert members.get_member(by_card.id).occupation == "nông dân"
    assert MemberRow.select().count() == 25


def test_csv_with_semicolons_windows_encoding_and_loose_headers(cell_db, tmp_path):
    text = ("DANH SÁCH ĐẢNG VIÊN\n\nS.T.T;HỌ TÊN;ngày  sinh;Giới tính;Ngày kết nạp;Ngày công nhận chính thức;Số thẻ đảng viên\n"
            "1;Đặng Văn Đông;5/2/1980;nam;10/3/2010;10/03/2011;12345678\n"
            "2;Lương Thị Ước;1990-07-15;Nữ;2015-01-01;;\n")
    path = tmp_path / "ds.csv"
    path.write_bytes(_windows_1258(text))
    preview = roster_io.preview_import(path, today=TODAY)
    assert preview.ok, preview.rejected
    assert [r.member.full_name for r in preview.added] == ["Đặng Văn Đông", "Lương Thị Ước"]
    assert preview.added[0].member.official_date == dt.date(2011, 3, 10)
    assert preview.added[1].status is MemberStatus.PROBATIONARY


def _windows_1258(text: str) -> bytes:
    """Encode as old Windows Vietnamese does: letters with their vowel mark, tones as combining marks."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [
        ("ds.xlsx", b"this is not a zip file at all", "không phải .xlsx"),
        ("ds.xls", b"\xd0\xcf\x11\xe0 old excel", "lưu lại thành .xlsx"),
        ("ds.pdf", b"%PDF-1.4", "Chỉ nhập được"),
        ("ds.csv", "Tên;Tuổi\nA;1\n".encode(), "Không tìm thấy dòng tiêu đề"),
        ("ds.csv", b"\x00\x01\x02binary", "không phải tệp văn bản"),
    ],
)
def test_unreadable_files_get_a_clear_message(cell_db, tmp_path, name, content, text):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ServiceError, match=text):
        roster_io.preview_import(path, today=TODAY)


def test_zip_bomb_is_refused_before_inflating(cell_db, tmp_path, monkeypatch):
    import zipfile

    from app.services import spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_TOTAL_BYTES", 4 * 1024 * 1024)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (5 * 1024 * 1024))
    assert path.stat().st_size < 100 * 1024
    with pytest.raises(ServiceError, match="quá lớn"):
        roster_io.preview_import(path, today=TODAY)


def test_export_is_laid_out_like_the_sample_and_reads_back_unchanged(cell_db, tmp_path):
    roster_io.apply_import(roster_io.preview_import(SAMPLE_XLSX, today=TODAY), today=TODAY)
    out = tmp_path / "xuat.xlsx"
    assert roster_io.export_roster(out, today=TODAY) == 25
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A2"].value == "CHI BỘ THÔN ĐÔNG"
    assert sheet["F1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert sheet["A7"].value == "STT" and sheet["B7"].value == "Họ và tên"
    assert sheet["B8"].value == "Nguyễn Thị Ngọc Ánh"
    again = roster_io.preview_import(out, today=TODAY)
    assert again.ok and not again.added and not again.updated and len(again.unchanged) == 25


_letters = st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxy"))
_word = st.lists(_letters, min_size=1, max_size=5).map("".join)
_member = st.builds(
    lambda words, birth, years, card: Member(
        full_name=" ".join(words), birth_date=birth,
        admission_date=birth.replace(year=birth.year + years), card_number=card,
        sex=Sex.FEMALE if len(words) % 2 else Sex.MALE, notes="ghi chú; có dấu phẩy, \"ngoặc\"",
    ),
    st.lists(_word, min_size=2, max_size=4),
    st.dates(dt.date(1930, 1, 1), dt.date(1990, 12, 28)).map(lambda d: d.replace(day=min(d.day, 28))),
    st.integers(18, 30),
    st.text("0123456789", min_size=4, max_size=10),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_member, min_size=1, max_size=8, unique_by=(lambda m: m.card_number, lambda m: m.full_name)))
def test_any_roster_exported_imports_back_into_an_empty_cell_identically(tmp_path_factory, roster):
    from app.domain.cell import CellInfo
    from app.services import cell
    from app.storage import db as storage

    folder = tmp_path_factory.mktemp("rt")
    storage.open_database(folder / "a.sqlite")
    cell.save_cell(CellInfo(name="Chi bộ A", superior_name="Đảng bộ xã B"))
    for m in roster:
        members.add_member(m, today=TODAY)
    original = [e.member for e in members.list_members()]
    roster_io.export_roster(folder / "a.xlsx", today=TODAY)
    storage.open_database(folder / "b.sqlite")
    cell.save_cell(CellInfo(name="Chi bộ A", superior_name="Đảng bộ xã B"))
    roster_io.apply_import(roster_io.preview_import(folder / "a.xlsx", today=TODAY), today=TODAY)
    copied = [e.member for e in members.list_members()]
    storage.close_database()
    strip = lambda m: {k: v for k, v in vars(m).items() if k != "id"}  # noqa: E731
    assert [strip(m) for m in copied] == [strip(m) for m in original]


def test_a_card_number_matching_someone_else_is_rejected_not_a_rename(cell_db, tmp_path):
    members.add_member(Member(full_name="Nguyễn Văn An", birth_date=dt.date(1970, 3, 5), card_number="12345678"),
                       today=TODAY)
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Ngày sinh,Số thẻ\nTạ Văn Mão,1/1/1980,12345678\n", encoding="utf-8")
    preview = roster_io.preview_import(path, today=TODAY)
    assert [r.row for r in preview.rejected] == [2]
    assert "Nguyễn Văn An" in preview.rejected[0].reason and "Tạ Văn Mão" in preview.rejected[0].reason
    assert [e.member.full_name for e in members.list_members()] == ["Nguyễn Văn An"]


def test_cli_dry_run_shows_each_change(cell_db, tmp_path, capsys):
    from app.cli import main

    members.add_member(Member(full_name="Nguyễn Văn Hùng", card_number="78198702"), today=TODAY)
    assert main(["--db", str(cell_db), "members", "import", str(SAMPLE_XLSX), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Dòng 8: cập nhật Nguyễn Văn Hùng — " in out and "Ngày sinh: ∅ → 13/03/1965" in out
    assert "Dòng 9: thêm Trần Thị Lan" in out
