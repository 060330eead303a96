"""Kỳ báo cáo: the periods a report sent upward covers, their days, and the same period a year before."""
from __future__ import annotations

import datetime as dt

import pytest

from app.domain.dates import Month
from app.domain.report_period import Period, PeriodError, PeriodKind


@pytest.mark.parametrize(("text", "first", "last", "label"), [
    ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "năm 2026"),
    ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "quý I năm 2026"),
    ("2026-q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "quý IV năm 2026"),
    ("2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29), "tháng 2 năm 2028"),  # a leap year's February
    (" 2026-7 ", dt.date(2026, 7, 1), dt.date(2026, 7, 31), "tháng 7 năm 2026"),
])
def test_a_period_has_its_first_and_last_day_and_its_printed_name(text, first, last, label):
    period = Period.parse(text)
    assert (period.first_day, period.last_day, period.label) == (first, last, label)
    assert Period.parse(str(period)) == period


def test_the_same_period_a_year_before_and_the_months_it_holds():
    quarter = Period.parse("2026-Q3")
    assert quarter.year_before() == Period(2025, PeriodKind.QUARTER, 3)
    assert quarter.months == (Month(2026, 7), Month(2026, 8), Month(2026, 9))
    assert quarter.contains(dt.date(2026, 9, 30)) and not quarter.contains(dt.date(2026, 10, 1))
    assert len(Period.parse("2026").months) == 12


@pytest.mark.parametrize("text", ["", "26", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "1929", "2201", "2026/07",
                                  "Q3-2026", "2026-Q"])
def test_what_is_not_a_period_is_refused(text):
    with pytest.raises(PeriodError):
        Period.parse(text)
