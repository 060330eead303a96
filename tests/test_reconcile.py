"""Đối chiếu with the superior's list: matching on each key, every kind of difference, hostile files, the command."""
from __future__ import annotations

import datetime as dt
import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.domain.members import Member, MemberStatus
from app.domain.reconcile import Incoming, Key, Kind, read_status, reconcile
from app.services import members as member_service
from app.services import reconcile as service
from app.services.errors import ServiceError
from tests.conftest import TODAY
from tests.helpers import hostile_files

CELL = "Chi bộ thôn Đông"
HEADERS = ["STT", "Họ và tên", "Số thẻ", "Số CCCD/CMND", "Ngày sinh", "Ngày kết nạp", "Chi bộ", "Trạng thái"]


def ours(member_id: int, name: str, *, status: MemberStatus = MemberStatus.OFFICIAL, **values) -> Member:
    return Member(full_name=name, id=member_id, status=status, **values)


AN = ours(1, "Nguyễn Văn An", birth_date=dt.date(1980, 1, 2), admission_date=dt.date(2010, 3, 4),
          card_number="11112222", citizen_id="001080001234")
BINH = ours(2, "Lê Thị Bình", birth_date=dt.date(1975, 5, 6), card_number="33334444")
CUONG = ours(3, "Trần Văn Cường", birth_date=dt.date(1990, 7, 8))


def row(number: int, name: str = "", **values) -> Incoming:
    return Incoming(number, full_name=name, **values)


# --- domain: the keys -------------------------------------------------------------------------


def test_citizen_id_matches_on_its_digits_whatever_else_differs():
    report = reconcile([AN, BINH], [row(5, "Nguyễn Văn Ân", citizen_id="001.080.001234", card_number="99")], CELL)
    assert [(m.row, m.member_id, m.key) for m in report.matched] == [(5, 1, Key.CITIZEN_ID)]
    different = report.of_kind(Kind.DIFFERENT)[0]
    assert [f.field for f in different.fields] == ["full_name", "card_number"]
    assert different.field("card_number").ours == "11112222" and different.field("card_number").theirs == "99"


def test_citizen_id_comes_before_the_card_number():
    # The card is Bình's, the citizen ID An's: the ID decides, and the card is a difference on An.
    report = reconcile([AN, BINH], [row(4, "Nguyễn Văn An", citizen_id="001080001234", card_number="33334444")],
                       CELL)
    assert [(m.member_id, m.key) for m in report.matched] == [(1, Key.CITIZEN_ID)]
    assert report.of_kind(Kind.DIFFERENT)[0].field("card_number").theirs == "33334444"


def test_card_number_matches_with_spaces_removed_when_there_is_no_citizen_id():
    report = reconcile([AN, BINH], [row(7, "Lê Thị Bình", card_number="3333 4444")], CELL)
    assert [(m.member_id, m.key) for m in report.matched] == [(2, Key.CARD_NUMBER)]
    assert report.of_kind(Kind.DIFFERENT) == []


def test_an_unknown_citizen_id_falls_back_to_the_card_then_the_name_and_birth_date():
    report = reconcile([AN, CUONG], [
        row(3, "Nguyễn Văn An", citizen_id="079999999999", card_number="11112222"),
        row(4, "TRẦN  văn cường", birth_date=dt.date(1990, 7, 8)),
    ], CELL)
    assert [(m.row, m.member_id, m.key) for m in report.matched] == [(3, 1, Key.CARD_NUMBER), (4, 3, Key.NAME_BIRTH)]
    # Case and spacing are no difference; the citizen ID they hold and we do not have is.
    assert [(d.member.id, [f.field for f in d.fields]) for d in report.of_kind(Kind.DIFFERENT)] == [(1, ["citizen_id"])]


def test_the_name_alone_does_not_match_without_the_birth_date():
    report = reconcile([CUONG], [row(4, "Trần Văn Cường")], CELL)
    assert report.matched == []
    assert [d.kind for d in report.differences] == [Kind.MISSING_HERE, Kind.MISSING_THERE]


# --- domain: each kind ------------------------------------------------------------------------


def test_missing_here_and_missing_there_name_the_row_and_the_member():
    left = ours(4, "Phạm Văn Đi", status=MemberStatus.TRANSFERRED_OUT, birth_date=dt.date(1960, 1, 1))
    report = reconcile([AN, left], [row(9, "Hoàng Văn Mới", birth_date=dt.date(1985, 1, 1))], CELL)
    here, there = report.of_kind(Kind.MISSING_HERE), report.of_kind(Kind.MISSING_THERE)
    assert [(d.row, d.incoming.full_name) for d in here] == [(9, "Hoàng Văn Mới")]
    # Only a member in the cell now is looked for; one who transferred out is not missing there.
    assert [d.member.id for d in there] == [1]
    assert "Dòng 9" in here[0].describe() and "Hoàng Văn Mới" in here[0].describe()
    assert "Nguyễn Văn An" in there[0].describe() and "mã số 1" in there[0].describe()


def test_different_lists_each_field_that_differs_and_an_empty_cell_of_theirs_says_nothing():
    report = reconcile([AN], [row(4, "Nguyễn Văn An", citizen_id="001080001234", card_number="",
                                  birth_date=dt.date(1980, 1, 3), admission_date=dt.date(2010, 3, 4),
                                  status_text="Dự bị")], CELL)
    different = report.of_kind(Kind.DIFFERENT)
    assert len(different) == 1 and different[0].row == 4 and different[0].key is Key.CITIZEN_ID
    assert [(f.field, f.ours, f.theirs, f.takeable) for f in different[0].fields] == [
        ("birth_date", dt.date(1980, 1, 2), dt.date(1980, 1, 3), True),
        ("status", MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, False)]
    text = different[0].describe()
    assert text.startswith("Dòng 4:") and "Nguyễn Văn An" in text and "03/01/1980" in text


def test_an_unknown_status_word_is_a_warning_not_a_difference():
    report = reconcile([AN], [row(4, citizen_id="001080001234", status_text="Đang công tác xa")], CELL)
    assert report.of_kind(Kind.DIFFERENT) == []
    assert any("Dòng 4" in w and "Đang công tác xa" in w for w in report.warnings)
    assert read_status("Đảng viên chính thức") is MemberStatus.OFFICIAL
    assert read_status("Miễn SH") is MemberStatus.EXEMPT


def test_other_cell_only_when_the_list_holds_several_cells():
    theirs = [row(3, "Nguyễn Văn An", citizen_id="001080001234", cell_name="Chi bộ thôn Tây"),
              row(4, "Lê Thị Bình", card_number="33334444", cell_name="CB Thôn Đông"),
              row(5, "Người Chi Bộ Khác", birth_date=dt.date(1970, 1, 1), cell_name="Chi bộ thôn Tây")]
    report = reconcile([AN, BINH], theirs, CELL)
    other = report.of_kind(Kind.OTHER_CELL)
    assert [(d.row, d.member.id, d.incoming.cell_name) for d in other] == [(3, 1, "Chi bộ thôn Tây")]
    # A stranger of another cell is not ours to miss; our member listed elsewhere is not missing there.
    assert report.of_kind(Kind.MISSING_HERE) == [] and report.other_cell_rows == 1
    assert report.of_kind(Kind.MISSING_THERE) == []
    # One cell named on every row (spelt their way) is no other cell.
    single = reconcile([AN], [row(3, citizen_id="001080001234", cell_name="Chi bộ Thôn Tây")], CELL)
    assert single.of_kind(Kind.OTHER_CELL) == []


def test_ambiguous_when_two_of_ours_match_one_row_or_two_rows_one_of_ours():
    twin_a = ours(5, "Nguyễn Thị Hoa", birth_date=dt.date(1970, 2, 2))
    twin_b = ours(6, "Nguyễn Thị Hoa", birth_date=dt.date(1970, 2, 2))
    report = reconcile([twin_a, twin_b, AN], [
        row(3, "Nguyễn Thị Hoa", birth_date=dt.date(1970, 2, 2)),
        row(4, "Nguyễn Văn An", citizen_id="001080001234"),
        row(5, "Nguyễn Văn An", card_number="11112222"),
    ], CELL)
    ambiguous = report.of_kind(Kind.AMBIGUOUS)
    assert [(d.row, sorted(m.id for m in d.candidates), d.key) for d in ambiguous[:1]] == [
        (3, [5, 6], Key.NAME_BIRTH)]
    assert (ambiguous[1].row, ambiguous[1].member.id, ambiguous[1].other_row) == (5, 1, 4)
    assert "dòng 4" in ambiguous[1].describe()
    # The twins are not reported missing: the row names them, it only cannot tell which.
    assert report.of_kind(Kind.MISSING_THERE) == []


# --- reading their file -----------------------------------------------------------------------


def write_list(path: Path, rows: list[list], headers: list[str] = HEADERS, title: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["ĐẢNG ỦY XÃ HÒA BÌNH"])
        sheet.append(["DANH SÁCH ĐẢNG VIÊN"])
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


def add(name: str, **values) -> Member:
    return member_service.add_member(Member(full_name=name, **values), today=TODAY).member


def test_read_list_finds_the_header_under_titles_and_stops_at_the_total(tmp_path):
    path = write_list(tmp_path / "ds.xlsx", [
        [1, "nguyễn  văn an", "1111 2222", 1080001234, dt.datetime(1980, 1, 2), "04/03/2010", CELL, "Chính thức"],
        [2, "Lê Thị Bình", "33334444", "", "06/05/1975", "", CELL, "Dự bị"],
        [],
        ["", "Tổng số: 2 đồng chí"],
        ["", "Người lập biểu"],
    ])
    theirs, warnings = service.read_list(path)
    assert warnings == []
    assert [(r.row, r.full_name) for r in theirs] == [(4, "Nguyễn Văn An"), (5, "Lê Thị Bình")]
    first = theirs[0]
    # Excel kept the CCCD as a number and lost its leading zeros; they come back.
    assert (first.card_number, first.citizen_id, first.birth_date, first.admission_date) == (
        "11112222", "001080001234", dt.date(1980, 1, 2), dt.date(2010, 3, 4))
    assert (first.cell_name, first.status_text) == (CELL, "Chính thức")


def test_a_malformed_cell_is_a_warning_naming_the_row_and_column(cell_db, tmp_path):
    path = write_list(tmp_path / "loi.xlsx", [
        [1, "Nguyễn Văn An", "", "không có", "31/02/1980", "hôm qua", CELL, ""],
        [2, "", "", "", "01/01/1970", "", "", ""],
        [3, "=HYPERLINK(\"http://x.example\")", "", "", "01/01/1971", "", "", ""],
    ], title=False)
    theirs, warnings = service.read_list(path)
    assert "Dòng 2, cột «Ngày sinh»: «31/02/1980» không phải ngày hợp lệ (dd/mm/yyyy); bỏ qua ô này." in warnings
    assert any(w.startswith("Dòng 2, cột «Ngày kết nạp»: «hôm qua»") for w in warnings)
    assert any(w.startswith("Dòng 2, cột «Số CCCD/CMND»: «không có»") for w in warnings)
    assert any(w.startswith("Dòng 3:") for w in warnings)
    # A formula is never read or run: its row has no name, and is said to be left out.
    assert any(w.startswith("Dòng 4:") for w in warnings)
    assert [(r.row, r.birth_date, r.citizen_id) for r in theirs] == [(2, None, "")]
    report = service.compare(path)
    assert report.warnings[:len(warnings)] == warnings


@pytest.mark.parametrize("make", [hostile_files.shared_strings_bomb, hostile_files.lying_header])
def test_a_hostile_workbook_is_refused_with_a_message(cell_db, tmp_path, make):
    path = make(tmp_path / "doc.xlsx")
    with pytest.raises(ServiceError) as caught:
        service.compare(path)
    assert "doc.xlsx" in str(caught.value)


def test_a_file_without_the_columns_is_refused_with_a_message(cell_db, tmp_path):
    path = write_list(tmp_path / "khac.xlsx", [["a", "b"]], headers=["Tên hàng", "Giá"])
    with pytest.raises(ServiceError, match="Họ và tên"):
        service.compare(path)
    garbage = tmp_path / "hong.xlsx"
    garbage.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ServiceError, match="hong.xlsx"):
        service.compare(garbage)


def test_text_in_an_old_encoding_is_converted_and_the_conversion_reported(tmp_path, monkeypatch):
    @dataclass
    class ColumnConversion:
        encoding: str
        values: list[str]
        changed: int

    def convert_column(values: list[str]) -> ColumnConversion:
        fixed = [v.replace("NguyÔn", "Nguyễn") for v in values]
        return ColumnConversion("TCVN3", fixed, sum(a != b for a, b in zip(values, fixed)))

    legacy = types.ModuleType("app.domain.legacy_text")
    legacy.convert_column = convert_column
    monkeypatch.setitem(sys.modules, "app.domain.legacy_text", legacy)
    path = write_list(tmp_path / "cu.xlsx", [[1, "NguyÔn Văn An", "11112222", "", "02/01/1980", "", "", ""]])
    theirs, warnings = service.read_list(path)
    assert theirs[0].full_name == "Nguyễn Văn An"
    assert warnings == ["Cột «Họ và tên»: 1 ô được chuyển từ bảng mã TCVN3 sang Unicode."]


def test_a_csv_list_is_read_too(cell_db, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên;Số thẻ đảng viên;Ngày sinh\nLê Thị Bình;33334444;06/05/1975\n", encoding="utf-8")
    add("Lê Thị Bình", birth_date=dt.date(1975, 5, 6), card_number="33334444")
    report = service.compare(path)
    assert report.differences == [] and [m.key for m in report.matched] == [Key.CARD_NUMBER]


# --- the command line and taking their values ---------------------------------------------------


@pytest.fixture
def cell_list(cell_db, tmp_path):
    an = add("Nguyễn Văn An", birth_date=dt.date(1980, 1, 2), admission_date=dt.date(2010, 3, 4),
             card_number="11112222", citizen_id="001080001234")
    binh = add("Lê Thị Bình", birth_date=dt.date(1975, 5, 6), admission_date=dt.date(2000, 1, 1))
    path = write_list(tmp_path / "cap-tren.xlsx", [
        [1, "Nguyễn Văn An", "11112223", "001080001234", "02/01/1980", "05/03/2010", CELL, ""],
        [2, "Trần Văn Mới", "", "", "01/01/1990", "", CELL, ""],
    ])
    return cell_db, path, an, binh


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_prints_the_report_as_json_and_changes_nothing(cell_list, capsys):
    db, path, an, binh = cell_list
    code, out, err = run(capsys, "--db", db, "reconcile", path, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["counts"]["different"] == 1 and data["counts"]["missing_here"] == 1
    assert data["counts"]["missing_there"] == 1
    different = next(d for d in data["differences"] if d["kind"] == "different")
    assert (different["row"], different["member_id"], different["matched_by"]) == (4, an.id, "citizen_id")
    assert [(f["field"], f["ours"], f["theirs"]) for f in different["fields"]] == [
        ("card_number", "11112222", "11112223"), ("admission_date", "2010-03-04", "2010-03-05")]
    assert next(d for d in data["differences"] if d["kind"] == "missing_there")["member_id"] == binh.id
    assert member_service.get_member(an.id).card_number == "11112222"


def test_the_command_prints_vietnamese_lines_counts_first(cell_list, capsys):
    db, path, an, _binh = cell_list
    code, out, _err = run(capsys, "--db", db, "reconcile", path)
    lines = out.splitlines()
    assert code == 0 and "khác thông tin 1" in lines[1]
    assert any(line.startswith("Dòng 4:") and "Nguyễn Văn An" in line and "11112223" in line for line in lines)
    assert any(line.startswith("Dòng 5:") and "Trần Văn Mới" in line for line in lines)


def test_take_changes_exactly_the_field_chosen_and_writes_a_history_entry(cell_list, capsys):
    db, path, an, _binh = cell_list
    before = member_service.member_history(an.id)
    code, out, err = run(capsys, "--db", db, "reconcile", path, "--take", f"{an.id}:card_number")
    assert code == 0, err
    after = member_service.get_member(an.id)
    assert after.card_number == "11112223"
    assert after.admission_date == dt.date(2010, 3, 4)  # differs too, but was not chosen
    new = member_service.member_history(an.id)[len(before):]
    assert [(e["action"], e["changes"], e["reason"]) for e in new] == [
        ("update", {"card_number": ["11112222", "11112223"]}, "Đối chiếu với danh sách của cấp trên")]
    assert "Đã lấy giá trị của cấp trên" in out


def test_take_refuses_a_field_that_does_not_differ_or_cannot_be_taken(cell_list, capsys):
    db, path, an, _binh = cell_list
    code, _out, err = run(capsys, "--db", db, "reconcile", path, "--take", f"{an.id}:citizen_id")
    assert code == 1 and "không khác cấp trên" in err
    code, _out, err = run(capsys, "--db", db, "reconcile", path, "--take", f"{an.id}:status")
    assert code == 1 and "tình trạng" in err
    code, _out, err = run(capsys, "--db", db, "reconcile", path, "--take", "abc")
    assert code == 1 and "--take" in err
    assert all(e["reason"] != "Đối chiếu với danh sách của cấp trên" for e in member_service.member_history(an.id))
    assert member_service.get_member(an.id).card_number == "11112222"


def test_apply_choices_is_one_transaction_and_says_which_members_changed(cell_list):
    _db, path, an, binh = cell_list
    report = service.compare(path)
    outcome = service.apply_choices(report, [service.Choice(an.id, "card_number"),
                                             service.Choice(an.id, "admission_date")], today=TODAY)
    assert outcome.changes.members == {an.id}
    saved = member_service.get_member(an.id)
    assert (saved.card_number, saved.admission_date) == ("11112223", dt.date(2010, 3, 5))
    # A report older than the record: refused whole, nothing written.
    member_service.update_member(an.id, Member(**{**vars(saved), "admission_date": dt.date(2010, 3, 6)}),
                                 today=TODAY)
    with pytest.raises(ServiceError, match="đối chiếu lại"):
        service.apply_choices(report, [service.Choice(an.id, "admission_date")], today=TODAY)
    assert member_service.get_member(an.id).admission_date == dt.date(2010, 3, 6)
    with pytest.raises(ServiceError):
        service.apply_choices(report, [], today=TODAY)
