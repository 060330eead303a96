"""Guards on taking fees: an amount far from what is due is asked about, Enter pays the oldest month still
owed, and the three-month warning tells months paid late from months still unpaid."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from app.domain.dates import Month
from app.domain.fee_ledger import FlagKind, FlagOptions, flag_for, member_year, oldest_unpaid
from app.domain.fee_rules import RuleBook
from app.domain.fees import Excuse, FeeCategory, FeeProfile, MemberFacts, Payment, unusual_amount
from app.domain.members import Member, MemberStatus, Sex, StatusChange
from app.services import fees, settings
from app.services import members as member_service
from app.services.errors import ServiceError
from app.storage.models import Setting
from tests.conftest import TODAY

RULES = RuleBook()
DUE = 15_930  # 0.3% of the Vùng I minimum wage, 01-QĐ/TW


def facts() -> MemberFacts:
    member = Member(full_name="Nguyễn Văn Hùng", id=1, birth_date=dt.date(1980, 5, 10), sex=Sex.MALE,
                    admission_date=dt.date(2005, 3, 1), official_date=dt.date(2006, 3, 15))
    history = [StatusChange(MemberStatus.PROBATIONARY, dt.date(2005, 3, 15), id=1),
               StatusChange(MemberStatus.OFFICIAL, dt.date(2006, 3, 15), id=2)]
    return MemberFacts(member, history, [FeeProfile(1, Month(2026, 2), FeeCategory.OTHER, region=1, id=1)])


def on_time(month: int, pid: int) -> Payment:
    return Payment(1, DUE, dt.date(2026, month, 5), Month(2026, month), Month(2026, month), id=pid)


def late(month: int, pid: int) -> Payment:
    """Paid in full on the 5th of the month after: past the deadline (grace 0)."""
    return Payment(1, DUE, dt.date(2026, month + 1, 5), Month(2026, month), Month(2026, month), id=pid)


def year_of(payments: list[Payment], excuses: list[Excuse] = ()):
    return member_year(facts(), payments, list(excuses), RULES, 2026, TODAY)


# ---------------------------------------------------------------- the amount far from what is due


@pytest.mark.parametrize(("amount", "asks"), [
    (DUE, False), (DUE // 3 + 1, False), (DUE * 3, False),  # a third or more, three times or less: ordinary
    (DUE // 3 - 1, True), (DUE * 3 + 1, True),
    (1_593, True), (159_300, True),  # one digit dropped or added
])
def test_an_amount_below_a_third_or_above_three_times_the_due_asks(amount, asks):
    assert unusual_amount(amount, DUE, 3) is asks


def test_nothing_to_compare_with_or_a_factor_below_two_never_asks():
    assert not unusual_amount(1_000_000, 0, 3)  # exempt, or no profile yet
    assert not unusual_amount(1, DUE, 0)
    assert not unusual_amount(1, DUE, 1)


# ---------------------------------------------------------------- oldest month first


def test_oldest_unpaid_is_the_first_month_owed_up_to_the_one_chosen_without_good_reason():
    payments = [on_time(m, m) for m in range(2, 9)]  # February … August paid; September on owed
    year = year_of(payments)
    assert oldest_unpaid(year, Month(2026, 11)) == Month(2026, 9)
    assert oldest_unpaid(year, Month(2026, 8)) is None  # nothing owed up to August
    excused = year_of(payments, [Excuse(1, Month(2026, 9), "Nằm viện")])
    assert oldest_unpaid(excused, Month(2026, 11)) == Month(2026, 10)


# ---------------------------------------------------------------- paid late, or unpaid


def test_three_months_paid_late_in_a_row_are_a_reminder_not_a_removal_proposal():
    payments = [on_time(m, m) for m in (2, 6, 7, 8, 9, 10)] + [late(m, 10 + m) for m in (3, 4, 5)]
    year = year_of(payments)
    assert [m.month for m in year.late_months] == [3, 4, 5]
    flag = flag_for(year, FlagOptions())
    assert flag is not None and flag.kind is FlagKind.PAID_LATE and not flag.proposes_removal
    assert flag.message == "Đóng chậm 3 tháng liền (đã đóng bù): 03/2026, 04/2026, 05/2026"
    assert "xóa tên" not in flag.message


def test_three_months_still_unpaid_are_the_removal_proposal():
    payments = [on_time(m, m) for m in (2, 6, 7, 8, 9, 10)]  # March, April, May never paid
    flag = flag_for(year_of(payments), FlagOptions())
    assert flag.kind is FlagKind.UNPAID and flag.proposes_removal
    assert flag.message == ("Đề nghị chi bộ xem xét xóa tên (không đóng đảng phí 3 tháng trong năm: "
                            "03/2026, 04/2026, 05/2026)")
    assert flag.unpaid == 3 * DUE


def test_late_months_not_in_a_row_say_in_the_year_and_mixed_ones_name_what_is_still_owed():
    spread = [on_time(m, m) for m in (2, 4, 6, 8, 9, 10)] + [late(m, 10 + m) for m in (3, 5, 7)]
    assert flag_for(year_of(spread), FlagOptions()).message == \
        "Đóng chậm 3 tháng trong năm (đã đóng bù): 03/2026, 05/2026, 07/2026"
    # Two months still unpaid and one paid late: not yet three unpaid, so a reminder naming both kinds.
    mixed = [on_time(m, m) for m in (2, 6, 7, 8, 9, 10)] + [late(3, 13)]
    flag = flag_for(year_of(mixed), FlagOptions())
    assert flag.kind is FlagKind.PAID_LATE
    assert flag.message == ("Đóng chậm 3 tháng liền: 1 tháng đã đóng bù (03/2026), 2 tháng còn nợ "
                            "(04/2026, 05/2026)")


def test_a_proposal_also_counts_the_months_paid_late():
    payments = [on_time(m, m) for m in (2, 9, 10)] + [late(m, 10 + m) for m in (6, 7)]
    flag = flag_for(year_of(payments), FlagOptions())
    assert flag.kind is FlagKind.UNPAID and [m.month for m in flag.months] == [3, 4, 5, 8]
    assert flag.message.endswith("; ngoài ra đóng chậm 2 tháng (đã đóng bù)")


def test_consecutive_only_counts_runs_of_unpaid_months_for_the_proposal():
    payments = [on_time(m, m) for m in (2, 4, 6, 8, 9, 10)]  # 3, 5, 7 unpaid: not in a row
    year = year_of(payments)
    assert flag_for(year, FlagOptions()).kind is FlagKind.UNPAID
    assert flag_for(year, FlagOptions(consecutive_only=True)) is None


# ---------------------------------------------------------------- services


def add_member(name: str = "Trần Thị Lan") -> int:
    member = Member(full_name=name, sex=Sex.FEMALE, birth_date=dt.date(1985, 2, 1),
                    admission_date=dt.date(2010, 5, 1), official_date=dt.date(2011, 5, 20))
    member_id = member_service.add_member(member, today=TODAY).member.id
    fees.set_profile(member_id, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    return member_id


def pay(member_id: int, month: int, *, paid_on: dt.date | None = None) -> None:
    fees.record_payment(member_id, amount=fees.due(member_id, Month(2026, month)).amount,
                        month_from=Month(2026, month), paid_on=paid_on or dt.date(2026, month, 5), today=TODAY)


def test_enter_on_a_month_pays_the_oldest_month_still_owed(cell_db):
    member = add_member()
    for month in range(1, 9):
        pay(member, month)
    payment = fees.pay_oldest_due(member, Month(2026, 11), today=TODAY)
    assert (payment.month_from, payment.amount, payment.paid_on) == (Month(2026, 9), DUE, TODAY)
    fees.add_excuse(member, Month(2026, 10), reason="Nằm viện cả tháng", today=TODAY)
    assert fees.pay_oldest_due(member, Month(2026, 11), today=TODAY).month_from == Month(2026, 11)
    with pytest.raises(ServiceError, match="đã đóng đủ"):
        fees.pay_oldest_due(member, Month(2026, 11), today=TODAY)


def test_the_question_names_both_amounts_and_the_factor_is_a_setting(cell_db):
    member = add_member()
    question = fees.amount_question(member, amount=159_300, month_from=Month(2026, 9), today=TODAY)
    assert question is not None and "159.300" in question and "15.930" in question and "09/2026" in question
    assert "lớn hơn nhiều" in question
    assert "nhỏ hơn nhiều" in fees.amount_question(member, amount=1_593, month_from=Month(2026, 9), today=TODAY)
    assert fees.amount_question(member, amount=DUE, month_from=Month(2026, 9), today=TODAY) is None
    # Two months at once are compared with two months' due.
    assert fees.amount_question(member, amount=2 * DUE, month_from=Month(2026, 9), month_to=Month(2026, 10),
                                today=TODAY) is None
    settings.set_value("fees.confirm_factor", 20)
    assert fees.amount_question(member, amount=159_300, month_from=Month(2026, 9), today=TODAY) is None
    settings.set_value("fees.confirm_factor", 0)
    assert fees.amount_question(member, amount=1, month_from=Month(2026, 9), today=TODAY) is None
    check = fees.SETTING_VALIDATORS["fees.confirm_factor"]
    assert check(0) == check(2) == check(20) == "" and check(1) and check(21) and check(True) and check("3")
    Setting.insert(key="fees.confirm_factor", value="1").on_conflict_replace().execute()
    assert fees.setting("fees.confirm_factor") == 3  # a stored 1 would never ask: the default is read instead


def test_a_month_partly_paid_is_compared_with_what_is_left(cell_db):
    member = add_member()
    fees.record_payment(member, amount=12_000, month_from=Month(2026, 9), paid_on=dt.date(2026, 9, 5), today=TODAY)
    assert fees.expected_amount(member, month_from=Month(2026, 9), today=TODAY) == DUE - 12_000
    assert fees.amount_question(member, amount=DUE - 12_000, month_from=Month(2026, 9), today=TODAY) is None
    # A month already paid in full is compared with its due: paying it twice by mistake still asks when far off.
    pay(member, 8)
    assert fees.expected_amount(member, month_from=Month(2026, 8), today=TODAY) == DUE


def test_the_book_keeps_both_warnings_with_their_own_words(cell_db):
    slow, absent = add_member("Trần Thị Lan"), add_member("Lê Văn Hải")
    for month in range(1, 11):
        pay(absent, month) if month not in (3, 4, 5) else None
        pay(slow, month, paid_on=dt.date(2026, month + 1, 5) if month in (3, 4, 5) else None)
    flags = {f.member_id: f for f in fees.year_book(2026, TODAY).flags}
    assert flags[slow].kind is FlagKind.PAID_LATE
    assert flags[slow].message.startswith("Đóng chậm 3 tháng liền (đã đóng bù)")
    assert flags[absent].kind is FlagKind.UNPAID
    assert flags[absent].message.startswith("Đề nghị chi bộ xem xét xóa tên")


def test_one_members_line_and_totals_match_the_whole_year_read_again(cell_db):
    first, second = add_member("Trần Thị Lan"), add_member("Lê Văn Hải")
    book = fees.year_book(2026, TODAY)
    pay(first, 9)
    fees.set_profile(second, "bhxh", from_month=Month(2026, 10), basis=8_000_000, today=TODAY)
    refreshed = fees.refresh_members(book, [first, second], today=TODAY)
    whole = fees.year_book(2026, TODAY)
    assert [m.member_id for m in refreshed.members] == [m.member_id for m in whole.members]
    for mine, theirs in zip(refreshed.members, whole.members):
        assert mine.lines == theirs.lines and mine.late_months == theirs.late_months
    assert refreshed.summary == whole.summary
    assert refreshed.flags == whole.flags
    assert refreshed.tallies() == whole.tallies() and refreshed.arrears() == whole.arrears()
    assert fees.member_line(2026, first, TODAY).line(Month(2026, 9)).paid_for == DUE
    assert fees.member_line(2009, first, TODAY) is None  # no line before admission (05/2010)


def test_a_member_new_to_the_years_book_reads_the_year_again(cell_db):
    first = add_member("Trần Thị Lan")
    book = fees.year_book(2026, TODAY)
    second = add_member("Lê Văn Hải")
    refreshed = fees.refresh_members(book, [second], today=TODAY)
    assert {m.member_id for m in refreshed.members} == {first, second}


# ---------------------------------------------------------------- the command line


def test_the_command_line_refuses_a_far_amount_unless_confirmed(tmp_path, capsys, monkeypatch):
    from app.cli import fees as cli_fees
    from app.cli import main
    from app.storage import db as storage

    monkeypatch.setattr(cli_fees, "_today", lambda: TODAY)
    path = tmp_path / "cli.sqlite"
    try:
        assert main(["--db", str(path), "init", "--cell", "Chi bộ thôn Đông", "--superior", "Đảng bộ xã"]) == 0
        capsys.readouterr()
        assert main(["--db", str(path), "members", "add", "--name", "Trần Thị Lan", "--birth", "01/02/1985",
                     "--sex", "Nữ", "--admitted", "01/05/2010", "--official", "20/05/2011", "--json"]) == 0
        member = str(json.loads(capsys.readouterr().out)["id"])
        assert main(["--db", str(path), "fees", "profile", member, "--category", "other", "--from", "2026-01",
                     "--region", "1"]) == 0
        capsys.readouterr()
        pay = ["--db", str(path), "fees", "pay", member, "--amount", "159300", "--month", "2026-09", "--json"]
        assert main(pay) == 1
        err = capsys.readouterr().err
        assert "159.300" in err and "15.930" in err and "--yes" in err
        assert fees.payments(int(member)) == []
        assert main(pay + ["--yes"]) == 0
        assert json.loads(capsys.readouterr().out)["amount"] == 159_300
        assert main(pay[:-1] + ["--amount", "15930", "--month", "2026-10"]) == 0  # an ordinary amount: no question
        assert [p.amount for p in fees.payments(int(member))] == [159_300, 15_930]
    finally:
        storage.close_database()


def test_the_flags_command_says_which_warning_is_a_proposal(tmp_path, capsys, monkeypatch):
    from app.cli import fees as cli_fees
    from app.cli import main
    from app.storage import db as storage

    monkeypatch.setattr(cli_fees, "_today", lambda: TODAY)
    path = tmp_path / "cli.sqlite"
    try:
        assert main(["--db", str(path), "init", "--cell", "Chi bộ thôn Đông", "--superior", "Đảng bộ xã"]) == 0
        slow = add_member("Trần Thị Lan")
        for month in range(2, 11):
            pay(slow, month, paid_on=dt.date(2026, month + 1, 5) if month in (3, 4, 5) else None)
        capsys.readouterr()
        assert main(["--db", str(path), "fees", "flags", "--year", "2026", "--json"]) == 0
        [flag] = json.loads(capsys.readouterr().out)
        assert (flag["kind"], flag["proposes_removal"]) == ("paid_late", False)
        assert flag["paid_late"] == ["2026-03", "2026-04", "2026-05"]
    finally:
        storage.close_database()
