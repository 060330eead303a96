"""A cell's slice of the basic statistics forms for a period (DOMAIN §5.4): pure counting, no storage.

The count (đảng số) on a day is who holds a counted status then (chính thức, dự bị, miễn sinh hoạt; a
member here temporarily is counted by the home cell). Biểu 1's increases and decreases are the status
changes that cross into or out of the count within the period, so «cuối kỳ trước + tăng − giảm = cuối
kỳ» holds by construction for any history; each crossing is typed by the change's kind, or by the status
left for, and a crossing whose kind was never given is counted on a row of its own and named, never
guessed. Biểu 2 profiles the members admitted in the period as they were on the day; Biểu 3 is the count
on the period's last day; Biểu 6F takes the annual review's counts; Biểu 7 the badges, cards, rewards and
transfers of the period. Each form has «kỳ này» and «cùng kỳ năm trước».
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from app.domain import stat_codes
from app.domain.dates import years_between
from app.domain.member_events import COUNTED_STATUSES, LEAVING_ROWS, EntryKind, EventKind, Scope
from app.domain.members import MemberStatus, Sex
from app.domain.report_period import Period, PeriodError
from app.domain.stat_forms import ERAS, FORMS, TOTAL_HEADINGS, FormDef, age_band
from app.i18n import _


@dataclass(frozen=True)
class Step:
    """One status change as the forms read it."""

    status: MemberStatus
    date: dt.date
    kind: str = ""  # EntryKind value for a change into the count
    scope: str = ""  # Scope value for a transfer


@dataclass(frozen=True)
class Event:
    kind: str  # EventKind value
    date: dt.date
    detail: str = ""


@dataclass(frozen=True)
class MemberFacts:
    """What the forms need of one member; steps oldest first (ties in the order recorded)."""

    id: int
    name: str
    sex: Sex | None = None
    birth_date: dt.date | None = None
    ethnicity: str = ""
    religion: str = ""
    youth_union: bool | None = None
    occupation: str = ""  # an OCCUPATION_GROUPS code, or UNKNOWN
    education: str = ""
    professional: str = ""
    theory: str = ""
    admission_date: dt.date | None = None
    steps: tuple[Step, ...] = ()
    events: tuple[Event, ...] = ()

    def status_on(self, day: dt.date) -> MemberStatus | None:
        current = None
        for step in self.steps:
            if step.date > day:
                break
            current = step.status
        return current

    def counted_on(self, day: dt.date) -> bool:
        return self.status_on(day) in COUNTED_STATUSES


@dataclass(frozen=True)
class ReviewFacts:
    """One year's review as Biểu 6F counts it (from the annual review)."""

    year: int
    subject: int = 0  # đảng viên thuộc diện kiểm điểm (on the roll at the review)
    reviewed: int = 0
    newly_admitted: int = 0
    exempt: int = 0
    suspended: int = 0
    grades: dict[str, int] = field(default_factory=dict)  # final grade code -> count ("?" not yet decided)
    cell_reviewed: bool = False
    cell_grade: str = ""  # the cell's own final grade code, "" when none
    season_open: bool = False


@dataclass(frozen=True)
class Crossing:
    """A change into or out of the count: the row of Biểu 1 it adds to."""

    member_id: int
    name: str
    date: dt.date
    row: str  # B1, B1a… C5b, B9, C9
    direction: int  # +1 or -1


@dataclass(frozen=True)
class StatRow:
    code: str
    label: str
    level: int
    current: int | None  # None: a heading line with no figure of its own
    previous: int | None

    @property
    def percent(self) -> str:
        """Kỳ này so với cùng kỳ (%), to one decimal with a comma; empty when there is nothing to compare."""
        if self.current is None or not self.previous:
            return ""
        value = Fraction(100 * self.current, self.previous)
        rounded = round(value * 10) / 10
        return f"{float(rounded):.1f}".replace(".", ",")

    def to_json(self) -> dict:
        return {"code": self.code, "label": self.label, "level": self.level, "current": self.current,
                "previous": self.previous}


@dataclass(frozen=True)
class StatForm:
    form: str
    name: str
    title: str
    period: Period
    rows: tuple[StatRow, ...]
    warnings: tuple[str, ...] = ()

    def value(self, code: str, column: str = "current") -> int | None:
        for row in self.rows:
            if row.code == code:
                return getattr(row, column)
        raise KeyError(code)

    @property
    def printed_rows(self) -> tuple[StatRow, ...]:
        return tuple(r for r in self.rows if not r.code.startswith("_"))

    def to_json(self) -> dict:
        return {"form": self.form, "name": self.name, "title": self.title, "period": str(self.period),
                "period_label": self.period.label, "rows": [r.to_json() for r in self.rows],
                "warnings": list(self.warnings)}


# ---- Biểu 1: crossings -------------------------------------------------------------------------------

def _days(member: MemberFacts) -> list[tuple[MemberStatus | None, tuple[Step, ...], int]]:
    """The member's changes a day at a time: (status held the day before, that day's steps, index of the first).
    The count is by day, so several changes on one day count as their net effect in the order recorded (a
    mistake undone the same day, a member recorded as arriving and put on «sinh hoạt tạm thời» at once)."""
    out, previous, start = [], None, 0
    steps = member.steps
    while start < len(steps):
        end = start
        while end < len(steps) and steps[end].date == steps[start].date:
            end += 1
        out.append((previous, steps[start:end], start))
        previous = steps[end - 1].status
        start = end
    return out


def crossings(facts: Iterable[MemberFacts], first: dt.date, last: dt.date) -> list[Crossing]:
    """Every change into or out of the count dated first..last, typed by its Biểu 1 row."""
    out = []
    for member in facts:
        for before, day_steps, index in _days(member):
            after = day_steps[-1]
            entered, counted = before in COUNTED_STATUSES, after.status in COUNTED_STATUSES
            if entered == counted or not first <= after.date <= last:
                continue
            if counted:
                # The day's last change into the count carries the kind (kết nạp, chuyển đến…).
                offset, step, held = 0, after, before
                for number, candidate in enumerate(day_steps):
                    if candidate.status in COUNTED_STATUSES and held not in COUNTED_STATUSES:
                        offset, step = number, candidate
                    held = candidate.status
                row = _entry_row(member, step, index + offset)
            else:
                row = _leaving_row(member, after)
            out.append(Crossing(member.id, member.name, after.date, row, 1 if counted else -1))
    return out


def _entry_row(member: MemberFacts, step: Step, index: int) -> str:
    kind = step.kind
    if not kind and index == 0 and step.status is MemberStatus.PROBATIONARY and step.date == member.admission_date:
        kind = EntryKind.ADMITTED  # the first status is the admission decision itself
    if kind == EntryKind.ADMITTED:
        return "B1"
    if kind == EntryKind.READMITTED:
        return "B1a"
    if kind == EntryKind.TRANSFERRED_IN:
        return {Scope.OTHER_PROVINCE: "B2a", Scope.IN_PROVINCE: "B2b"}.get(step.scope, "B2")
    if kind == EntryKind.RESTORED:
        return "B3"
    return "B9"


def _leaving_row(member: MemberFacts, step: Step) -> str:
    row = LEAVING_ROWS.get(step.status)
    if row is None:
        return "C9"
    if row == "C3" and MemberStatus.PROBATIONARY is _last_counted_before(member, step):
        return "C3a"
    if row == "C5":
        return {Scope.OTHER_PROVINCE: "C5a", Scope.IN_PROVINCE: "C5b"}.get(step.scope, "C5")
    return row


def _last_counted_before(member: MemberFacts, step: Step) -> MemberStatus | None:
    """The counted status the member held before this change (dự bị for a probationary member removed)."""
    held = None
    for other in member.steps:
        if other is step:
            return held
        if other.status in COUNTED_STATUSES:
            held = other.status
    return held


# A «trong đó» row is also counted in its parent.
_PARENT = {"B1a": "B1", "B2a": "B2", "B2b": "B2", "C3a": "C3", "C5a": "C5", "C5b": "C5"}
_GROUP = {"B1": "B", "B2": "B", "B3": "B", "B9": "B", "C1": "C", "C2": "C", "C3": "C", "C4": "C", "C5": "C",
          "C9": "C"}


def form_1_values(facts: list[MemberFacts], period: Period) -> Counter:
    start = period.first_day - dt.timedelta(days=1)
    values = Counter()
    values["A"] = sum(1 for m in facts if m.counted_on(start))
    values["D"] = sum(1 for m in facts if m.counted_on(period.last_day))
    for crossing in crossings(facts, period.first_day, period.last_day):
        row = crossing.row
        values[row] += 1
        parent = _PARENT.get(row, row)
        if parent != row:
            values[parent] += 1
        values[_GROUP[parent]] += 1
    return values


# ---- Biểu 2 and 3: profiles --------------------------------------------------------------------------

def _age_values(values: Counter, birth: dt.date | None, day: dt.date) -> None:
    if birth is None or birth > day:
        values["AGE:?"] += 1
        return
    age = years_between(birth, day)
    values[f"AGE:{age_band(age)}"] += 1
    values["_age_sum"] += age
    values["_age_count"] += 1


def _levels(values: Counter, member: MemberFacts, theory: bool) -> None:
    values[f"E:{member.education or '?'}"] += 1
    values[f"P:{member.professional or '?'}"] += 1
    if theory:
        values[f"L:{member.theory or '?'}"] += 1


def form_2_values(facts: list[MemberFacts], period: Period) -> Counter:
    values = Counter()
    by_id = {m.id: m for m in facts}
    for crossing in crossings(facts, period.first_day, period.last_day):
        if crossing.row not in ("B1", "B1a"):
            continue
        member = by_id[crossing.member_id]
        values["T"] += 1
        values["T1"] += stat_codes.is_minority(member.ethnicity)
        values["T2"] += bool(member.youth_union)
        values["T3"] += member.occupation == "chu-dntn"
        values["T4"] += crossing.row == "B1a"
        values["T5"] += member.sex is Sex.FEMALE
        values[f"O:{member.occupation or '?'}"] += 1
        _age_values(values, member.birth_date, crossing.date)
        _levels(values, member, theory=False)
    return values


def _era(admitted: dt.date | None) -> str:
    if admitted is None:
        return "?"
    iso = admitted.isoformat()
    for code, start, end, _label in ERAS:
        if (start is None or iso >= start) and (end is None or iso <= end):
            return code
    return "?"


def form_3_values(facts: list[MemberFacts], period: Period) -> Counter:
    day = period.last_day
    values = Counter()
    for member in facts:
        status = member.status_on(day)
        if status not in COUNTED_STATUSES:
            continue
        values["T"] += 1
        values["T1"] += member.sex is Sex.FEMALE
        values["T2"] += status is MemberStatus.PROBATIONARY
        values["T3"] += stat_codes.is_minority(member.ethnicity)
        values["T4"] += stat_codes.has_religion(member.religion)
        values["T5"] += bool(member.youth_union)
        values["T6"] += member.occupation == "chu-dntn"
        if member.occupation == stat_codes.RETIRED:
            values["O:nghi-huu"] += 1
            values["O:nghi-huu:mien"] += status is MemberStatus.EXEMPT
        else:
            values[f"O:{member.occupation or '?'}"] += 1
        _age_values(values, member.birth_date, day)
        values[f"K:{_era(member.admission_date)}"] += 1
        _levels(values, member, theory=True)
    return values


# ---- Biểu 6F and 7 -----------------------------------------------------------------------------------

def form_6f_values(review: ReviewFacts | None) -> Counter:
    values = Counter()
    if review is None or not review.season_open:
        return values
    values["TT"] = 1
    values["TT1"] = int(review.cell_reviewed)
    values["TT2"] = 0
    values["DV"] = review.subject
    values["DV1"] = review.reviewed
    values["DV2a"] = review.newly_admitted
    values["DV2b"] = review.exempt
    values["DV2c"] = review.suspended
    values["DV2"] = review.subject - review.reviewed
    for grade, count in review.grades.items():
        values[f"G:{grade}"] += count
    values["G"] = sum(review.grades.values())
    if review.cell_grade:
        values[f"GC:{review.cell_grade}"] = 1
        values["GC"] = 1
    return values


def form_7_values(facts: list[MemberFacts], period: Period) -> Counter:
    values = Counter()
    for member in facts:
        for event in member.events:
            if not period.contains(event.date):
                continue
            prefix = {EventKind.BADGE: "H", EventKind.CARD: "TD", EventKind.REWARD: "R"}.get(event.kind)
            if prefix:
                values[f"{prefix}:{event.detail}"] += 1
                values[prefix] += 1
            elif event.kind == EventKind.TEMPORARY_OUT:
                values["CS:tt-di"] += 1
                values["CS"] += 1
        for before, day_steps, _index in _days(member):
            if not period.contains(day_steps[-1].date):
                continue
            if day_steps[-1].status is MemberStatus.TEMPORARY and before is not MemberStatus.TEMPORARY:
                values["CS:tt-den"] += 1
                values["CS"] += 1
    for crossing in crossings(facts, period.first_day, period.last_day):
        if crossing.row.startswith("B2"):
            values["CS:ct-den"] += 1
            values["CS"] += 1
        elif crossing.row.startswith("C5"):
            values["CS:ct-di"] += 1
            values["CS"] += 1
    return values


# ---- forms -------------------------------------------------------------------------------------------

def values_for(form: str, facts: list[MemberFacts], period: Period, review: ReviewFacts | None = None) -> Counter:
    if form == "1":
        return form_1_values(facts, period)
    if form == "2":
        return form_2_values(facts, period)
    if form == "3":
        return form_3_values(facts, period)
    if form == "6F":
        return form_6f_values(review)
    if form == "7":
        return form_7_values(facts, period)
    raise KeyError(form)


def mean_age(values: dict) -> int | None:
    """Tuổi bình quân, rounded to the nearest year (from the carried sum and count, so cells add up)."""
    count = values.get("_age_count", 0)
    if not count:
        return None
    return int(Fraction(values.get("_age_sum", 0), count) + Fraction(1, 2))


def assemble(definition: FormDef, period: Period, current: dict, previous: dict,
             warnings: tuple[str, ...] = ()) -> StatForm:
    """The printed form from two columns of values by row code (a cell's own or a superior's sums)."""
    rows = []
    for row in definition.rows:
        if row.combine == "mean":
            now, before = mean_age(current), mean_age(previous)
        elif row.level == 0 and row.code not in TOTAL_HEADINGS:
            now = before = None
        else:
            now, before = int(current.get(row.code, 0)), int(previous.get(row.code, 0))
        rows.append(StatRow(row.code, row.label(), row.level, now, before))
    return StatForm(definition.code, definition.name, definition.title(), period, tuple(rows), warnings)


def compute(form: str, facts: list[MemberFacts], period: Period, reviews: dict[int, ReviewFacts] | None = None,
            named: bool = True) -> StatForm:
    """One form for a period, with the same period a year before beside it; named=False words the warnings
    without the members' names (a package that carries no names)."""
    reviews = reviews or {}
    definition = FORMS[form]
    current = values_for(form, facts, period, reviews.get(period.year))
    try:
        before = period.year_before()
    except PeriodError:  # the first year the periods reach (1930): nothing a year before to compare with
        previous = Counter()
    else:
        previous = values_for(form, facts, before, reviews.get(before.year))
    return assemble(definition, period, current, previous, _warnings(form, facts, period, named))


def _warnings(form: str, facts: list[MemberFacts], period: Period, named: bool = True) -> tuple[str, ...]:
    """What the secretary should complete so that the form says what it should."""
    out = []
    if form == "1":
        unclassified = [c for c in crossings(facts, period.first_day, period.last_day) if c.row == "B9"]
        if unclassified and not named:
            out.append(_("{count} đảng viên vào chi bộ trong kỳ chưa ghi hình thức (kết nạp, chuyển đến, phục hồi)."
                         ).format(count=len(unclassified)))
        for crossing in unclassified if named else ():
            if crossing.row == "B9":
                out.append(_("Đồng chí {name} vào chi bộ ngày {date} chưa ghi hình thức (kết nạp, chuyển đến, "
                             "phục hồi).").format(name=crossing.name, date=crossing.date.strftime("%d/%m/%Y")))
    if form == "3":
        missing = Counter()
        for member in facts:
            if not member.counted_on(period.last_day):
                continue
            for name, value in (("occupation", member.occupation), ("education", member.education),
                                ("professional", member.professional), ("theory", member.theory)):
                if not value:
                    missing[name] += 1
            if member.birth_date is None:
                missing["birth"] += 1
        labels = {"occupation": _("nhóm nghề nghiệp"), "education": _("giáo dục phổ thông"),
                  "professional": _("chuyên môn"), "theory": _("lý luận chính trị"), "birth": _("ngày sinh")}
        for name, count in missing.items():
            out.append(_("{count} đảng viên chưa rõ {field}: tính vào dòng «Chưa rõ».").format(
                count=count, field=labels[name]))
    return tuple(out)


def identity_holds(form_1: StatForm) -> bool:
    """Cuối kỳ trước + tăng − giảm = cuối kỳ, in both columns."""
    return all(form_1.value("A", c) + form_1.value("B", c) - form_1.value("C", c) == form_1.value("D", c)
               for c in ("current", "previous"))
