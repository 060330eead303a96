"""The demo cell's badges, cards and a reward: what Biểu 7 counts, dated from the members' own records."""
from __future__ import annotations

import datetime as dt

from app.domain.dates import years_between
from app.domain.member_events import BADGE_MILESTONES, EventKind
from app.services import member_events
from app.services import members as member_service

# The occasions badges are given on (DOMAIN §4.3): 3/2, 19/5, 2/9, 7/11.
_OCCASIONS = ((2, 3), (5, 19), (9, 2), (11, 7))


def _next_occasion(day: dt.date) -> dt.date:
    for year in (day.year, day.year + 1):
        for month, dom in _OCCASIONS:
            occasion = dt.date(year, month, dom)
            if occasion >= day:
                return occasion
    return day


def build(today: dt.date) -> None:
    """Inside the demo's transaction: each member who reached a milestone in the last two years got the
    badge at the next occasion; members made official in that time got their card; the secretary a reward."""
    since = today.replace(year=today.year - 2)
    for entry in member_service.list_members():
        member = entry.member
        admitted = member.admission_date
        if admitted is None:
            continue
        age = years_between(admitted, today)
        for years in BADGE_MILESTONES:
            if years > age:
                break
            reached = admitted.replace(year=admitted.year + years) if (admitted.month, admitted.day) != (2, 29) \
                else dt.date(admitted.year + years, 3, 1)
            awarded = _next_occasion(reached)
            if since <= reached and awarded <= today:
                member_events.add_event(member.id, EventKind.BADGE, awarded, str(years),
                                        f"{10 + member.id}-QĐ/TU", today=today)
        if member.official_date and since <= member.official_date <= today:
            card_day = min(today, member.official_date + dt.timedelta(days=90))
            member_events.add_event(member.id, EventKind.CARD, card_day, "cap_moi", today=today)
        if member.party_post == "Bí thư chi bộ":
            member_events.add_event(member.id, EventKind.REWARD, dt.date(today.year, 2, 3) if today.month > 2 else
                                    dt.date(today.year - 1, 2, 3), "giay_khen", "125-QĐ/ĐU", today=today)
