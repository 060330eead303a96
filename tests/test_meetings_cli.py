"""The meetings command line end to end: the commands of issue 4, JSON listings, PDFs, and clear errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.storage import db as storage

from tests.conftest import needs_poppler
from tests.test_reports import assert_embedded_serif_only, flat, pdf_info, text_of

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path):
    path = tmp_path / "cli.sqlite"
    yield path
    storage.close_database()


def _run(capsys, db: Path, *args) -> tuple[int, str, str]:
    code = main(["--db", str(db), *[str(a) for a in args]])
    out = capsys.readouterr()
    return code, out.out, out.err


def _cell(capsys, db: Path) -> None:
    assert _run(capsys, db, "init", "--cell", "Chi bộ thôn Đông", "--superior", "Đảng bộ xã Hòa Bình",
                "--place", "Hòa Bình", "--term", "2025–2030", "--secretary", "Lê Văn Sơn")[0] == 0
    for name, admitted, official in (("Lê Văn Sơn", "15/03/1990", "15/03/1991"),
                                     ("Nguyễn Thị Ngọc Ánh", "23/03/2007", "23/03/2008"),
                                     ("Trần Văn Ất", "01/12/2025", None)):
        args = ["members", "add", "--name", name, "--admitted", admitted, "--post", "Bí thư chi bộ" if name ==
                "Lê Văn Sơn" else ""] + (["--official", official] if official else [])
        assert _run(capsys, db, *args)[0] == 0


@needs_poppler
def test_the_whole_month_from_the_command_line(db, capsys, tmp_path):
    _cell(capsys, db)
    code, out, err = _run(capsys, db, "meetings", "add", "--date", "2026-02-05", "--kind", "regular",
                          "--start", "19:30", "--end", "21:15", "--place", "Nhà văn hóa thôn Đông")
    assert code == 0, err
    meeting_id = int(out.strip())
    assert _run(capsys, db, "attendance", "set", meeting_id, 1, "present")[0] == 0
    assert _run(capsys, db, "attendance", "set", meeting_id, 2, "excused", "--reason", "Ốm")[0] == 0
    assert _run(capsys, db, "attendance", "set", meeting_id, 3, "absent")[0] == 0
    content = tmp_path / "danh-gia.txt"
    content.write_text("Chi bộ hoàn thành tốt nhiệm vụ tháng 01.\nNhân dân đón Tết vui tươi.", encoding="utf-8")
    code, _out, err = _run(capsys, db, "meetings", "edit", meeting_id, "--chair", 1, "--minute-taker", 2,
                           "--assessment", f"@{content}", "--votes-for", 1, "--votes-against", 0, "--posted", "yes")
    assert code == 0, err
    shown = json.loads(_run(capsys, db, "meetings", "show", meeting_id, "--json")[1])
    assert shown["counts"]["tong_so"] == 3 and shown["counts"]["co_mat"] == 1
    assert shown["counts"]["vang_co_ly_do"] == 1 and shown["counts"]["vang_khong_ly_do"] == 1
    assert shown["counts"]["chinh_thuc"] == 2 and shown["counts"]["du_bi"] == 1
    assert shown["assessment"].startswith("Chi bộ hoàn thành tốt") and shown["posted_to_handbook"] is True
    assert shown["duration_minutes"] == 105
    assert {a["member_id"]: a["mark"] for a in shown["attendance"]} == {1: "present", 2: "excused", 3: "absent"}
    listed = json.loads(_run(capsys, db, "meetings", "list", "--year", 2026, "--json")[1])
    assert [m["id"] for m in listed] == [meeting_id] and listed[0]["counts"]["co_mat"] == 1
    assert json.loads(_run(capsys, db, "meetings", "list", "--year", 2025, "--json")[1]) == []
    for form, number in (("minutes", "Số 01-BB/CB"), ("resolution", "Số 01-NQ/CB")):
        pdf = tmp_path / f"{form}.pdf"
        code, _out, err = _run(capsys, db, "print", form, meeting_id, "-o", pdf)
        assert code == 0, err
        text = flat(text_of(pdf))
        assert number in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Nhân dân đón Tết vui tươi." in text
        assert_embedded_serif_only(pdf)
    register = tmp_path / "so.pdf"
    assert _run(capsys, db, "print", "attendance", "--year", 2026, "-o", register)[0] == 0
    assert "Nguyễn Thị Ngọc Ánh" in text_of(register) and pdf_info(register)["Page size"].endswith("(A4)")
    numbers = json.loads(_run(capsys, db, "documents", "list", "--json")[1])
    assert [(n["doc_type"], n["number"], n["meeting_id"]) for n in numbers] == [("BB", 1, meeting_id),
                                                                              ("NQ", 1, meeting_id)]


def test_check_absences_json_flags_three_months(db, capsys):
    _cell(capsys, db)
    for month in (1, 2, 3, 4):
        meeting_id = int(_run(capsys, db, "meetings", "add", "--date", f"2026-{month:02d}-05", "--kind",
                              "regular")[1])
        _run(capsys, db, "attendance", "set", meeting_id, 2, "absent" if month != 2 else "excused")
        _run(capsys, db, "attendance", "all-present", meeting_id)
    code, out, _err = _run(capsys, db, "check", "absences", "--year", 2026, "--json")
    report = json.loads(out)
    assert code == 0 and report["threshold"] == 3
    anh = next(m for m in report["members"] if m["member_id"] == 2)
    assert anh["absent_months"] == ["2026-01", "2026-03", "2026-04"] and anh["flagged"] is True
    assert anh["excused_months"] == ["2026-02"] and anh["longest_absent_run"] == 2
    assert all(m["member_id"] == 2 for m in report["members"])
    calendar = json.loads(_run(capsys, db, "check", "meetings", "--year", 2026, "--json")[1])
    assert any("Quý 1/2026 không có buổi sinh hoạt chuyên đề" in w for w in calendar["warnings"])


def _state(capsys, db: Path) -> str:
    return _run(capsys, db, "meetings", "list", "--json")[1] + _run(capsys, db, "attendance", "list", 1, "--json")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["meetings", "add", "--date", "2026-03-05", "--kind", "regular", "--start", "20:00", "--end", "19:00"],
         "Giờ kết thúc: phải sau giờ bắt đầu"),
        (["meetings", "add", "--date", "2026-02-30", "--kind", "regular"], "--date"),
        (["meetings", "add", "--date", "2026-03-05", "--kind", "monthly"], "--kind"),
        (["meetings", "add", "--date", "2026-03-05", "--kind", "regular", "--start", "25:61"], "--start"),
        (["attendance", "set", 1, 99, "present"], "mã số 99"),
        (["attendance", "set", 42, 1, "present"], "buổi sinh hoạt mã số 42"),
        (["attendance", "set", 1, 1, "here"], "không phải cách điểm danh"),
        (["meetings", "show", 42, "--json"], "mã số 42"),
        (["meetings", "edit", 1, "--chair", 99], "Chủ trì"),
        (["print", "minutes", 42, "-o", "x.pdf"], "mã số 42"),
        (["print", "minutes", 1, "-o", "x.txt"], ".pdf"),
    ],
)
def test_bad_input_is_a_vietnamese_message_and_nothing_changes(db, capsys, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _cell(capsys, db)
    _run(capsys, db, "meetings", "add", "--date", "2026-02-05", "--kind", "regular")
    before = _state(capsys, db)
    code, _out, err = _run(capsys, db, *args)
    assert code == 1
    assert message in err and err.startswith("Lỗi")
    assert _state(capsys, db) == before
    assert not (tmp_path / "x.pdf").exists()


def test_attendance_for_a_member_not_yet_admitted_is_refused(db, capsys):
    _cell(capsys, db)
    meeting_id = int(_run(capsys, db, "meetings", "add", "--date", "2025-06-05", "--kind", "regular")[1])
    code, _out, err = _run(capsys, db, "attendance", "set", meeting_id, 3, "present")
    assert code == 1 and "Trần Văn Ất" in err and "05/06/2025" in err


def test_the_chibo_program_prints_the_new_id(db, tmp_path):
    env_run = [sys.executable, "-m", "app", "--db", str(db)]
    subprocess.run([*env_run, "init", "--cell", "Chi bộ A", "--superior", "Đảng bộ xã B"], cwd=ROOT, check=True,
                   capture_output=True)
    result = subprocess.run([*env_run, "meetings", "add", "--date", "2026-02-05", "--kind", "thematic"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "1"


# --- review fixes ------------------------------------------------------------------------------

def test_votes_beyond_the_official_members_are_refused_from_the_command_line(db, capsys):
    _cell(capsys, db)
    code, _out, err = _run(capsys, db, "meetings", "add", "--date", "2026-02-05", "--kind", "regular",
                           "--votes-for", 500)
    assert code == 1 and "Số tán thành" in err and "500" in err
    assert json.loads(_run(capsys, db, "meetings", "list", "--json")[1]) == []


def test_no_roll_for_a_meeting_that_has_not_happened(db, capsys):
    import datetime as dt

    _cell(capsys, db)
    later = dt.date.today() + dt.timedelta(days=30)
    code, out, err = _run(capsys, db, "meetings", "add", "--date", later.isoformat(), "--kind", "regular")
    assert code == 0, err
    meeting_id = int(out.strip())
    code, _out, err = _run(capsys, db, "attendance", "set", meeting_id, 1, "present")
    assert code == 1 and "chưa diễn ra" in err
    code, _out, err = _run(capsys, db, "attendance", "all-present", meeting_id)
    assert code == 1 and "chưa diễn ra" in err


def test_document_numbers_read_cleanly_and_stay_sane(db, capsys):
    _cell(capsys, db)
    first = int(_run(capsys, db, "meetings", "add", "--date", "2026-01-05", "--kind", "regular")[1])
    second = int(_run(capsys, db, "meetings", "add", "--date", "2026-02-05", "--kind", "regular")[1])
    assert _run(capsys, db, "documents", "set", first, "minutes", 14)[0] == 0
    code, _out, err = _run(capsys, db, "documents", "set", second, "minutes", 14)
    assert code == 1 and "14-BB/CB đã được dùng" in err and "số Số" not in err
    code, _out, err = _run(capsys, db, "documents", "set", second, "minutes", 999999999)
    assert code == 1 and "quá lớn" in err
    numbers = json.loads(_run(capsys, db, "documents", "list", "--json")[1])
    assert [(n["meeting_id"], n["number"]) for n in numbers] == [(first, 14)]


def test_yearly_books_are_not_printed_for_years_without_records(db, capsys, tmp_path):
    import datetime as dt

    _cell(capsys, db)
    next_year = dt.date.today().year + 1
    for form, year, text in (("attendance", 1800, "chưa có dữ liệu trước năm 1990"),
                             ("attendance", next_year, "chưa đến"), ("fee-book", next_year, "chưa đến"),
                             ("fee-book", 1989, "trước năm 1990")):
        pdf = tmp_path / f"{form}-{year}.pdf"
        code, out, err = _run(capsys, db, "print", form, "--year", year, "-o", pdf)
        assert code == 1 and text in err and not pdf.exists(), (form, year, err)
        assert list(tmp_path.glob("*.pdf")) == []


def test_show_prints_vietnamese_labels_and_dates(db, capsys):
    _cell(capsys, db)
    meeting_id = int(_run(capsys, db, "meetings", "add", "--date", "2026-02-05", "--kind", "regular")[1])
    assert _run(capsys, db, "attendance", "set", meeting_id, 1, "present")[0] == 0
    code, out, err = _run(capsys, db, "meetings", "show", meeting_id)
    assert code == 0, err
    assert out.startswith("05/02/2026") and "2026-02-05" not in out
    assert "Tổng số: 3" in out and "Có mặt: 1" in out and "Tỷ lệ dự họp: 33,3 %" in out
    assert "tong_so" not in out and "co_mat" not in out and "ty_le_du_hop" not in out
    shown = json.loads(_run(capsys, db, "meetings", "show", meeting_id, "--json")[1])
    assert shown["date"] == "2026-02-05" and shown["counts"]["tong_so"] == 3


@needs_poppler
def test_an_old_meeting_is_numbered_in_date_order_or_refused_with_the_way_out(db, capsys, tmp_path):
    _cell(capsys, db)
    ids = {day: int(_run(capsys, db, "meetings", "add", "--date", day, "--kind", "regular", "--agenda", "Khai mạc.")[1])
           for day in ("2026-01-05", "2026-02-05", "2026-03-05")}
    pdf = tmp_path / "nq.pdf"
    for day in ("2026-01-05", "2026-03-05"):
        code, out, err = _run(capsys, db, "print", "resolution", ids[day], "-o", pdf)
        assert code == 0, err
        # Nothing typed in the sections: a warning line, and the paper is still made with dotted lines.
        assert "Lưu ý: Nghị quyết ngày" in out and "còn trống: Đánh giá kết quả tháng trước" in out
    # February, printed after March took 02: no number is left between 01 and 02.
    code, out, err = _run(capsys, db, "print", "resolution", ids["2026-02-05"], "-o", tmp_path / "feb.pdf")
    assert code == 1 and not (tmp_path / "feb.pdf").exists()
    assert "Số 01-NQ/CB (05/01/2026) và Số 02-NQ/CB (05/03/2026) đã liền nhau" in err
    assert f"chibo documents set {ids['2026-02-05']} resolution 3" in err
    numbers = json.loads(_run(capsys, db, "documents", "list", "--json")[1])
    assert [(n["meeting_id"], n["number"]) for n in numbers] == [(ids["2026-01-05"], 1), (ids["2026-03-05"], 2)]
    # The way out: the paper register says March is 03; February then takes the gap, 02, in date order.
    assert _run(capsys, db, "documents", "set", ids["2026-03-05"], "resolution", 3)[0] == 0
    code, out, err = _run(capsys, db, "print", "resolution", ids["2026-02-05"], "-o", tmp_path / "feb.pdf")
    assert code == 0, err
    assert "Số 02-NQ/CB" in flat(text_of(tmp_path / "feb.pdf"))
    # A number set by hand out of date order is allowed, said, and noted in the register of documents.
    later = int(_run(capsys, db, "meetings", "add", "--date", "2026-04-05", "--kind", "regular")[1])
    code, _out, err = _run(capsys, db, "documents", "set", later, "resolution", 1)
    assert code == 1 and "01-NQ/CB đã được dùng" in err
    code, out, _err = _run(capsys, db, "documents", "set", ids["2026-01-05"], "minutes", 5)
    assert code == 0 and "không theo thứ tự ngày" not in out
    code, out, _err = _run(capsys, db, "documents", "set", ids["2026-02-05"], "minutes", 4)
    assert code == 0 and "Lưu ý: số này không theo thứ tự ngày" in out
    register = tmp_path / "so-van-ban.pdf"
    code, _out, err = _run(capsys, db, "print", "document-register", "-o", register)
    assert code == 0, err
    text = flat(text_of(register))
    assert pdf_info(register)["Page size"].startswith("841.89 x 595.276")
    for expected in ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Nhiệm kỳ 2025–2030", "Nghị quyết (NQ)", "Biên bản (BB)",
                     "01-NQ/CB 05/01/2026 Nghị quyết Lãnh đạo thực hiện nhiệm vụ tháng 01 năm 2026",
                     "02-NQ/CB 05/02/2026", "03-NQ/CB 05/03/2026", "T/M CHI BỘ"):
        assert expected in text, expected
    # 05-BB/CB, dated January, stands after 04-BB/CB of February.
    assert text.count("Không theo thứ tự ngày") == 1
    assert "05-BB/CB 05/01/2026 Biên bản Sinh hoạt thường kỳ tháng 01 năm 2026 Không theo thứ tự ngày" in text
    assert_embedded_serif_only(register)
