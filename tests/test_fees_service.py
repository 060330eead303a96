"""The fee service on a real SQLite file: what is stored, what is refused, and the year's book."""
from __future__ import annotations

import datetime as dt

import pytest

from app.domain.dates import Month
from app.domain.fee_rules import DEFAULT_VALUES, RuleKey
from app.domain.fees import Channel, FeeCategory, ReliefKind
from app.domain.members import Member, MemberStatus, Sex
from app.services import demo, demo_fees, fees
from app.services import members as member_service
from app.services.errors import NotFound, ServiceError, ValidationFailed
from app.storage import audit
from app.storage.models import database
from tests.conftest import TODAY


def add(name="Nguyễn Văn Hùng", birth=dt.date(1980, 5, 10), admitted=dt.date(2010, 3, 1),
        official=dt.date(2011, 3, 20), sex=Sex.MALE) -> int:
    return member_service.add_member(Member(full_name=name, sex=sex, birth_date=birth, admission_date=admitted,
                                            official_date=official), today=TODAY).member.id


def count(table: str) -> int:
    return database.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_profile_history_and_due(cell_db):
    member = add()
    fees.set_profile(member, "bhxh", from_month=Month(2026, 1), basis=8_000_000, today=TODAY)
    fees.set_profile(member, "bhxh", from_month=Month(2026, 7), basis=9_500_000, today=TODAY)
    assert [p.basis for p in fees.profiles(member)] == [8_000_000, 9_500_000]
    assert fees.due(member, Month(2026, 2)).amount == 80_000
    assert fees.due(member, Month(2026, 7)).amount == 80_000
    assert fees.due(member, Month(2026, 8)).amount == 95_000
    assert [e["action"] for e in audit.entries("fee_profile", member)] == ["create", "create"]


@pytest.mark.parametrize("kwargs, field", [
    ({"category": "bhxh", "basis": None}, "fee.basis"),
    ({"category": "bhxh", "basis": -8_000_000}, "fee.basis"),
    ({"category": "pension", "basis": 5_000_000_000}, "fee.basis"),
    ({"category": "other", "region": None}, "fee.region"),
    ({"category": "other", "region": 7}, "fee.region"),
    ({"category": "farmer"}, "fee.category"),
])
def test_bad_profiles_are_refused_and_nothing_is_stored(cell_db, kwargs, field):
    member = add()
    before = (count("fee_profile"), count("change_log"))
    with pytest.raises(ValidationFailed) as caught:
        fees.set_profile(member, kwargs.pop("category"), from_month=Month(2026, 2), today=TODAY, **kwargs)
    assert caught.value.issues[0].field == field
    assert str(caught.value).split(":")[0] in {"Thu nhập tính đóng đảng phí", "Vùng lương tối thiểu", "Đối tượng"}
    assert (count("fee_profile"), count("change_log")) == before


def test_unknown_member_is_refused(cell_db):
    with pytest.raises(NotFound, match="mã số 999"):
        fees.set_profile(999, "student", from_month=Month(2026, 2), today=TODAY)
    with pytest.raises(NotFound):
        fees.record_payment(999, amount=5_000, month_from=Month(2026, 2), today=TODAY)


def test_payments_arrears_and_two_keystroke_payment(cell_db):
    member = add()
    fees.set_profile(member, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    fees.record_payment(member, amount=10_000, month_from=Month(2026, 1), paid_on=dt.date(2026, 1, 8), today=TODAY)
    fees.record_payment(member, amount=31_860, month_from=Month(2026, 2), month_to=Month(2026, 3),
                        paid_on=dt.date(2026, 2, 6), today=TODAY)
    payment = fees.pay_due(member, Month(2026, 4), today=TODAY)
    assert (payment.amount, payment.paid_on, payment.channel) == (15_930, TODAY, Channel.CASH)
    assert payment.received_by == ""  # no secretary named in this cell
    rows = fees.arrears(2026, TODAY)
    assert rows[0]["arrears"] == 15_930 * 7  # May–November
    assert [m["month"] for m in rows[0]["months"]] == [f"2026-{m:02d}" for m in range(5, 12)]
    with pytest.raises(ServiceError, match="đã đóng đủ"):
        fees.pay_due(member, Month(2026, 4), today=TODAY)


@pytest.mark.parametrize("amount, month, paid_on, field", [
    (-5_000, Month(2026, 3), TODAY, "fee.amount"),
    (0, Month(2026, 3), TODAY, "fee.amount"),
    (500_000_000, Month(2026, 3), TODAY, "fee.amount"),
    (15_930, Month(2009, 12), TODAY, "fee.month"),
    (15_930, Month(2026, 3), TODAY + dt.timedelta(days=3), "fee.paid_on"),
])
def test_bad_payments_are_refused_and_nothing_is_stored(cell_db, amount, month, paid_on, field):
    member = add()
    fees.set_profile(member, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    before = (count("fee_payment"), count("change_log"))
    with pytest.raises(ValidationFailed) as caught:
        fees.record_payment(member, amount=amount, month_from=month, paid_on=paid_on, today=TODAY)
    assert field in {i.field for i in caught.value.issues}
    assert (count("fee_payment"), count("change_log")) == before


def test_a_payment_for_a_month_before_admission_names_the_admission(cell_db):
    member = add(admitted=dt.date(2026, 3, 10), official=None)
    with pytest.raises(ValidationFailed, match=r"Tháng: tháng 02/2026 trước khi đồng chí Nguyễn Văn Hùng vào Đảng"):
        fees.record_payment(member, amount=15_930, month_from=Month(2026, 2), today=TODAY)


def test_reliefs_overlap_length_and_cancel(cell_db):
    member = add()
    fees.set_profile(member, "pension", from_month=Month(2026, 1), basis=6_000_000, today=TODAY)
    relief = fees.add_relief(member, ReliefKind.HARDSHIP, from_month=Month(2026, 3), to_month=Month(2027, 2),
                             reason="Hộ nghèo")
    assert fees.due(member, Month(2026, 5)).exempt
    before = count("fee_relief")
    with pytest.raises(ValidationFailed, match="trùng thời gian"):
        fees.add_relief(member, "reduction", from_month=Month(2026, 6), to_month=Month(2026, 8), percent=50)
    with pytest.raises(ValidationFailed, match="dài hơn 12 tháng"):
        fees.add_relief(member, "reduction", from_month=Month(2027, 3), to_month=Month(2028, 3), percent=50)
    with pytest.raises(ValidationFailed, match="30, 50 hoặc 70"):
        fees.add_relief(member, "reduction", from_month=Month(2027, 3), to_month=Month(2027, 4), percent=40)
    assert count("fee_relief") == before
    fees.cancel_relief(relief.id, "Quyết định bị thu hồi")
    assert fees.due(member, Month(2026, 5)).amount == 30_000
    fees.add_relief(member, "reduction", from_month=Month(2026, 6), to_month=Month(2026, 8), percent=50)
    assert fees.due(member, Month(2026, 7)).amount == 15_000


def test_cancelled_payment_no_longer_counts(cell_db):
    member = add()
    fees.set_profile(member, "student", from_month=Month(2026, 2), today=TODAY)
    payment = fees.pay_due(member, Month(2026, 2), today=TODAY)
    fees.cancel_payment(payment.id, "Ghi nhầm người")
    _due, left = fees.outstanding(member, Month(2026, 2), TODAY)
    assert left == 5_000
    assert database.execute_sql("SELECT cancel_reason FROM fee_payment").fetchone()[0] == "Ghi nhầm người"


def test_stored_rows_come_back_whole_and_unreadable_rule_rows_are_left_out(cell_db):
    member = add()
    fees.set_profile(member, "student", from_month=Month(2026, 2), today=TODAY)
    relief = fees.add_relief(member, "reduction", from_month=Month(2026, 3), to_month=Month(2026, 5), percent=50,
                             reason="Ốm dài ngày")
    fees.cancel_relief(relief.id, "Nhầm")
    assert fees.reliefs(member) == []
    [cancelled] = fees.reliefs(member, include_cancelled=True)
    assert (cancelled.percent, cancelled.to_month, cancelled.reason, cancelled.cancelled) == (
        50, Month(2026, 5), "Ốm dài ngày", True)
    paid = fees.record_payment(member, amount=5_000, month_from=Month(2026, 2), paid_on=dt.date(2026, 2, 9),
                               channel="portal", reference="GD-1", today=TODAY)
    assert fees.cancel_payment(paid.id, "Ghi nhầm") == paid
    database.execute_sql("INSERT INTO fee_rule_value (key, effective_from, value, note, recorded_at) "
                         "VALUES ('from_a_newer_version', '2026-01', '{}', '', '2026-01-01')")
    assert fees.rule_book().values == list(DEFAULT_VALUES)


def test_r2_flag_and_excuse(cell_db):
    member = add()
    fees.set_profile(member, "other", from_month=Month(2026, 1), region=2, today=TODAY)
    for m in range(1, 11):
        if m not in (4, 6, 9):
            fees.record_payment(member, amount=30_000, month_from=Month(2026, m), paid_on=dt.date(2026, m, 5),
                                today=TODAY)
    book = fees.year_book(2026, TODAY)
    assert [f.member_id for f in book.flags] == [member]
    assert "04/2026, 06/2026, 09/2026" in book.flags[0].message
    fees.add_excuse(member, Month(2026, 6), reason="Nằm viện cả tháng")
    assert fees.year_book(2026, TODAY).flags == []
    with pytest.raises(ValidationFailed, match="đã có lý do"):
        fees.add_excuse(member, Month(2026, 6), reason="lần nữa")


def test_part_one_and_part_two_agree(cell_db):
    demo.build_demo(TODAY)
    demo_fees.build(TODAY)
    book = fees.year_book(2026, TODAY)
    for row in book.month_rows():
        if row.future:
            continue
        lines = [m.line(row.month) for m in book.members]
        assert row.collected == sum(line.collected for line in lines)
        assert row.unpaid == sum(line.unpaid_end for line in lines)
        assert row.members == sum(1 for line in lines if line.in_book)
        assert row.retained + row.to_remit == row.collected
    year = book.summary[-1]
    assert year.collected == sum(r.collected for r in book.month_rows())
    paid_2026 = sum(p.amount for p in fees.payments() if p.paid_on.year == 2026)
    assert year.collected == paid_2026
    assert len(book.flags) >= 1


def test_retained_share_follows_the_dated_setting(cell_db):
    member = add()
    fees.set_profile(member, "bhxh", from_month=Month(2026, 1), basis=10_000_000, today=TODAY)
    fees.record_payment(member, amount=100_000, month_from=Month(2026, 2), paid_on=dt.date(2026, 2, 5), today=TODAY)
    fees.record_payment(member, amount=100_000, month_from=Month(2026, 3), paid_on=dt.date(2026, 3, 5), today=TODAY)
    fees.set_rule_value(RuleKey.RETAINED_SHARE, from_month=Month(2026, 3), value={"truc_thuoc": "40", "co_so": "90"})
    rows = {r.month: r for r in fees.year_book(2026, TODAY).month_rows()}
    assert (rows[Month(2026, 2)].retained, rows[Month(2026, 2)].to_remit) == (30_000, 70_000)
    assert (rows[Month(2026, 3)].retained, rows[Month(2026, 3)].to_remit) == (40_000, 60_000)
    with pytest.raises(ValidationFailed, match="0–100"):
        fees.set_rule_value(RuleKey.RETAINED_SHARE, from_month=Month(2026, 4),
                            value={"truc_thuoc": "140", "co_so": "90"})


def test_minimum_wage_and_rounding_rows(cell_db):
    member = add()
    fees.set_profile(member, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    fees.set_rule_value("min_wage", from_month=Month(2027, 1),
                        value={"1": 5_650_000, "2": 5_030_000, "3": 4_400_000, "4": 3_930_000})
    assert fees.due(member, Month(2027, 1)).amount == 16_950
    rounding = fees.set_rule_value("rounding", from_month=Month(2027, 1), value={"step": 1000, "mode": "up"})
    assert fees.due(member, Month(2027, 1)).amount == 17_000
    assert fees.due(member, Month(2026, 12)).amount == 15_930
    fees.remove_rule_value(rounding.id)
    assert fees.due(member, Month(2027, 1)).amount == 16_950


def test_remittance_and_member_who_left(cell_db):
    member = add()
    fees.set_profile(member, "other", from_month=Month(2026, 1), region=1, today=TODAY)
    member_service.change_status(member, MemberStatus.TRANSFERRED_OUT, effective_date=dt.date(2026, 4, 10),
                                 reason="Chuyển đi")
    with pytest.raises(ValidationFailed, match="không sinh hoạt tại chi bộ"):
        fees.record_payment(member, amount=15_930, month_from=Month(2026, 5), today=TODAY)
    fees.record_payment(member, amount=25_930, month_from=Month(2026, 1), month_to=Month(2026, 2),
                        paid_on=dt.date(2026, 2, 3), today=TODAY)
    fees.add_remittance(Month(2026, 2), amount=18_151, paid_on=dt.date(2026, 2, 20), today=TODAY)
    row = next(r for r in fees.year_book(2026, TODAY).month_rows() if r.month == Month(2026, 2))
    assert (row.collected, row.to_remit, row.remitted, row.not_remitted) == (25_930, 18_151, 18_151, 0)
    with pytest.raises(ValidationFailed):
        fees.add_remittance(Month(2026, 12), amount=1_000, today=TODAY)


def test_demo_fees_are_deterministic_and_plausible(cell_db):
    demo.build_demo(TODAY)
    made = demo_fees.build(TODAY)
    assert made > 300
    book = fees.year_book(2026, TODAY)
    assert {r.kind for r in book.summary} == {"month", "quarter", "year"}
    assert sum(1 for m in book.members if any(line.due.exempt for line in m.lines)) >= 2
    assert any(p.channel is Channel.PORTAL and p.reference for p in fees.payments())
    assert all(p.amount > 0 for p in fees.payments())
    categories = {p.category for m in book.members for p in m.facts.profiles}
    assert {FeeCategory.BHXH, FeeCategory.PENSION, FeeCategory.OTHER} <= categories
