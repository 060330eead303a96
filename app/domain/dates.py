"""Dates as Vietnamese secretaries write them, and the month as a value."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class DateParseError(ValueError):
    """The text is not a date, or names a day that does not exist."""


def parse_date(value: object) -> dt.date | None:
    """Read a date from a cell or a field: date objects, 'dd/mm/yyyy', 'd/m/yyyy', ISO, Excel serials.

    Empty values give None; anything else that is not a real day raises DateParseError.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise DateParseError(str(value))
    text = str(value).strip()
    if not text:
        return None
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text.split("T")[0].split(" ")[0])
        if not match:
            raise DateParseError(text)
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateParseError(text) from exc


def format_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, the way the roster shows dates; empty for None."""
    return value.strftime("%d/%m/%Y") if value else ""


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from start to end (an age on a given day)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month (year, month): fees and attendance are counted by it."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month}")

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> "Month":
        match = re.match(r"^\s*(\d{4})-(\d{1,2})\s*$", text) or None
        if match:
            return cls(int(match.group(1)), int(match.group(2)))
        match = re.match(r"^\s*(\d{1,2})/(\d{4})\s*$", text)
        if match:
            return cls(int(match.group(2)), int(match.group(1)))
        raise DateParseError(text)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def add(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
