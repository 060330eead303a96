"""Kỳ báo cáo: the period a report or a package sent upward covers — a year, a quarter or a month — and the
same period a year before (the statistics forms' «cùng kỳ năm trước» column)."""
from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from app.domain.dates import Month


class PeriodKind(enum.StrEnum):
    YEAR = "nam"
    QUARTER = "quy"
    MONTH = "thang"


_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*-\s*[Qq]\s*([1-4])\s*$")
_MONTH = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")
FIRST_YEAR, LAST_YEAR = 1930, 2200


class PeriodError(ValueError):
    """Not a period written as 2026, 2026-Q3 or 2026-07 (or outside 1930–2200)."""


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year, a quarter (1–4) or a month (1–12): number is None for a year."""

    year: int
    kind: PeriodKind = PeriodKind.YEAR
    number: int | None = None

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise PeriodError(f"year {self.year}")
        top = {PeriodKind.YEAR: None, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}[self.kind]
        if (top is None) != (self.number is None) or (top is not None and not 1 <= self.number <= top):
            raise PeriodError(f"{self.kind} {self.number}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """2026 (the year), 2026-Q3 (the third quarter), 2026-07 (July)."""
        text = str(text or "")
        for pattern, kind in ((_YEAR, PeriodKind.YEAR), (_QUARTER, PeriodKind.QUARTER), (_MONTH, PeriodKind.MONTH)):
            match = pattern.match(text)
            if match:
                year = int(match.group(1))
                number = int(match.group(2)) if kind is not PeriodKind.YEAR else None
                return cls(year, kind, number)
        raise PeriodError(text)

    @property
    def first_day(self) -> dt.date:
        return self.months[0].first_day()

    @property
    def last_day(self) -> dt.date:
        return self.months[-1].add(1).first_day() - dt.timedelta(days=1)

    @property
    def months(self) -> tuple[Month, ...]:
        if self.kind is PeriodKind.YEAR:
            return tuple(Month(self.year, m) for m in range(1, 13))
        if self.kind is PeriodKind.QUARTER:
            return tuple(Month(self.year, 3 * (self.number - 1) + m) for m in range(1, 4))
        return (Month(self.year, self.number),)

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day

    def year_before(self) -> Period:
        """Cùng kỳ năm trước."""
        return Period(self.year - 1, self.kind, self.number)

    def _by_kind(self, year: str, quarter: str, month: str) -> str:
        return {PeriodKind.YEAR: year, PeriodKind.QUARTER: quarter, PeriodKind.MONTH: month}[self.kind]

    def __str__(self) -> str:
        """As typed on the command line: 2026, 2026-Q3, 2026-07."""
        n = self.number or 0
        return self._by_kind(f"{self.year:04d}", f"{self.year:04d}-Q{n}", f"{self.year:04d}-{n:02d}")

    @property
    def label(self) -> str:
        """As printed on a form: «năm 2026», «quý III năm 2026», «tháng 7 năm 2026»."""
        n = self.number or 0
        roman = ("I", "II", "III", "IV")[n - 1] if self.kind is PeriodKind.QUARTER else ""
        return self._by_kind(f"năm {self.year}", f"quý {roman} năm {self.year}", f"tháng {n} năm {self.year}")
