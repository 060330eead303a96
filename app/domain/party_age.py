"""Tuổi đảng: party age from the admission decision, minus the periods without Party activity (DOMAIN §4.2, R8)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.dates import years_between
from app.domain.members import Member, MemberStatus, StatusChange

# Periods spent in these statuses are gaps (xóa tên, khai trừ, ra khỏi Đảng): 24-QĐ/TW 4.5.1. A transfer to
# another cell is not a gap: the member keeps Party activity there.
GAP_STATUSES = frozenset({MemberStatus.REMOVED, MemberStatus.EXPELLED, MemberStatus.RESIGNED})


@dataclass(frozen=True)
class PartyAge:
    """Whole years and the days beyond them, as the badge list and the fee exemption read them."""

    years: int
    days: int
    gap_days: int


def start_date(member: Member, history: list[StatusChange]) -> dt.date | None:
    """The admission decision date; without it the ceremony date, then the first recorded status."""
    if member.admission_date:
        return member.admission_date
    if member.ceremony_date:
        return member.ceremony_date
    return min((c.effective_date for c in history), default=None)


def gap_days(history: list[StatusChange], day: dt.date) -> int:
    """Days before `day` spent in a gap status; a gap still open on `day` counts up to it."""
    ordered = sorted(history, key=lambda c: (c.effective_date, c.id or 0))
    total = 0
    gap_from: dt.date | None = None
    for change in ordered:
        if change.effective_date > day:
            break
        in_gap = change.status in GAP_STATUSES
        if in_gap and gap_from is None:
            gap_from = change.effective_date
        elif not in_gap and gap_from is not None:
            total += (change.effective_date - gap_from).days
            gap_from = None
    if gap_from is not None:
        total += (day - gap_from).days
    return total


def is_official(member: Member, history: list[StatusChange], day: dt.date) -> bool:
    if member.official_date and member.official_date <= day:
        return True
    return any(c.status is MemberStatus.OFFICIAL and c.effective_date <= day for c in history)


def party_age(member: Member, history: list[StatusChange], day: dt.date) -> PartyAge | None:
    """Party age on `day`; None for a member not (yet) official, or with no admission date at all (R8)."""
    start = start_date(member, history)
    if start is None or start > day or not is_official(member, history, day):
        return None
    gaps = gap_days(history, day)
    counted_to = day - dt.timedelta(days=gaps)
    if counted_to < start:
        return PartyAge(0, 0, gaps)
    years = years_between(start, counted_to)
    anniversary = _anniversary(start, years)
    return PartyAge(years, (counted_to - anniversary).days, gaps)


def _anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29/02 in a common year
        return start.replace(year=start.year + years, day=28)
