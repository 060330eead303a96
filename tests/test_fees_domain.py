"""Fee rules without a database: R1 worked examples, the two regimes, retirement and party age, months, money."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import months as mo
from app.domain.dates import DateParseError, Month
from app.domain.fee_ledger import FlagOptions, flag_for, member_year
from app.domain.fee_rules import (
    NEW_REGIME_FROM,
    Regime,
    Rounding,
    RoundingMode,
    RuleBook,
    RuleKey,
    RuleValue,
    RuleValueError,
    parse_text,
    regime,
)
from app.domain.fees import (
    Channel,
    Excuse,
    FeeCategory,
    FeeProfile,
    MemberFacts,
    Payment,
    Relief,
    ReliefKind,
    check_payment,
    check_relief,
    compute_due,
)
from app.domain.members import Member, MemberStatus, Sex, StatusChange
from app.domain.money import MoneyError, format_money, parse_money
from app.domain.party_age import party_age
from app.domain.retirement import retired_from, retirement_age_months

RULES = RuleBook()
TODAY = dt.date(2026, 11, 23)


def facts(*profiles: FeeProfile, birth=dt.date(1980, 5, 10), sex=Sex.MALE, admitted=dt.date(2005, 3, 1),
          official=dt.date(2006, 3, 15), reliefs=(), extra_history=()) -> MemberFacts:
    member = Member(full_name="Nguyễn Văn Hùng", id=1, birth_date=birth, sex=sex, admission_date=admitted,
                    ceremony_date=admitted + dt.timedelta(days=14), official_date=official)
    history = [StatusChange(MemberStatus.PROBATIONARY, admitted + dt.timedelta(days=14), id=1)]
    if official:
        history.append(StatusChange(MemberStatus.OFFICIAL, official, id=2))
    history += list(extra_history)
    return MemberFacts(member, history, list(profiles), list(reliefs))


def due(f: MemberFacts, month: Month):
    return compute_due(f, month, RULES.for_month(month))


def profile(category: FeeCategory, start=Month(2025, 1), basis=None, region=None, pid=None) -> FeeProfile:
    return FeeProfile(1, start, category, basis, region, id=pid)


# ---------------------------------------------------------------- R1 worked examples


def test_r1_student_pays_5000():
    result = due(facts(profile(FeeCategory.STUDENT), birth=dt.date(2004, 1, 1)), Month(2026, 3))
    assert result.amount == 5_000
    assert result.rule == "01.student"
    assert result.regime is Regime.QD01


def test_r1_bhxh_salary_of_january_gives_february_due():
    f = facts(profile(FeeCategory.BHXH, Month(2026, 1), 8_000_000))
    result = due(f, Month(2026, 2))
    assert result.amount == 80_000
    assert result.rule == "01.bhxh"
    assert "01/2026" in result.explanation and "8.000.000" in result.explanation


def test_r1_bhxh_uses_last_months_salary_after_a_raise():
    f = facts(profile(FeeCategory.BHXH, Month(2026, 1), 8_000_000, pid=1),
              profile(FeeCategory.BHXH, Month(2026, 4), 9_000_000, pid=2))
    assert due(f, Month(2026, 4)).amount == 80_000   # March's salary
    assert due(f, Month(2026, 5)).amount == 90_000


def test_r1_member_admitted_1975_is_exempt_in_march_2026():
    f = facts(profile(FeeCategory.OTHER, region=3), birth=dt.date(1950, 1, 1), admitted=dt.date(1975, 3, 1),
              official=dt.date(1976, 3, 1))
    result = due(f, Month(2026, 3))
    assert result.amount == 0 and result.exempt
    assert result.rule == "exempt.party_age"


def test_fifty_years_exemption_is_new_in_01_qd_tw():
    f = facts(profile(FeeCategory.OTHER, region=3), birth=dt.date(1950, 1, 1), admitted=dt.date(1975, 3, 1),
              official=dt.date(1976, 3, 1))
    assert not due(f, Month(2026, 1)).exempt          # 342 had no such exemption
    assert due(f, Month(2026, 2)).exempt


def test_party_age_gaps_delay_the_exemption():
    # Removed (xóa tên) for two years, re-admitted: the 50 years arrive two years later (DOMAIN §4.2).
    gap = [StatusChange(MemberStatus.REMOVED, dt.date(1990, 1, 1), id=3),
           StatusChange(MemberStatus.OFFICIAL, dt.date(1992, 1, 1), id=4)]
    f = facts(profile(FeeCategory.OTHER, region=1), birth=dt.date(1952, 1, 1), admitted=dt.date(1976, 6, 1),
              official=dt.date(1977, 6, 1), extra_history=gap)
    assert not due(f, Month(2026, 7)).exempt
    assert f.party_age_reached(50) == Month(2028, 6)
    age = party_age(f.member, f.history, dt.date(2026, 6, 1))
    assert (age.years, age.gap_days) == (48, 730)


def test_probationary_member_has_no_party_age():
    f = facts(profile(FeeCategory.OTHER, region=1), admitted=dt.date(1970, 1, 1), official=None)
    assert party_age(f.member, f.history, dt.date(2026, 3, 1)) is None
    assert not due(f, Month(2026, 3)).exempt


def test_other_member_below_and_above_retirement_age():
    young = facts(profile(FeeCategory.OTHER, region=1))
    assert due(young, Month(2026, 3)).amount == 15_930          # 5,310,000 × 0.3%
    old = facts(profile(FeeCategory.OTHER, region=4), birth=dt.date(1955, 1, 1), admitted=dt.date(1990, 1, 1),
                official=dt.date(1991, 1, 1))
    assert due(old, Month(2026, 3)).amount == 7_400             # 3,700,000 × 0.2% (DOMAIN §1.1 example)
    assert due(young, Month(2028, 1)).amount == 26_550          # 0.5% from 2028
    assert due(old, Month(2028, 1)).amount == 11_100            # 0.3% from 2028


def test_pension_and_benefit_rates():
    assert due(facts(profile(FeeCategory.PENSION, basis=6_120_000)), Month(2026, 5)).amount == 30_600
    assert due(facts(profile(FeeCategory.BENEFIT, basis=6_900_000)), Month(2026, 5)).amount == 69_000
    assert due(facts(profile(FeeCategory.BENEFIT, basis=6_900_000)), Month(2025, 5)).amount == 34_500  # 342: 0.5%


def test_old_regime_fixed_amounts_and_half_above_working_age():
    assert due(facts(profile(FeeCategory.OTHER, region=1)), Month(2025, 12)).amount == 10_000
    assert due(facts(profile(FeeCategory.STUDENT)), Month(2026, 1)).amount == 3_000
    old = facts(profile(FeeCategory.OTHER, region=1), birth=dt.date(1950, 1, 1))
    assert due(old, Month(2025, 12)).amount == 5_000
    assert due(old, Month(2025, 12)).rule == "342.other_retired"


def test_reduction_and_hardship_exemption():
    reliefs = [Relief(1, ReliefKind.REDUCTION, Month(2026, 3), Month(2026, 8), 70, id=1),
               Relief(1, ReliefKind.HARDSHIP, Month(2026, 9), Month(2027, 8), reason="Hộ nghèo", id=2)]
    f = facts(profile(FeeCategory.PENSION, basis=6_120_000), reliefs=reliefs)
    reduced = due(f, Month(2026, 3))
    assert reduced.amount == 9_180 and reduced.reduction == 70      # 30,600 × 30%
    assert due(f, Month(2026, 9)).exempt and due(f, Month(2026, 9)).rule == "exempt.hardship"
    assert due(f, Month(2027, 9)).amount == 30_600


def test_no_profile_means_no_due_but_is_flagged():
    result = due(facts(), Month(2026, 3))
    assert result.amount == 0 and result.missing_profile


def test_not_in_book_before_admission_and_after_leaving():
    left = [StatusChange(MemberStatus.TRANSFERRED_OUT, dt.date(2026, 5, 10), id=3)]
    f = facts(profile(FeeCategory.OTHER, region=1), admitted=dt.date(2026, 2, 10), official=None,
              extra_history=left)
    assert not due(f, Month(2026, 1)).in_book
    assert due(f, Month(2026, 2)).amount == 15_930  # admitted in the month: on the book at its end
    assert not due(f, Month(2026, 5)).in_book


# ---------------------------------------------------------------- retirement age (NĐ 135/2020)


@pytest.mark.parametrize("birth, sex, months", [
    (dt.date(1960, 12, 5), Sex.MALE, 720), (dt.date(1961, 1, 1), Sex.MALE, 723), (dt.date(1961, 9, 30), Sex.MALE, 723),
    (dt.date(1961, 10, 1), Sex.MALE, 726), (dt.date(1966, 3, 1), Sex.MALE, 741), (dt.date(1966, 4, 1), Sex.MALE, 744),
    (dt.date(1990, 4, 1), Sex.MALE, 744), (dt.date(1965, 12, 1), Sex.FEMALE, 660), (dt.date(1966, 1, 1), Sex.FEMALE, 664),
    (dt.date(1966, 8, 1), Sex.FEMALE, 664), (dt.date(1966, 9, 1), Sex.FEMALE, 668), (dt.date(1975, 5, 1), Sex.FEMALE, 720),
])
def test_retirement_age_schedule(birth, sex, months):
    assert retirement_age_months(birth, sex) == months


@given(st.dates(dt.date(1940, 1, 1), dt.date(2005, 12, 31)), st.sampled_from(list(Sex)))
def test_retirement_age_rises_with_birth_date_and_stays_in_bounds(birth, sex):
    months = retirement_age_months(birth, sex)
    low, high = (720, 744) if sex is Sex.MALE else (660, 720)
    assert low <= months <= high
    later = birth + dt.timedelta(days=40)
    assert retirement_age_months(later, sex) >= months
    reached = Month.of(birth).add(months)
    assert reached.year <= max(2020, 2020 + (months - low) // (3 if sex is Sex.MALE else 4)) or months == high


def test_retired_from_is_the_month_after_reaching_the_age():
    assert retired_from(dt.date(1966, 4, 15), Sex.MALE) == Month(2028, 5)
    assert retired_from(dt.date(1966, 4, 1), Sex.MALE) == Month(2028, 4)


# ---------------------------------------------------------------- rule sets across 2026-02


@given(st.integers(2011 * 12, 2035 * 12))
def test_regime_is_chosen_by_the_month(index):
    month = mo.from_index(index)
    assert regime(month) is (Regime.QD01 if month >= NEW_REGIME_FROM else Regime.QD342)
    assert RULES.for_month(month).regime is regime(month)


amounts = st.integers(1_000_000, 80_000_000)


@given(amounts, st.integers(0, 40))
def test_bhxh_due_is_one_percent_on_both_sides_of_the_boundary(salary, shift):
    f = facts(profile(FeeCategory.BHXH, Month(2024, 1), salary))
    month = Month(2025, 6).add(shift)
    expected = (2 * salary + 100) // 200  # 1%, half a đồng up
    assert due(f, month).amount == expected


@given(amounts, st.integers(0, 40))
def test_pension_due_is_half_percent_on_both_sides(pension, shift):
    f = facts(profile(FeeCategory.PENSION, Month(2024, 1), pension))
    month = Month(2025, 6).add(shift)
    assert due(f, month).amount == (2 * pension + 200) // 400


@given(st.sampled_from([1, 2, 3, 4]), st.integers(0, 40), st.sampled_from([0, 30, 50, 70]))
def test_other_member_due_across_regimes(region, shift, reduction):
    month = Month(2025, 6).add(shift)
    reliefs = [Relief(1, ReliefKind.REDUCTION, month, month, reduction, id=9)] if reduction else []
    f = facts(profile(FeeCategory.OTHER, Month(2024, 1), region=region), reliefs=reliefs)
    result = due(f, month)
    if month < NEW_REGIME_FROM:
        base = Fraction(10_000)
    else:
        rate = Fraction(3, 1000) if month <= Month(2027, 12) else Fraction(5, 1000)
        base = RULES.for_month(month).min_wage[region] * rate
    exact = base * (100 - reduction) / 100
    assert result.amount == int(exact + Fraction(1, 2))  # half up to the đồng
    assert isinstance(result.amount, int)
    assert result.amount >= 0


@given(st.integers(0, 10**9), st.integers(1, 10**6), st.sampled_from([1, 10, 100, 500, 1000]),
       st.sampled_from(list(RoundingMode)))
def test_rounding_is_exact_integer_arithmetic(numerator, denominator, step, mode):
    value = Rounding(step, mode).apply(numerator, denominator)
    exact = Fraction(numerator, denominator)
    assert value % step == 0
    assert abs(value - exact) <= step
    if mode is RoundingMode.UP:
        assert value >= exact
    if mode is RoundingMode.DOWN:
        assert value <= exact


def test_a_newer_minimum_wage_row_applies_from_its_month():
    book = RuleBook()
    book.values.append(RuleValue(RuleKey.MIN_WAGE, Month(2027, 1),
                                 {"1": 5_600_000, "2": 5_000_000, "3": 4_400_000, "4": 3_900_000}, id=1))
    assert book.for_month(Month(2026, 12)).min_wage[1] == 5_310_000
    assert book.for_month(Month(2027, 1)).min_wage[1] == 5_600_000


def test_rule_text_is_parsed_and_checked():
    assert parse_text(RuleKey.MIN_WAGE, "5.310.000, 4730000; 4140000 3700000")["1"] == 5_310_000
    assert parse_text(RuleKey.RETAINED_SHARE, "truc_thuoc=30, co_so=72,5") == {"truc_thuoc": "30", "co_so": "72.5"}
    assert parse_text(RuleKey.ROUNDING, "1000:up") == {"step": 1000, "mode": "up"}
    with pytest.raises(RuleValueError, match="4 mức"):
        parse_text(RuleKey.MIN_WAGE, "5310000")
    with pytest.raises(RuleValueError, match="0–100"):
        parse_text(RuleKey.RETAINED_SHARE, "truc_thuoc=130, co_so=70")
    with pytest.raises(RuleValueError, match="bước"):
        parse_text(RuleKey.ROUNDING, "7:up")


# ---------------------------------------------------------------- months


@given(st.integers(1900 * 12, 2100 * 12), st.integers(-600, 600))
def test_month_add_and_between_are_inverse(index, shift):
    month = mo.from_index(index)
    moved = month.add(shift)
    assert mo.months_between(month, moved) == shift
    assert moved.add(-shift) == month
    assert mo.index(moved) == index + shift
    assert 1 <= moved.month <= 12


@given(st.integers(1900 * 12, 2100 * 12), st.integers(0, 30))
def test_month_range_has_the_right_length_and_order(index, length):
    start = mo.from_index(index)
    months = list(mo.month_range(start, start.add(length)))
    assert len(months) == length + 1
    assert months == sorted(months)
    assert all(mo.months_between(a, b) == 1 for a, b in zip(months, months[1:]))


@given(st.integers(1900 * 12, 2100 * 12))
def test_last_day_and_label_round_trip(index):
    month = mo.from_index(index)
    assert Month.of(mo.last_day(month)) == month
    assert (mo.last_day(month) + dt.timedelta(days=1)) == month.add(1).first_day()
    assert mo.parse_month(mo.label(month)) == month
    assert mo.parse_month(str(month)) == month


@pytest.mark.parametrize("text", ["2026-13", "13/2026", "2026", "abc", "0999-01"])
def test_bad_months_are_refused(text):
    with pytest.raises(DateParseError):
        mo.parse_month(text)


# ---------------------------------------------------------------- money


def test_money_is_formatted_the_vietnamese_way():
    assert format_money(1_250_000) == "1.250.000\u00a0đ"
    assert format_money(0) == "0\u00a0đ"
    with pytest.raises(TypeError):
        format_money(1.5)


@given(st.integers(0, 10**12))
def test_money_round_trips_through_text(amount):
    assert parse_money(format_money(amount)) == amount
    assert parse_money(str(amount)) == amount


@pytest.mark.parametrize("text", ["-5000", "15,5", "15.93", "abc", "1.2345", ""])
def test_bad_money_text_is_refused(text):
    with pytest.raises(MoneyError):
        parse_money(text)


# ---------------------------------------------------------------- decisions and payments


def test_relief_checks_length_overlap_and_percent():
    existing = [Relief(1, ReliefKind.HARDSHIP, Month(2026, 2), Month(2027, 1), reason="Hộ nghèo", id=1)]
    too_long = Relief(1, ReliefKind.REDUCTION, Month(2026, 2), Month(2027, 2), 50)
    assert any("12 tháng" in i.message for i in check_relief(too_long, []))
    overlapping = Relief(1, ReliefKind.REDUCTION, Month(2026, 6), Month(2026, 9), 30)
    assert any(i.field == "fee.from" and "trùng" in i.message for i in check_relief(overlapping, existing))
    bad_percent = Relief(1, ReliefKind.REDUCTION, Month(2027, 6), Month(2027, 9), 40)
    assert [i.field for i in check_relief(bad_percent, existing)] == ["fee.percent"]
    assert check_relief(Relief(1, ReliefKind.SOCIAL_PENSION, Month(2027, 2), None), existing) == []


def test_payment_checks():
    f = facts(profile(FeeCategory.OTHER, region=1), admitted=dt.date(2020, 6, 1), official=dt.date(2021, 6, 15))
    assert check_payment(f, 15_930, Month(2026, 3), Month(2026, 3), TODAY, TODAY) == []
    fields = {i.field for i in check_payment(f, -5, Month(2020, 1), Month(2020, 1), TODAY, TODAY)}
    assert fields == {"fee.amount", "fee.month"}
    assert [i.field for i in check_payment(f, 10**9, Month(2026, 3), Month(2026, 3), TODAY, TODAY)] == ["fee.amount"]
    assert [i.field for i in check_payment(f, 1000, Month(2026, 3), Month(2026, 3),
                                           TODAY + dt.timedelta(days=1), TODAY)] == ["fee.paid_on"]
    before = check_payment(f, 1000, Month(2020, 5), Month(2020, 6), TODAY, TODAY)
    assert "trước khi" in before[0].message and "05/2020" in before[0].message


# ---------------------------------------------------------------- the ledger and R2


def pay(amount, start, end=None, day=None, pid=1) -> Payment:
    return Payment(1, amount, day or start.first_day().replace(day=10), start, end or start, Channel.CASH, id=pid)


def test_arrears_are_derived_and_back_dues_carry():
    f = facts(profile(FeeCategory.OTHER, Month(2026, 2), region=1))
    payments = [pay(15_930, Month(2026, 2), pid=1), pay(31_860, Month(2026, 3), Month(2026, 4),
                                                       day=dt.date(2026, 4, 20), pid=2)]
    year = member_year(f, payments, [], RULES, 2026, TODAY)
    march, april = year.line(Month(2026, 3)), year.line(Month(2026, 4))
    assert march.unpaid_end == 15_930 and march.collected == 0
    assert april.back == 15_930 and april.total == 31_860 and april.collected == 31_860
    assert april.unpaid_end == 0 and april.paid_back
    assert march.late and not april.late  # March was paid after its end
    assert year.arrears(TODAY) == 15_930 * 7  # May … November unpaid


def test_advance_payment_fills_months_in_order_and_extra_lands_on_the_last():
    f = facts(profile(FeeCategory.OTHER, Month(2026, 2), region=1))
    year = member_year(f, [pay(50_000, Month(2026, 2), Month(2026, 4), day=dt.date(2026, 2, 5))], [], RULES, 2026,
                       TODAY)
    assert [year.line(Month(2026, m)).paid_for for m in (2, 3, 4)] == [15_930, 15_930, 15_930]
    assert year.line(Month(2026, 4)).extra == 50_000 - 3 * 15_930
    assert year.line(Month(2026, 2)).paid_ahead_to == Month(2026, 4)


def test_r2_flag_three_months_unless_excused():
    f = facts(profile(FeeCategory.OTHER, Month(2026, 1), region=1))
    months_paid = [m for m in range(1, 12) if m not in (3, 5, 8)]
    payments = [pay(15_930 if m > 1 else 10_000, Month(2026, m), pid=m) for m in months_paid]
    year = member_year(f, payments, [], RULES, 2026, TODAY)
    flag = flag_for(year, FlagOptions())
    assert flag is not None and [m.month for m in flag.months] == [3, 5, 8]
    assert flag.message.startswith("Đề nghị chi bộ xem xét xóa tên")
    excused = member_year(f, payments, [Excuse(1, Month(2026, 5), "Nằm viện")], RULES, 2026, TODAY)
    assert flag_for(excused, FlagOptions()) is None
    assert flag_for(year, FlagOptions(consecutive_only=True)) is None


def test_r2_does_not_count_months_not_yet_closed():
    f = facts(profile(FeeCategory.OTHER, Month(2026, 1), region=1))
    year = member_year(f, [], [], RULES, 2026, dt.date(2026, 3, 15))
    assert [m.month for m in year.late_months] == [1, 2]
    assert flag_for(year, FlagOptions(threshold=3)) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(0, 2), st.integers(1, 40_000), st.integers(1, 28)),
                max_size=12))
def test_book_identities_hold_for_any_payments(raw):
    f = facts(profile(FeeCategory.OTHER, Month(2025, 6), region=2))
    payments = []
    for i, (month, span, amount, day) in enumerate(raw):
        start = Month(2026, month)
        paid_on = min(start.first_day().replace(day=day), TODAY)
        payments.append(Payment(1, amount, paid_on, start, start.add(span), id=i + 1))
    year = member_year(f, payments, [], RULES, 2026, dt.date(2027, 3, 1))
    previous = year.carried_in
    for line in year.lines:
        assert line.back == previous
        assert 0 <= line.unpaid_end <= line.total
        assert line.paid_for <= line.due.amount
        previous = line.unpaid_end
    assert sum(line.collected for line in year.lines) == sum(p.amount for p in payments)


def test_r2_grace_days_and_rolling_window():
    from app.domain.fee_ledger import FlagWindow

    f = facts(profile(FeeCategory.OTHER, Month(2025, 10), region=1))
    # Every month paid on the 5th of the next month: late with no grace, on time with 10 days' grace.
    payments = [Payment(1, 20_000, m.add(1).first_day().replace(day=5), m, m, id=i)
                for i, m in enumerate(mo.month_range(Month(2025, 10), Month(2026, 9)), start=1)]
    strict = member_year(f, payments, [], RULES, 2026, TODAY)
    assert len(strict.late_months) == 10  # January–September paid late, October not at all
    lenient = member_year(f, payments, [], RULES, 2026, TODAY, FlagOptions(grace_days=10))
    assert [m.month for m in lenient.late_months] == [10]  # October 2026 is still unpaid
    rolling = member_year(f, payments, [], RULES, 2026, TODAY, FlagOptions(window=FlagWindow.ROLLING_12))
    assert rolling.late_months[0] == Month(2025, 11) and len(rolling.late_months) == 12
