"""Month arithmetic beyond dates.Month: ranges, last days, quarters, the way the fee book counts."""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from app.domain.dates import DateParseError, Month

__all__ = ["Month", "DateParseError", "last_day", "month_range", "months_between", "quarter", "index",
           "from_index", "label", "parse_month", "contains"]


def index(month: Month) -> int:
    """A running number of the month (year × 12 + month − 1): differences are month counts."""
    return month.year * 12 + month.month - 1


def from_index(number: int) -> Month:
    return Month(number // 12, number % 12 + 1)


def last_day(month: Month) -> dt.date:
    return dt.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def months_between(start: Month, end: Month) -> int:
    """How many months from start to end (0 for the same month; negative if end is earlier)."""
    return index(end) - index(start)


def month_range(start: Month, end: Month) -> Iterator[Month]:
    """start … end inclusive; empty when end is before start."""
    for number in range(index(start), index(end) + 1):
        yield from_index(number)


def quarter(month: Month) -> int:
    return (month.month - 1) // 3 + 1


def label(month: Month) -> str:
    """'02/2026', as the book writes a month."""
    return f"{month.month:02d}/{month.year}"


def contains(start: Month, end: Month | None, month: Month) -> bool:
    """Whether month lies in start … end (end None: open-ended)."""
    return start <= month and (end is None or month <= end)


def parse_month(text: str) -> Month:
    """'2026-02', '2026-2' or '02/2026'; a month outside 1900–2100 is refused as a typing slip."""
    try:
        month = Month.parse(str(text))
    except ValueError as exc:  # Month(2026, 13): a real-looking text naming no month
        raise DateParseError(text) from exc
    if not 1900 <= month.year <= 2100:
        raise DateParseError(text)
    return month
