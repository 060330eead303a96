"""`chibo fees …` end to end: the commands of issue 5, JSON listings, clear Vietnamese errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.storage import db as storage


@pytest.fixture
def db(tmp_path: Path):
    path = tmp_path / "cli.sqlite"
    assert main(["--db", str(path), "init", "--cell", "Chi bộ thôn Đông", "--superior", "Đảng bộ xã Hòa Bình"]) == 0
    yield path
    storage.close_database()


def run(capsys, db, *args) -> tuple[int, str, str]:
    code = main(["--db", str(db), *[str(a) for a in args]])
    out = capsys.readouterr()
    return code, out.out, out.err


def add_member(capsys, db, name="Trần Thị Lan", admitted="03/01/1992", official="03/01/1993", birth="02/10/1968"):
    code, out, err = run(capsys, db, "members", "add", "--name", name, "--birth", birth, "--sex", "Nữ",
                         "--admitted", admitted, "--official", official, "--json")
    assert code == 0, err
    return json.loads(out)["id"]


def test_profile_due_pay_arrears(db, capsys):
    member = add_member(capsys, db)
    code, _, err = run(capsys, db, "fees", "profile", member, "--category", "bhxh", "--from", "2026-01",
                       "--basis", "8.000.000")
    assert code == 0, err
    code, out, _ = run(capsys, db, "fees", "due", member, "2026-02", "--json")
    data = json.loads(out)
    assert data["due"] == 80_000 and isinstance(data["due"], int)
    assert data["rule"] == "01.bhxh" and data["regime"] == "01-QĐ/TW"
    assert "tiền lương đóng BHXH tháng 01/2026" in data["explanation"]
    code, out, _ = run(capsys, db, "fees", "due", member, "2026-01", "--json")
    assert json.loads(out)["regime"] == "342-QĐ/TW"
    code, out, err = run(capsys, db, "fees", "pay", member, "--amount", "80000", "--month", "2026-02",
                         "--date", "05/02/2026", "--json")
    assert code == 0, err
    assert json.loads(out)["receipt_no"] == 1
    code, out, _ = run(capsys, db, "fees", "pay", member, "--amount", "160.000", "--month", "2026-03", "--to", "2026-04",
                       "--channel", "portal", "--reference", "DVC123", "--date", "06/03/2026")
    assert code == 0
    code, out, _ = run(capsys, db, "fees", "arrears", "--year", "2026", "--json")
    rows = json.loads(out)
    assert len(rows) == 1 and rows[0]["member_id"] == member
    assert {"arrears", "months", "late_months", "flag"} <= set(rows[0])
    assert rows[0]["months"][0]["month"] == "2026-01"
    code, out, _ = run(capsys, db, "fees", "payments", "--year", "2026", "--json")
    assert [p["channel"] for p in json.loads(out)] == ["cash", "portal"]


def test_exempt_and_reduce(db, capsys):
    member = add_member(capsys, db)
    run(capsys, db, "fees", "profile", member, "--category", "other", "--from", "2026-02", "--region", "3")
    code, out, err = run(capsys, db, "fees", "reduce", member, "--percent", "50", "--from", "2026-03", "--to", "2026-08")
    assert code == 0, err
    code, out, _ = run(capsys, db, "fees", "due", member, "2026-04", "--json")
    # Born 10/1968, a woman: retirement age 56 years 8 months, reached in 06/2025, so 0.2% of region III
    # (8,280 đ), halved.
    data = json.loads(out)
    assert (data["due"], data["reduction_percent"], data["rule"]) == (4_140, 50, "01.other_retired-50")
    code, _, err = run(capsys, db, "fees", "exempt", member, "--from", "2026-05", "--to", "2026-06", "--reason", "Ốm")
    assert code == 1 and "trùng thời gian" in err and "Từ tháng" in err
    code, _, err = run(capsys, db, "fees", "exempt", member, "--from", "2026-09", "--to", "2027-12", "--reason", "Ốm")
    assert code == 1 and "Đến tháng" in err and "12 tháng" in err
    code, _, err = run(capsys, db, "fees", "exempt", member, "--from", "2026-09", "--to", "2027-08",
                       "--reason", "Hộ nghèo")
    assert code == 0, err
    code, out, _ = run(capsys, db, "fees", "due", member, "2026-10", "--json")
    assert json.loads(out)["exempt"] is True and json.loads(out)["due"] == 0
    code, out, _ = run(capsys, db, "fees", "reliefs", member, "--json")
    assert [r["kind"] for r in json.loads(out)] == ["reduction", "hardship"]


def test_fifty_years_member(db, capsys):
    member = add_member(capsys, db, name="Lê Văn Sơn", birth="01/01/1950", admitted="01/03/1975", official="01/03/1976")
    code, out, _ = run(capsys, db, "fees", "due", member, "2026-03", "--json")
    data = json.loads(out)
    assert data["due"] == 0 and data["rule"] == "exempt.party_age"


@pytest.mark.parametrize("args, words", [
    (("--amount", "-5000", "--month", "2026-02"), ["--amount", "âm"]),
    (("--amount", "15,5", "--month", "2026-02"), ["--amount", "đồng nguyên"]),
    (("--amount", "999999999", "--month", "2026-02"), ["Số tiền", "quá lớn"]),
    (("--amount", "5000", "--month", "1991-12"), ["Tháng", "trước khi"]),
    (("--amount", "5000", "--month", "2026-13"), ["--month", "không phải tháng"]),
])
def test_bad_payments_are_refused_with_a_message_naming_the_field(db, capsys, args, words):
    member = add_member(capsys, db)
    code, out, err = run(capsys, db, "fees", "pay", member, *args, "--date", "05/02/2026")
    assert code == 1
    for word in words:
        assert word in err
    code, out, _ = run(capsys, db, "fees", "payments", "--json")
    assert json.loads(out) == []


def test_unknown_member(db, capsys):
    code, _, err = run(capsys, db, "fees", "due", "42", "2026-03", "--json")
    assert code == 1 and "mã số 42" in err


def test_rules_flags_summary_report_and_export(db, capsys, tmp_path):
    member = add_member(capsys, db)
    run(capsys, db, "fees", "profile", member, "--category", "other", "--from", "2026-01", "--region", "1")
    code, _, err = run(capsys, db, "fees", "set-rule", "min_wage", "5650000,5030000,4400000,3930000", "--from", "2027-01")
    assert code == 0, err
    code, out, _ = run(capsys, db, "fees", "rules", "--json")
    wages = json.loads(out)["min_wage"]
    assert wages[-1]["from"] == "2027-01" and wages[-1]["default"] is False
    code, _, err = run(capsys, db, "fees", "set-rule", "rounding", "7:up", "--from", "2027-01")
    assert code == 1 and "bước làm tròn" in err
    code, out, _ = run(capsys, db, "fees", "flags", "--year", "2026", "--json")
    assert json.loads(out)[0]["member_id"] == member
    code, out, _ = run(capsys, db, "fees", "summary", "--year", "2026", "--json")
    assert [r["label"] for r in json.loads(out)][-1] == "Cộng cả năm"
    code, out, _ = run(capsys, db, "fees", "report", "--month", "2026-03", "--json")
    assert json.loads(out)[0]["state"] == "unpaid"
    target = tmp_path / "so.xlsx"
    code, out, err = run(capsys, db, "fees", "export", "--year", "2026", "-o", target)
    assert code == 0, err
    assert target.stat().st_size > 0


def test_print_fee_book(db, capsys, tmp_path):
    member = add_member(capsys, db)
    run(capsys, db, "fees", "profile", member, "--category", "student", "--from", "2026-01")
    run(capsys, db, "fees", "pay", member, "--amount", "3000", "--month", "2026-01", "--date", "05/01/2026")
    target = tmp_path / "so-dang-phi.pdf"
    code, out, err = run(capsys, db, "print", "fee-book", "--year", "2026", "-o", target)
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")


def test_summary_json_says_which_lines_are_provisional(db, capsys):
    from app.cli.fees import summary_json
    from app.domain.fee_ledger import SummaryRow

    assert summary_json(SummaryRow("Cộng cả năm", None, kind="year", provisional=True, temporary=1))["provisional"]
    member = add_member(capsys, db)
    run(capsys, db, "fees", "profile", member, "--category", "other", "--from", "2025-01", "--region", "1")
    code, out, _ = run(capsys, db, "fees", "summary", "--year", "2025", "--json")
    rows = json.loads(out)
    assert code == 0 and not any(r["provisional"] or r["future"] for r in rows)  # a year that has ended
