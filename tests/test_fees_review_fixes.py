"""Review findings on party fees: months off the book, double payments, remittance ceiling, settings,
future excuses, and messages that name the right month, date or state."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.cli import main
from app.cli import fees as fees_cli
from app.domain.dates import Month
from app.domain.members import Member, MemberStatus, Sex
from app.services import fees, settings
from app.services import members as member_service
from app.services.errors import ServiceError, ValidationFailed
from app.storage import db as storage
from app.storage.models import database
from tests.conftest import TODAY


def add(name="Nguyễn Văn Hùng") -> int:
    return member_service.add_member(Member(full_name=name, sex=Sex.MALE, birth_date=dt.date(1980, 5, 10),
                                            admission_date=dt.date(2010, 3, 1), official_date=dt.date(2011, 3, 20)),
                                     today=TODAY).member.id


def count(table: str) -> int:
    return database.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0]


# ---------------------------------------------------------------- 1. months off the book


def test_payment_for_a_month_after_transfer_out_is_refused_even_ahead_of_today(cell_db):
    member = add()
    fees.set_profile(member, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    member_service.change_status(member, MemberStatus.TRANSFERRED_OUT, effective_date=dt.date(2026, 11, 1),
                                 reason="Chuyển đi", today=TODAY)
    with pytest.raises(ValidationFailed, match=r"tháng 12/2026: đồng chí Nguyễn Văn Hùng không sinh hoạt"):
        fees.record_payment(member, amount=15_930, month_from=Month(2026, 12), today=TODAY)
    with pytest.raises(ValidationFailed, match=r"tháng 11/2026"):  # left on 01/11: not in the cell at its end
        fees.record_payment(member, amount=31_860, month_from=Month(2026, 10), month_to=Month(2026, 12), today=TODAY)
    assert count("fee_payment") == 0
    fees.record_payment(member, amount=15_930, month_from=Month(2026, 10), today=TODAY)  # still in the cell then
    with pytest.raises(ValidationFailed, match=r"Tháng: tháng 02/2009 trước khi"):  # before admission: still refused
        fees.record_payment(member, amount=15_930, month_from=Month(2009, 2), today=TODAY)


def test_profile_for_a_month_after_leaving_is_refused(cell_db):
    member = add()
    member_service.change_status(member, MemberStatus.TRANSFERRED_OUT, effective_date=dt.date(2026, 11, 1),
                                 reason="Chuyển đi", today=TODAY)
    with pytest.raises(ValidationFailed, match=r"Từ tháng: tháng 12/2026: .*không sinh hoạt tại chi bộ"):
        fees.set_profile(member, "other", from_month=Month(2026, 12), region=1, today=TODAY)
    assert count("fee_profile") == 0
    fees.set_profile(member, "other", from_month=Month(2026, 10), region=1, today=TODAY)


# ---------------------------------------------------------------- 2. paying a month already paid


def test_paying_a_month_already_paid_warns_but_records(cell_db):
    member = add()
    fees.set_profile(member, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    first = fees.record_payment(member, amount=15_930, month_from=Month(2026, 3), paid_on=dt.date(2026, 3, 5),
                                today=TODAY)
    assert first.warnings == ()
    second = fees.record_payment(member, amount=15_930, month_from=Month(2026, 3), paid_on=dt.date(2026, 3, 6),
                                 today=TODAY)
    assert second.warnings == ("Lưu ý: tháng 03/2026 đã đóng đủ; số tiền này ghi là đóng thêm tự nguyện.",)
    assert count("fee_payment") == 2
    line = fees.year_book(2026, TODAY).member(member).line(Month(2026, 3))
    assert line.extra == 15_930
    partly = fees.record_payment(member, amount=31_860, month_from=Month(2026, 3), month_to=Month(2026, 4),
                                 paid_on=dt.date(2026, 4, 6), today=TODAY)
    assert partly.warnings == ()  # April was still owed


# ---------------------------------------------------------------- 3. remittance ceiling


def test_remittance_beyond_what_is_to_remit_is_refused_with_the_figure(cell_db):
    member = add()
    fees.set_profile(member, "bhxh", from_month=Month(2026, 1), basis=10_000_000, today=TODAY)
    fees.record_payment(member, amount=100_000, month_from=Month(2026, 2), paid_on=dt.date(2026, 2, 5), today=TODAY)
    fees.record_payment(member, amount=100_000, month_from=Month(2026, 3), paid_on=dt.date(2026, 3, 5), today=TODAY)
    assert fees.still_to_remit(Month(2026, 3), TODAY) == (70_000, 140_000)
    with pytest.raises(ValidationFailed, match=r"tháng 03/2026 còn 70\.000.*còn 140\.000"):
        fees.add_remittance(Month(2026, 3), amount=10_000_000, paid_on=dt.date(2026, 3, 20), today=TODAY)
    assert count("fee_remittance") == 0
    # February and March together
    fees.add_remittance(Month(2026, 3), amount=140_000, paid_on=dt.date(2026, 3, 20), today=TODAY)
    with pytest.raises(ValidationFailed, match="nhiều hơn số còn phải nộp"):
        fees.add_remittance(Month(2026, 3), amount=1, paid_on=dt.date(2026, 3, 21), today=TODAY)


# ---------------------------------------------------------------- 4. settings


@pytest.mark.parametrize("key, good, bad", [
    ("fees.flag_window", ["calendar_year", "rolling_12"], ["yearly", 1, ""]),
    ("fees.flag_consecutive_only", [0, 1], [2, -1, "1", True]),
    ("fees.receipt_numbers", [0, 1], [5, "0"]),
])
def test_setting_validators(key, good, bad):
    check = fees.SETTING_VALIDATORS[key]
    assert all(check(v) == "" for v in good)
    assert all(check(v) for v in bad)


def test_out_of_range_stored_settings_fall_back_to_defaults(cell_db):
    from app.storage.models import Setting

    for key, value in (("fees.flag_consecutive_only", 7), ("fees.receipt_numbers", 9), ("fees.flag_window", "x")):
        Setting.insert(key=key, value=json.dumps(value)).on_conflict_replace().execute()
    assert settings.get("fees.flag_consecutive_only") == 7  # stored as typed …
    options = fees.flag_options()  # … but the fee book reads the default
    assert options.consecutive_only is False and options.window.value == "calendar_year"
    member = add()
    payment = fees.record_payment(member, amount=5_000, month_from=Month(2026, 3), paid_on=dt.date(2026, 3, 5),
                                  today=TODAY)
    assert payment.receipt_no == 1  # default 1 (numbered), not "9"


# ---------------------------------------------------------------- 5. future excuse


def test_excuse_for_a_future_month_is_refused(cell_db):
    member = add()
    with pytest.raises(ValidationFailed, match=r"tháng 05/2027 chưa đến"):
        fees.add_excuse(member, Month(2027, 5), reason="Đi công tác", today=TODAY)
    with pytest.raises(ValidationFailed, match=r"tháng 12/2026 chưa đến"):
        fees.add_excuse(member, Month(2026, 12), reason="Đi công tác", today=TODAY)
    fees.add_excuse(member, Month(2026, 11), reason="Đi công tác", today=TODAY)


# ---------------------------------------------------------------- 6. messages


def test_cancelling_a_cancelled_payment_says_so(cell_db):
    member = add()
    payment = fees.record_payment(member, amount=5_000, month_from=Month(2026, 3), paid_on=dt.date(2026, 3, 5),
                                  today=TODAY)
    fees.cancel_payment(payment.id, "Ghi nhầm")
    with pytest.raises(ServiceError, match=r"Khoản thu số \d+ đã được hủy trước đó"):
        fees.cancel_payment(payment.id, "Lần nữa")


def test_a_far_too_early_payment_date_is_blamed_on_the_date(cell_db):
    member = add()
    with pytest.raises(ValidationFailed) as info:
        fees.record_payment(member, amount=5_000, month_from=Month(2026, 3), paid_on=dt.date(2020, 1, 1), today=TODAY)
    text = str(info.value)
    assert "Ngày nộp" in text and "01/01/2020" in text and "Đến tháng" not in text


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(fees_cli, "_today", lambda: TODAY)
    path = tmp_path / "cli.sqlite"
    assert main(["--db", str(path), "init", "--cell", "Chi bộ thôn Đông", "--superior", "Đảng bộ xã Hòa Bình"]) == 0
    yield path
    storage.close_database()


def run(capsys, db, *args) -> tuple[int, str, str]:
    code = main(["--db", str(db), *[str(a) for a in args]])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_messages_use_book_months_and_warn_on_double_payment(cli_db, capsys):
    code, out, err = run(capsys, cli_db, "members", "add", "--name", "Trần Thị Lan", "--birth", "02/10/1968",
                         "--sex", "Nữ", "--admitted", "03/01/1992", "--official", "03/01/1993", "--json")
    member = json.loads(out)["id"]
    code, out, err = run(capsys, cli_db, "fees", "profile", member, "--category", "bhxh", "--from", "2026-01",
                         "--basis", "8.000.000")
    assert code == 0 and "01/2026" in out and "2026-01" not in out
    code, out, err = run(capsys, cli_db, "fees", "pay", member, "--amount", "80000", "--month", "2026-02",
                         "--date", "05/02/2026")
    assert code == 0 and "tháng 02/2026," in out and "–" not in out and "2026-02" not in out
    assert err == ""
    code, out, err = run(capsys, cli_db, "fees", "pay", member, "--amount", "160000", "--month", "2026-03",
                         "--to", "2026-04", "--date", "05/03/2026")
    assert code == 0 and "tháng 03/2026–04/2026" in out
    code, out, err = run(capsys, cli_db, "fees", "pay", member, "--amount", "80000", "--month", "2026-03",
                         "--date", "06/03/2026")
    assert code == 0
    assert "Lưu ý: tháng 03/2026 đã đóng đủ; số tiền này ghi là đóng thêm tự nguyện" in err
    code, out, err = run(capsys, cli_db, "fees", "pay", member, "--amount", "80000", "--month", "2026-03",
                         "--date", "07/03/2026", "--json")
    assert json.loads(out)["warnings"] and "đóng thêm tự nguyện" in err
    code, out, err = run(capsys, cli_db, "fees", "pay", member, "--amount", "80000", "--month", "2026-05",
                         "--date", "01/01/2020")
    assert code == 1 and "Ngày nộp" in err and "01/01/2020" in err and "Đến tháng" not in err
    code, out, err = run(capsys, cli_db, "fees", "arrears", "--year", "2026")
    assert code == 0 and "05/2026" in out and "2026-05" not in out
    code, out, err = run(capsys, cli_db, "fees", "arrears", "--year", "2026", "--json")
    assert json.loads(out)[0]["months"][0]["month"] == "2026-01"
    code, out, err = run(capsys, cli_db, "fees", "payments", "--json")
    first = json.loads(out)[0]["id"]
    assert run(capsys, cli_db, "fees", "cancel-payment", first, "--reason", "Nhầm")[0] == 0
    code, out, err = run(capsys, cli_db, "fees", "cancel-payment", first, "--reason", "Nhầm")
    assert code == 1 and "đã được hủy" in err and "Không có" not in err
    code, out, err = run(capsys, cli_db, "fees", "excuse", member, "--month", "2027-05", "--reason", "Ốm")
    assert code == 1 and "05/2027" in err and "chưa đến" in err
    code, out, err = run(capsys, cli_db, "fees", "excuse", member, "--month", "2026-05", "--reason", "Ốm")
    assert code == 0 and "05/2026" in out
    code, out, err = run(capsys, cli_db, "fees", "remit", "--month", "2026-03", "--amount", "99.000.000")
    assert code == 1 and "còn phải nộp" in err and "03/2026" in err
