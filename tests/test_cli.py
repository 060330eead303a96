"""The `chibo` command line end to end: the same services, JSON listings, clear errors."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.storage import db as storage

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path):
    path = tmp_path / "cli.sqlite"
    yield path
    storage.close_database()


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_add_list_json_in_roster_order(db, capsys):
    assert _run(capsys, "--db", db, "init", "--cell", "Chi bộ thôn Đông", "--superior", "Đảng bộ xã Hòa Bình")[0] == 0
    for name, card in (("Nguyễn Văn Hùng", "1"), ("Đặng Văn Đông", "2"), ("Âu Thị Ư", "3")):
        code, _, err = _run(capsys, "--db", db, "members", "add", "--name", name, "--card", card,
                            "--birth", "05/02/1980", "--admitted", "10/03/2010", "--official", "10/03/2011")
        assert code == 0, err
    code, out, _ = _run(capsys, "--db", db, "members", "list", "--json")
    rows = json.loads(out)
    assert [r["full_name"] for r in rows] == ["Đặng Văn Đông", "Nguyễn Văn Hùng", "Âu Thị Ư"]
    assert {"id", "full_name", "status", "birth_date", "card_number"} <= set(rows[0])
    assert rows[0]["birth_date"] == "1980-02-05" and rows[0]["status"] == "chinh_thuc"
    code, out, _ = _run(capsys, "--db", db, "members", "list", "--search", "dang van dong", "--json")
    assert [r["full_name"] for r in json.loads(out)] == ["Đặng Văn Đông"]


def test_status_change_and_history_through_the_command_line(db, capsys):
    _run(capsys, "--db", db, "init", "--cell", "Chi bộ A", "--superior", "Đảng bộ xã B")
    _run(capsys, "--db", db, "members", "add", "--name", "Trần Thị Lan", "--admitted", "03/01/1992",
         "--official", "03/01/1993")
    code, _, err = _run(capsys, "--db", db, "members", "status", "1", "Từ trần", "--date", "01/10/2026",
                        "--reason", "Từ trần do bệnh")
    assert code == 0, err
    code, out, _ = _run(capsys, "--db", db, "members", "list", "--status", "tu_tran", "--json")
    assert [r["full_name"] for r in json.loads(out)] == ["Trần Thị Lan"]
    assert json.loads(_run(capsys, "--db", db, "members", "list", "--json")[1]) == []
    history = json.loads(_run(capsys, "--db", db, "members", "history", "1", "--json")[1])
    assert [h["status"] for h in history["status_history"]] == ["du_bi", "chinh_thuc", "tu_tran"]
    assert history["status_history"][-1]["reason"] == "Từ trần do bệnh"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["members", "add", "--name", "Lê Văn A", "--birth", "30/02/1980"], "--birth"),
        (["members", "add", "--name", "Lê Văn A", "--admitted", "01/01/2030"], "tương lai"),
        (["members", "show", "42"], "mã số 42"),
        (["members", "status", "1", "bay_di", "--date", "01/01/2026", "--reason", "x"], "không có"),
        (["members", "list", "--status", "khong_co"], "không có"),
    ],
)
def test_bad_input_is_a_vietnamese_message_and_nothing_changes(db, capsys, args, message):
    _run(capsys, "--db", db, "init", "--cell", "Chi bộ A", "--superior", "Đảng bộ xã B")
    _run(capsys, "--db", db, "members", "add", "--name", "Trần Thị Lan", "--admitted", "03/01/1992")
    before = json.loads(_run(capsys, "--db", db, "members", "list", "--json")[1])
    code, _, err = _run(capsys, "--db", db, *args)
    assert code == 1
    assert message in err
    assert json.loads(_run(capsys, "--db", db, "members", "list", "--json")[1]) == before


def test_init_twice_is_refused(db, capsys):
    _run(capsys, "--db", db, "init", "--cell", "Chi bộ A", "--superior", "Đảng bộ xã B")
    code, _, err = _run(capsys, "--db", db, "init", "--cell", "Chi bộ C", "--superior", "Đảng bộ xã D")
    assert code == 1 and "cell set" in err
    assert json.loads(_run(capsys, "--db", db, "cell", "show", "--json")[1])["name"] == "Chi bộ A"


def test_demo_export_and_archive(db, capsys, tmp_path):
    assert _run(capsys, "--db", db, "demo")[0] == 0
    rows = json.loads(_run(capsys, "--db", db, "members", "list", "--status", "all", "--json")[1])
    assert len(rows) == 35
    assert {"du_bi", "chinh_thuc", "mien_sinh_hoat", "chuyen_di", "tu_tran"} <= {r["status"] for r in rows}
    assert _run(capsys, "--db", db, "demo")[0] == 1  # never over existing members
    out = tmp_path / "ds.xlsx"
    code, text, _ = _run(capsys, "--db", db, "members", "export", out)
    assert code == 0 and out.exists()
    member_id = rows[0]["id"]
    assert _run(capsys, "--db", db, "members", "archive", member_id, "--reason", "Nhập trùng")[0] == 0
    listed = json.loads(_run(capsys, "--db", db, "members", "list", "--status", "all", "--json")[1])
    assert member_id not in {r["id"] for r in listed}
    assert _run(capsys, "--db", db, "members", "restore", member_id)[0] == 0


def test_a_database_file_that_is_not_one_is_refused_by_the_command_line(tmp_path, capsys):
    path = tmp_path / "x.sqlite"
    path.write_text("không phải cơ sở dữ liệu")
    code, _, err = _run(capsys, "--db", path, "members", "list")
    assert code == 1 and "không phải cơ sở dữ liệu" in err
    assert path.read_text() == "không phải cơ sở dữ liệu"


def test_the_installed_entry_point_runs_commands_without_loading_qt(tmp_path):
    db = tmp_path / "e.sqlite"
    code = (
        "import sys; from ui.launch import main; rc = main(sys.argv[1:]);"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'; sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code, "--db", str(db), "demo"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 35


def test_a_mistyped_db_path_is_an_error_not_a_new_empty_cell(tmp_path, capsys):
    missing = tmp_path / "go-nham.sqlite"
    code, _out, err = _run(capsys, "--db", missing, "members", "list")
    assert code == 1 and "chibo init" in err and not missing.exists()
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    assert _run(capsys, "--db", empty, "check-db")[0] == 1 and empty.read_bytes() == b""


def test_a_failed_init_leaves_no_file_and_a_cell_is_needed_for_members(tmp_path, capsys):
    path = tmp_path / "moi.sqlite"
    code, _out, err = _run(capsys, "--db", path, "init", "--cell", "", "--superior", "Đảng bộ xã B")
    assert code == 1 and "Tên chi bộ" in err
    assert list(tmp_path.iterdir()) == []
    from app.storage.db import open_database

    open_database(path)
    storage.close_database()
    code, _out, err = _run(capsys, "--db", path, "members", "add", "--name", "Trần Thị Lan")
    assert code == 1 and "chưa có chi bộ" in err


def test_command_line_usage_errors_are_vietnamese(capsys):
    with pytest.raises(SystemExit) as info:
        main(["members", "edit", "abc"])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert "Cách dùng:" in err and "«abc» không phải số nguyên" in err
    with pytest.raises(SystemExit):
        main(["members", "status", "1", "chuyen_di", "--reason", "Chuyển sinh hoạt"])
    assert "thiếu tham số bắt buộc: --date" in capsys.readouterr().err


def test_members_status_refuses_what_the_rules_forbid_and_takes_the_vote_date(db, capsys):
    _run(capsys, "--db", db, "init", "--cell", "Chi bộ A", "--superior", "Đảng bộ xã B")
    assert _run(capsys, "--db", db, "members", "add", "--name", "Trần Văn Ất", "--birth", "05/04/1990",
                "--admitted", "01/01/2020", "--ceremony", "10/01/2020")[0] == 0
    code, _out, err = _run(capsys, "--db", db, "members", "status", "1", "chinh_thuc", "--date", "01/06/2020",
                           "--vote-date", "05/06/2020")
    assert code == 1 and "chỉ được công nhận chính thức từ ngày 10/01/2021, đủ 12 tháng dự bị" in err
    code, _out, err = _run(capsys, "--db", db, "members", "status", "1", "chinh_thuc", "--date", "10/01/2021")
    assert code == 1 and "Ngày chi bộ biểu quyết" in err
    code, out, err = _run(capsys, "--db", db, "members", "status", "1", "chinh_thuc", "--date", "10/01/2021",
                          "--vote-date", "20/01/2021")
    assert code == 0, err
    assert "10/01/2021" in out
    history = json.loads(_run(capsys, "--db", db, "members", "history", "1", "--json")[1])["status_history"]
    assert [h["status"] for h in history] == ["du_bi", "chinh_thuc"]
    assert history[-1]["reason"] == "Chi bộ biểu quyết ngày 20/01/2021; Công nhận đảng viên chính thức"
    code, _out, err = _run(capsys, "--db", db, "members", "status", "1", "khai_tru", "--date", "01/01/2019",
                           "--reason", "x")
    assert code == 1 and "trước ngày vào Đảng" in err


def test_members_add_says_how_the_member_began_activity_here(db, capsys):
    _run(capsys, "--db", db, "init", "--cell", "Chi bộ A", "--superior", "Đảng bộ xã B")
    code, _out, err = _run(capsys, "--db", db, "members", "add", "--name", "Trần Văn Ất", "--birth", "05/04/1990")
    assert code == 1 and "Ngày vào Đảng (quyết định kết nạp): cần ghi" in err
    code, _out, err = _run(capsys, "--db", db, "members", "add", "--name", "Trần Văn Ất", "--admitted", "01/01/2020",
                           "--transfer-date", "01/10/2026")
    assert code == 1 and "--joined-cell transferred" in err
    code, out, err = _run(capsys, "--db", db, "members", "add", "--name", "Nguyễn Văn Hùng", "--birth", "07/06/1985",
                          "--admitted", "01/03/2014", "--official", "20/03/2015", "--joined-cell", "transferred",
                          "--transfer-number", "125-GGT/ĐU", "--transfer-date", "01/10/2025", "--json")
    assert code == 0, err
    member_id = json.loads(out)["id"]
    history = json.loads(_run(capsys, "--db", db, "members", "history", member_id, "--json")[1])["status_history"]
    assert [(h["status"], h["effective_date"], h["reason"]) for h in history] == [
        ("chinh_thuc", "2025-10-01", "Chuyển đến, giấy giới thiệu số 125-GGT/ĐU ngày 01/10/2025")]
