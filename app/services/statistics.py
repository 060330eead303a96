"""The cell's statistics for a period (Biểu 1, 2, 3, 6F, 7): the facts read from the file, counted by
app.domain.statistics."""
from __future__ import annotations

import datetime as dt

from app.domain import stat_codes
from app.domain.member_events import COUNTED_STATUSES
from app.domain.report_period import Period, PeriodError
from app.domain.review_scope import Exclusion
from app.domain.stat_forms import FORMS
from app.domain.statistics import Event, MemberFacts, ReviewFacts, StatForm, Step, compute
from app.i18n import _
from app.services import member_events
from app.services import members as member_service
from app.services.errors import ServiceError
from app.storage import models as m

FORM_CODES = tuple(FORMS)


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError:
        raise ServiceError(_("Kỳ «{text}» không đúng: viết 2026 (cả năm), 2026-Q3 (quý III) hoặc 2026-07 "
                             "(tháng 7), từ năm 1930 đến 2200.").format(text=text)) from None


def form_code(text: str) -> str:
    code = str(text or "").strip().upper().removeprefix("BIEU").strip()
    if code not in FORMS:
        raise ServiceError(_("Không có biểu «{text}»; chọn một trong: {choices}.").format(
            text=text, choices=", ".join(FORMS)))
    return code


def member_facts(history_of: dict | None = None, events_of: dict | None = None) -> list[MemberFacts]:
    """Every member ever on the roster (archived too: they count for the periods they were here); the status
    histories and events may be given when the caller has read them already."""
    history_of = member_service.histories() if history_of is None else history_of
    events_of = member_events.events_by_member() if events_of is None else events_of
    out = []
    for row in m.roster_rows(include_archived=True):
        member_id = row["id"]
        steps = tuple(Step(c.status, c.effective_date, c.kind, c.scope) for c in history_of.get(member_id, []))
        evts = tuple(Event(e.kind.value, e.date, e.detail) for e in events_of.get(member_id, []))
        out.append(MemberFacts(
            id=member_id, name=row["full_name"], sex=_sex(row["sex"]), birth_date=row["birth_date"],
            ethnicity=row["ethnicity"], religion=row["religion"], youth_union=row["youth_union"],
            occupation=stat_codes.occupation_code(row["occupation_group"], row["occupation"]),
            education=stat_codes.classify(stat_codes.EDUCATION, row["education"]),
            professional=stat_codes.classify(stat_codes.PROFESSIONAL, row["professional_level"]),
            theory=stat_codes.classify(stat_codes.THEORY, row["political_theory"]),
            admission_date=row["admission_date"], steps=steps, events=evts))
    return out


def _sex(value: str | None):
    from app.domain.members import Sex

    return Sex(value) if value else None


def review_facts(year: int) -> ReviewFacts | None:
    """Biểu 6F's counts from the annual review of a year; None when no season was opened."""
    from app.services import review
    from app.storage import review_models

    if not review_models.ReviewYear.select().where(review_models.ReviewYear.year == year).exists():
        return None
    rows = review.review_rows(year)
    summary = review.summary(year, rows)
    grades = {g.grade.value: g.final for g in summary.grades if g.final}
    undecided = sum(1 for r in rows if r.reviewed and r.data.final_grade is None)
    if undecided:
        grades["?"] = undecided
    counts = summary.not_reviewed
    rating = review.get_season(year).cell
    cell_grade = rating.final_grade or rating.self_grade
    return ReviewFacts(
        year=year, subject=summary.reviewed + sum(counts.get(e, 0) for e in Exclusion if e.in_bieu_6f),
        reviewed=summary.reviewed, newly_admitted=counts.get(Exclusion.NEWLY_ADMITTED, 0),
        exempt=counts.get(Exclusion.EXEMPT, 0), suspended=counts.get(Exclusion.SUSPENDED, 0), grades=grades,
        cell_reviewed=rating.self_grade is not None or rating.final_grade is not None,
        cell_grade=cell_grade.value if cell_grade else "", season_open=True)


def forms(period: Period, codes: tuple[str, ...] = FORM_CODES, facts: list[MemberFacts] | None = None,
          named: bool = True) -> list[StatForm]:
    """The chosen forms for a period, each with «cùng kỳ năm trước»."""
    facts = member_facts() if facts is None else facts
    reviews = {}
    if "6F" in codes:
        for year in (period.year, period.year - 1):
            facts_of_year = review_facts(year)
            if facts_of_year is not None:
                reviews[year] = facts_of_year
    return [compute(code, facts, period, reviews, named) for code in codes]


def counted_on(day: dt.date, facts: list[MemberFacts] | None = None) -> int:
    facts = member_facts() if facts is None else facts
    return sum(1 for f in facts if f.status_on(day) in COUNTED_STATUSES)
