"""Vietnam's statutory retirement age (tuổi nghỉ hưu), rising by birth date and sex.

Bộ luật Lao động 2019, Điều 169, and Nghị định 135/2020/NĐ-CP, Phụ lục I (normal working conditions):
until 2020 men retire at 60 and women at 55; from 2021 men at 60 years 3 months, then 3 more months each
year up to 62 in 2028; women at 55 years 4 months, then 4 more months each year up to 60 in 2035. The
age that applies to a person is the one in force in the calendar year in which they reach it.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from app.domain.dates import Month
from app.domain.members import Sex
from app.i18n import _


@dataclass(frozen=True)
class Schedule:
    """One sex's ladder: the age (in months) until `first_year − 1`, the yearly step, the ceiling."""

    base_months: int
    step_months: int
    ceiling_months: int
    first_year: int = 2021


SCHEDULES = {
    Sex.MALE: Schedule(base_months=60 * 12, step_months=3, ceiling_months=62 * 12),
    Sex.FEMALE: Schedule(base_months=55 * 12, step_months=4, ceiling_months=60 * 12),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (29/02 + 12 months = 28/02)."""
    number = day.year * 12 + day.month - 1 + months
    year, month = number // 12, number % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retirement_age_months(birth: dt.date, sex: Sex) -> int:
    """The statutory retirement age of a person, in months (720 = 60 years)."""
    schedule = SCHEDULES[sex]
    born = Month.of(birth)
    step = 0
    while True:
        age = min(schedule.base_months + step * schedule.step_months, schedule.ceiling_months)
        year_in_force = schedule.first_year - 1 + step
        reached = born.add(age)
        # The age in force in year Y applies to whoever reaches it in Y (NĐ 135/2020, Phụ lục I).
        if reached.year <= year_in_force or age == schedule.ceiling_months:
            return age
        step += 1


def retirement_date(birth: dt.date, sex: Sex) -> dt.date:
    """The day the person reaches retirement age."""
    return add_months(birth, retirement_age_months(birth, sex))


def retired_from(birth: dt.date, sex: Sex) -> Month:
    """The first month counted 'at or above retirement age': the month after it is reached, as a pension
    starts the month after (BHXH law); a birthday on the 1st counts that very month."""
    reached = retirement_date(birth, sex)
    return Month.of(reached) if reached.day == 1 else Month.of(reached).add(1)


def format_age(months: int) -> str:
    years, rest = divmod(months, 12)
    if rest:
        return _("{years} tuổi {months} tháng").format(years=years, months=rest)
    return _("{years} tuổi").format(years=years)
