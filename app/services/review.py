"""Kiểm điểm, đánh giá, xếp loại cuối năm: the season of a year, each member's review at every stage, the
dated thresholds, the cell's own rating and the checks. Every write is one transaction with its history row
(entity "review", entity_id the year; "review_rule" for the thresholds)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from app.domain.issues import Issue, ValidationReport
from app.domain.members import StatusChange
from app.domain.review import (
    EXCEEDED_MIN_PERCENT,
    GRADES_BEST_FIRST,
    Grade,
    GradeFacts,
    GradeResult,
    TaskShares,
    compute_grade,
    format_score,
    override_shares,
    parse_grade,
    parse_score,
    plain_text,
    shown,
    total_score,
    validate_scores,
)
from app.domain.review_checks import (
    contradiction,
    majority_report,
    quota,
    quota_report,
    stage_order_report,
    two_years_running,
    vote_report,
)
from app.domain.review_criteria import CriteriaSheet, default_sheet
from app.domain.review_scope import (
    DEFAULT_MIN_MONTHS_SINCE_ADMISSION,
    DEFAULT_SICK_MONTHS,
    Exclusion,
    ReviewFacts,
    ReviewScope,
    ScopeThresholds,
    count_exclusions,
    review_scope,
)
from app.i18n import _
from app.services import members as member_service
from app.services import period_lock, review_tasks
from app.services.errors import NotFound, ValidationFailed
from app.storage import audit
from app.storage import review_models as rm
from app.storage.models import database, now

FORMS = ("2C", "2B", "2A")
DEFAULT_QUOTA_PERCENT = 20
QUOTA_CHOICES = (20, 25)

# The dated thresholds: key -> (default, label). A value is in force from its date on (the review date decides).
RULES: dict[str, tuple[int, object]] = {
    "min_months_since_admission": (DEFAULT_MIN_MONTHS_SINCE_ADMISSION, lambda: _(
        "Kết nạp chưa đủ bao nhiêu tháng thì không phải kiểm điểm (Quy định 366, Điều 5)")),
    "sick_months": (int(DEFAULT_SICK_MONTHS), lambda: _(
        "Ốm đau từ bao nhiêu tháng thì đánh giá theo công tác thực tế (Hướng dẫn 43, mục 7.5)")),
    "quota_percent": (DEFAULT_QUOTA_PERCENT, lambda: _(
        "Tỷ lệ tối đa Hoàn thành xuất sắc so với số Hoàn thành tốt (%; 25 khi cấp trên cho phép)")),
}


# --- the dated thresholds ------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    id: int
    key: str
    valid_from: dt.date
    value: int
    note: str = ""

    @property
    def label(self) -> str:
        return RULES[self.key][1]()


def rules(include_removed: bool = False) -> list[Rule]:
    query = rm.ReviewRule.select().order_by(rm.ReviewRule.key, rm.ReviewRule.valid_from, rm.ReviewRule.id)
    if not include_removed:
        query = query.where(rm.ReviewRule.removed_at.is_null())
    return [Rule(r.id, r.key, r.valid_from, r.value, r.note) for r in query]


def rule_value(key: str, on: dt.date, stored: list[Rule] | None = None) -> int:
    """The threshold in force on a day: the latest row from that day or before, else the default."""
    found = [r for r in (stored if stored is not None else rules()) if r.key == key and r.valid_from <= on]
    return max(found, key=lambda r: (r.valid_from, r.id)).value if found else RULES[key][0]


def _rule_problem(key: str, value: int) -> str:
    if key == "quota_percent" and value not in QUOTA_CHOICES:
        return _("chỉ chọn 20 hoặc 25 (%).")
    if key == "min_months_since_admission" and not 0 <= value <= 24:
        return _("phải từ 0 đến 24 tháng.")
    if key == "sick_months" and not 1 <= value <= 12:
        return _("phải từ 1 đến 12 tháng.")
    return ""


def set_rule(key: str, value: int, *, valid_from: dt.date, note: str = "") -> Rule:
    """Một ngưỡng mới từ một ngày: the old rows stay for the years they served."""
    if key not in RULES:
        raise ValidationFailed([Issue("review.rule", _("không có ngưỡng «{key}»; chọn một trong: {keys}.").format(
            key=key, keys=", ".join(RULES)))])
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed([Issue("review.rule", _("{label}: phải là một số nguyên.").format(
            label=RULES[key][1]()))])
    problem = _rule_problem(key, value)
    if problem:
        raise ValidationFailed([Issue("review.rule", f"{RULES[key][1]()}: {problem}")])
    _check_day(valid_from, "review.valid_from")
    if not dt.date(1930, 1, 1) <= valid_from <= dt.date(2200, 12, 31):
        raise ValidationFailed([Issue("review.valid_from", _("ngày áp dụng phải từ năm 1930 đến năm 2200."))])
    same = [r for r in rules() if r.key == key and r.valid_from == valid_from]
    if same:
        raise ValidationFailed([Issue("review.valid_from", _(
            "đã có ngưỡng này từ ngày {date} (mã số {id}, giá trị {value}); bỏ ngưỡng đó trước nếu muốn ghi lại.")
            .format(date=valid_from.strftime("%d/%m/%Y"), id=same[0].id, value=same[0].value))])
    report = ValidationReport()
    note = clean_text(note, "review.rule_note", report)
    if report.errors:
        raise ValidationFailed(report.errors)
    with database.atomic():
        row = rm.ReviewRule.create(key=key, valid_from=valid_from, value=value, note=note, recorded_at=now())
        audit.record("review_rule", row.id, "create", {key: [None, value], "valid_from": [None, valid_from]}, note)
    return Rule(row.id, key, valid_from, value, note)


def remove_rule(rule_id: int, reason: str = "") -> None:
    row = None
    if not isinstance(rule_id, bool) and isinstance(rule_id, int):
        row = rm.ReviewRule.get_or_none((rm.ReviewRule.id == rule_id) & rm.ReviewRule.removed_at.is_null())
    if row is None:
        raise NotFound(_("Không có ngưỡng mã số {id}.").format(id=shown(rule_id)))
    report = ValidationReport()
    reason = clean_text(reason, "review.reason", report)
    if report.errors:
        raise ValidationFailed(report.errors)
    with database.atomic():
        rm.ReviewRule.update(removed_at=now()).where(rm.ReviewRule.id == rule_id).execute()
        audit.record("review_rule", rule_id, "remove", {row.key: [row.value, None]}, reason)


def thresholds_on(day: dt.date) -> tuple[ScopeThresholds, int]:
    """Who is reviewed and the quota percent, as in force on the review date."""
    stored = rules()
    return (ScopeThresholds(rule_value("min_months_since_admission", day, stored),
                            rule_value("sick_months", day, stored)),
            rule_value("quota_percent", day, stored))


# --- the season ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CellRating:
    """Tập thể chi bộ tự đánh giá, xếp loại (Mẫu 01)."""

    general: Decimal | None = None
    tasks: Decimal | None = None
    exceeded: bool | None = None
    self_grade: Grade | None = None
    final_grade: Grade | None = None
    final_reason: str = ""
    votes: dict[Grade, int] = field(default_factory=dict)
    strengths: str = ""
    shortcomings: str = ""
    remedies: str = ""
    plan: str = ""

    @property
    def total(self) -> Decimal | None:
        return None if self.general is None or self.tasks is None else self.general + self.tasks


@dataclass(frozen=True)
class Season:
    year: int
    review_date: dt.date
    meeting_id: int | None
    present: int | None
    criteria: CriteriaSheet
    cell: CellRating
    scope_thresholds: ScopeThresholds
    quota_percent: int


CELL_FIELDS = {f.name for f in dataclasses.fields(CellRating)}


def _grade_or_none(code: str | None) -> Grade | None:
    return parse_grade(code) if code else None


def _votes_from(text: str) -> dict[Grade, int]:
    if not text:
        return {}
    try:
        raw = json.loads(text)
    except ValueError:
        return {}
    return {g: int(raw[g.value]) for g in GRADES_BEST_FIRST if isinstance(raw, dict) and g.value in raw}


def _votes_text(votes: dict[Grade, int]) -> str:
    return json.dumps({g.value: votes[g] for g in GRADES_BEST_FIRST if g in votes}) if votes else ""


def _season(row: rm.ReviewYear) -> Season:
    from app.services import review_criteria_io

    cell = CellRating(
        general=parse_score(row.cell_general) if row.cell_general else None,
        tasks=parse_score(row.cell_tasks) if row.cell_tasks else None,
        exceeded=row.cell_exceeded, self_grade=_grade_or_none(row.cell_self_grade),
        final_grade=_grade_or_none(row.cell_final_grade), final_reason=row.cell_final_reason,
        votes=_votes_from(row.cell_votes), strengths=row.cell_strengths, shortcomings=row.cell_shortcomings,
        remedies=row.cell_remedies, plan=row.cell_plan)
    scope, percent = thresholds_on(row.review_date)
    return Season(row.year, row.review_date, row.meeting_id, row.present,
                  review_criteria_io.sheet_from_json(row.criteria) if row.criteria else default_sheet(),
                  cell, scope, percent)


def years() -> list[int]:
    return [r.year for r in rm.ReviewYear.select(rm.ReviewYear.year).order_by(rm.ReviewYear.year.desc())]


def get_season(year: int) -> Season:
    _check_year(year)
    row = rm.ReviewYear.get_or_none(rm.ReviewYear.year == year)
    if row is None:
        raise NotFound(_("Chưa mở đợt kiểm điểm năm {year}; hãy mở đợt trước (chibo review open --year {year}).")
                       .format(year=year))
    return _season(row)


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1930 <= year <= 2200:
        raise ValidationFailed([Issue("review.year", _("năm kiểm điểm phải là một năm từ 1930 đến 2200."))])


def _check_review_date(year: int, review_date: dt.date) -> None:
    _check_day(review_date, "review.review_date")
    # HD 43 mục 4: the cell's stage is done by year end; special units finish before 15/01 the next year.
    if not dt.date(year, 1, 1) <= review_date <= dt.date(year + 1, 1, 31):
        raise ValidationFailed([Issue("review.review_date", _(
            "ngày kiểm điểm của năm {year} phải trong năm {year} (hoặc tháng 1 năm sau); đã nhập {date}.").format(
            year=year, date=review_date.strftime("%d/%m/%Y")))])


def _check_day(value: object, key: str) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationFailed([Issue(key, _("phải là một ngày (ngày/tháng/năm); đã nhập «{value}».").format(
            value=shown(value)))])


def open_season(year: int, *, review_date: dt.date | None = None, meeting_id: int | None = None) -> Season:
    """Mở đợt kiểm điểm năm: the review date (the review meeting's day) defaults to 15 December."""
    _check_year(year)
    review_date = review_date or dt.date(year, 12, 15)
    _check_review_date(year, review_date)
    if rm.ReviewYear.get_or_none(rm.ReviewYear.year == year) is not None:
        raise ValidationFailed([Issue("review.year", _("đợt kiểm điểm năm {year} đã mở.").format(year=year))])
    _check_meeting(meeting_id, year)
    with database.atomic():
        rm.ReviewYear.create(year=year, review_date=review_date, meeting=meeting_id, created_at=now(),
                             updated_at=now())
        audit.record("review", year, "open", {"review_date": [None, review_date], "meeting_id": [None, meeting_id]})
    return get_season(year)


def _check_meeting(meeting_id: int | None, year: int) -> None:
    """The review meeting is held in the season's window (the year, or January after it)."""
    meeting = review_tasks.find_meeting(meeting_id)
    if meeting is not None and not dt.date(year, 1, 1) <= meeting.date <= dt.date(year + 1, 1, 31):
        raise ValidationFailed([Issue("review.meeting_id", _(
            "buổi sinh hoạt ngày {date} không thuộc đợt kiểm điểm năm {year}; chọn buổi họp kiểm điểm của năm đó.")
            .format(date=meeting.date.strftime("%d/%m/%Y"), year=year))])


def _check_present(year: int, present: int) -> None:
    """Those present at the review meeting: not more than the members on the roll that day (temporary ones
    included), not fewer than the voters already recorded for a member."""
    rows = review_rows(year)
    on_roll = sum(1 for r in rows if r.scope.exclusion is not Exclusion.NOT_IN_CELL)
    if present > on_roll:
        raise ValidationFailed([Issue("review.present", _(
            "{present} có mặt, nhiều hơn {n} đảng viên sinh hoạt tại chi bộ vào ngày kiểm điểm.").format(
            present=present, n=on_roll))])
    voted = max((r for r in rows if r.data.voters is not None), key=lambda r: r.data.voters, default=None)
    if voted is not None and voted.data.voters > present:
        raise ValidationFailed([Issue("review.present", _(
            "{present} có mặt, ít hơn {voters} đảng viên đã ghi biểu quyết cho đồng chí {name}.").format(
            present=present, voters=voted.data.voters, name=voted.full_name))])


def update_season(year: int, *, review_date: dt.date | None = None, meeting_id: int | None | str = "keep",
                  present: int | None | str = "keep") -> Season:
    """Đổi ngày kiểm điểm, buổi họp kiểm điểm hoặc số có mặt."""
    get_season(year)
    period_lock.check_year_open(year, _("Đợt kiểm điểm"))
    row = rm.ReviewYear.get(rm.ReviewYear.year == year)
    values: dict = {}
    if review_date is not None:
        _check_review_date(year, review_date)
        values["review_date"] = review_date
    if meeting_id != "keep":
        _check_meeting(meeting_id, year)
        values["meeting_id"] = meeting_id
    if present != "keep":
        if present is not None and _count(present, MAX_VOTERS) is None:
            raise ValidationFailed([Issue("review.present", _("phải là một số nguyên từ 0 đến {top}.").format(
                top=MAX_VOTERS))])
        if present is not None:
            _check_present(year, int(present))
        values["present"] = present if present is None else int(present)
    old = {"review_date": row.review_date, "meeting_id": row.meeting_id, "present": row.present}
    diff = audit.diff(old, {**old, **values})
    if diff:
        with database.atomic():
            rm.ReviewYear.update(**{("meeting" if k == "meeting_id" else k): v for k, v in values.items()},
                                 updated_at=now()).where(rm.ReviewYear.year == year).execute()
            audit.record("review", year, "update", diff)
    return get_season(year)


def set_criteria(year: int, sheet: CriteriaSheet | None) -> Season:
    """The Đảng ủy's criteria sheet for the year (None: back to the default); checked before storing."""
    from app.services import review_criteria_io

    season = get_season(year)
    text = review_criteria_io.checked_json(sheet) if sheet is not None else ""
    with database.atomic():
        rm.ReviewYear.update(criteria=text, updated_at=now()).where(rm.ReviewYear.year == year).execute()
        audit.record("review", year, "criteria", {"criteria": [season.criteria.name,
                                                               sheet.name if sheet else default_sheet().name]})
    return get_season(year)


# --- one member's review -------------------------------------------------------------------------

@dataclass(frozen=True)
class EntryData:
    """What is stored of one member's review in one year (the defaults when nothing is)."""

    form: str = "2C"
    general_score: Decimal | None = None
    task_score: Decimal | None = None
    exceeded: bool | None = None
    shortcomings_remedied: bool = True
    decline: bool = False
    disciplined: bool = False
    prohibitions: bool = False
    suspended: bool = False
    sick_months: int = 0
    maternity: bool = False
    temporary_elsewhere: bool = False
    temporary_comment: str = ""
    works_elsewhere: bool = False
    residence_comment: str = ""
    strengths: str = ""
    shortcomings: str = ""
    remedies: str = ""
    plan: str = ""
    self_grade: Grade | None = None
    self_reason: str = ""
    committee_view: str = ""
    committee_grade: Grade | None = None
    cell_comments: str = ""
    votes: dict[Grade, int] = field(default_factory=dict)
    voters: int | None = None
    proposed_grade: Grade | None = None
    proposed_reason: str = ""
    final_grade: Grade | None = None
    final_reason: str = ""
    final_decision: str = ""
    share_on_time: Decimal | None = None
    share_late: Decimal | None = None
    share_exceeded: Decimal | None = None
    share_reason: str = ""


ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(EntryData))
_GRADE_FIELDS = ("self_grade", "committee_grade", "proposed_grade", "final_grade")
_SCORE_FIELDS = ("general_score", "task_score")
_SHARE_FIELDS = ("share_on_time", "share_late", "share_exceeded")
_BOOL_FIELDS = ("shortcomings_remedied", "decline", "disciplined", "prohibitions", "suspended", "maternity",
                "temporary_elsewhere", "works_elsewhere")
_OPTIONAL_BOOL = ("exceeded",)
_TEXT_FIELDS = ("temporary_comment", "residence_comment", "strengths", "shortcomings", "remedies", "plan",
                "self_reason", "committee_view", "cell_comments", "proposed_reason", "final_reason", "final_decision",
                "share_reason")
# The reason that lets a stage's grade differ from the one the score and conditions give.
STAGE_REASON = {"self_grade": "self_reason", "committee_grade": "committee_view", "proposed_grade": "proposed_reason",
                "final_grade": "final_reason"}


class Stage:
    """The stages of Điều 12 in order, each with its grade field."""

    SELF, COMMITTEE, CELL, FINAL = _GRADE_FIELDS

    @staticmethod
    def label(field_name: str) -> str:
        return {"self_grade": _("Cá nhân tự xếp loại"), "committee_grade": _("Chi ủy (bí thư) đánh giá"),
                "proposed_grade": _("Chi bộ đề xuất"), "final_grade": _("Đảng ủy quyết định")}[field_name]


def _entry_data(row: rm.ReviewEntry | None) -> EntryData:
    if row is None:
        return EntryData()
    values = {}
    for name in ENTRY_FIELDS:
        value = getattr(row, name)
        if name in _GRADE_FIELDS:
            value = _grade_or_none(value)
        elif name in _SCORE_FIELDS or name in _SHARE_FIELDS:
            value = parse_score(value) if value not in (None, "") else None
        elif name == "votes":
            value = _votes_from(value)
        elif name in _BOOL_FIELDS:
            value = bool(value)
        values[name] = value
    return EntryData(**values)


def _score_text(value: Decimal | None) -> str | None:
    """A score as stored: 20 and 20,00 alike as "20", so typing the same score again changes nothing."""
    return None if value is None else f"{value.normalize():f}"


def stored_values(data: EntryData) -> dict:
    values = {}
    for name in ENTRY_FIELDS:
        value = getattr(data, name)
        if name in _GRADE_FIELDS:
            value = value.value if value is not None else None
        elif name in _SCORE_FIELDS or name in _SHARE_FIELDS:
            value = _score_text(value)
        elif name == "votes":
            value = _votes_text(value)
        values[name] = value
    return values


@dataclass(frozen=True)
class ReviewRow:
    """One member of the year's review: who, in scope or not, what is stored, the tasks and the grades."""

    member_id: int
    full_name: str
    sort_key: str
    birth_date: dt.date | None
    party_post: str
    scope: ReviewScope
    data: EntryData
    shares: TaskShares
    tasks: tuple[review_tasks.Task, ...]
    computed: GradeResult | None
    previous_grade: Grade | None = None

    @property
    def reviewed(self) -> bool:
        return self.scope.reviewed

    @property
    def total(self) -> Decimal | None:
        d = self.data
        return None if d.general_score is None or d.task_score is None else d.general_score + d.task_score

    @property
    def result(self) -> Grade | None:
        """The grade that counts so far: the Đảng ủy's, else the cell's proposal."""
        return self.data.final_grade or self.data.proposed_grade

    def stage_grade(self, field_name: str) -> Grade | None:
        return getattr(self.data, field_name)

    @property
    def state(self) -> str:
        """The furthest stage reached, as the table shows it."""
        d = self.data
        if not self.reviewed:
            return _("Không kiểm điểm")
        if d.final_grade:
            return _("Đảng ủy đã xếp loại")
        if d.proposed_grade:
            return _("Chi bộ đã đề xuất")
        if d.committee_grade or d.committee_view:
            return _("Chi ủy đã nhận xét")
        if d.self_grade or self.total is not None:
            return _("Đã tự đánh giá")
        return _("Chưa tự đánh giá")


def _facts(data: EntryData, member, history: list[StatusChange], review_date: dt.date) -> ReviewFacts:
    return ReviewFacts(
        review_date=review_date, history=tuple(history), admission_date=member.admission_date,
        suspended=data.suspended, sick_months=data.sick_months, maternity_leave=data.maternity,
        temporary_elsewhere=data.temporary_elsewhere, temporary_comment_recorded=bool(data.temporary_comment.strip()),
        works_elsewhere=data.works_elsewhere, residence_comment_recorded=bool(data.residence_comment.strip()))


def effective_shares(data: EntryData, counted: TaskShares) -> TaskShares:
    """The counted shares, or the secretary's override with its reason; --exceeded marks the 30 % met."""
    shares = counted
    if data.share_reason and any(getattr(data, n) is not None for n in _SHARE_FIELDS):
        shares, _report = override_shares(counted, data.share_reason, on_time=data.share_on_time,
                                          late=data.share_late, exceeded=data.share_exceeded)
    if data.exceeded is True and shares.exceeded < EXCEEDED_MIN_PERCENT:
        shares = dataclasses.replace(shares, exceeded=max(shares.exceeded, EXCEEDED_MIN_PERCENT))
    if data.exceeded is False:
        shares = dataclasses.replace(shares, exceeded=Fraction(0))
    return shares


def grade_of(data: EntryData, counted: TaskShares) -> GradeResult | None:
    """The grade the score and the conditions give; None until both scores are in."""
    if data.general_score is None or data.task_score is None:
        return None
    facts = GradeFacts(shortcomings_remedied=data.shortcomings_remedied,
                       decline_conclusion=data.decline, disciplined=data.disciplined,
                       broke_prohibitions=data.prohibitions)
    return compute_grade(total_score(data.general_score, data.task_score), effective_shares(data, counted), facts)


def _entries(year: int, member_ids: set[int] | None):
    query = rm.ReviewEntry.select().where(rm.ReviewEntry.year == year)
    return query if member_ids is None else query.where(rm.ReviewEntry.member.in_(list(member_ids)))


def _previous_grades(year: int, member_ids: set[int] | None = None) -> dict[int, Grade]:
    found = {}
    for row in _entries(year - 1, member_ids):
        grade = _grade_or_none(row.final_grade) or _grade_or_none(row.proposed_grade)
        if grade is not None:
            found[row.member_id] = grade
    return found


def review_rows(year: int, member_ids: set[int] | None = None) -> list[ReviewRow]:
    """Every member on the roll on the review date, and anyone with a stored review that year, in roster order."""
    season = get_season(year)
    stored = {r.member_id: r for r in _entries(year, member_ids)}
    history = member_service.histories()
    task_map = review_tasks.tasks_by_member(year, member_ids)
    previous = _previous_grades(year, member_ids)
    rows = []
    for entry in member_service.list_members(statuses=None, include_archived=True):
        member = entry.member
        if member_ids is not None and member.id not in member_ids:
            continue
        placed = _on_roll(history.get(member.id, []), season.review_date)
        if not placed and member.id not in stored:
            continue
        rows.append(_row(season, member, entry.sort_key, history.get(member.id, []), stored.get(member.id),
                         task_map.get(member.id, ()), previous.get(member.id)))
    return rows


def _on_roll_count(rows: list[ReviewRow]) -> int:
    """The cell's own members on the review date (tổng số of Biểu 6F): not those here in temporary activity,
    nor those who left the cell and keep a stored review."""
    return sum(1 for r in rows if r.scope.exclusion not in (Exclusion.TEMPORARY_HERE, Exclusion.NOT_IN_CELL))


def _on_roll(history: list[StatusChange], day: dt.date) -> bool:
    from app.domain.members import status_on

    status = status_on(history, day)
    return status is not None and status.in_cell


def _row(season: Season, member, sort_key: str, history: list[StatusChange], stored: rm.ReviewEntry | None,
         tasks: tuple, previous: Grade | None) -> ReviewRow:
    data = _entry_data(stored)
    scope = review_scope(_facts(data, member, history, season.review_date), season.scope_thresholds)
    counted = review_tasks.shares_of(tasks)
    return ReviewRow(member.id, member.full_name, sort_key, member.birth_date, member.party_post, scope, data,
                     effective_shares(data, counted), tuple(tasks),
                     grade_of(data, counted) if scope.reviewed else None, previous)


def _check_member_id(member_id: object) -> None:
    if isinstance(member_id, bool) or not isinstance(member_id, int):
        raise ValidationFailed([Issue("review.member_id", _("mã đảng viên phải là một số nguyên; đã nhập «{value}».")
                                      .format(value=shown(member_id)))])


def review_row(year: int, member_id: int) -> ReviewRow:
    _check_member_id(member_id)
    found = review_rows(year, {member_id})
    if not found:
        member = member_service.get_member(member_id)
        raise NotFound(_("Đồng chí {name} không sinh hoạt tại chi bộ vào ngày kiểm điểm năm {year}.").format(
            name=member.full_name, year=year))
    return found[0]


MAX_TEXT = 20_000  # one paragraph of a form; a whole bản kiểm điểm is a few thousand characters
MAX_VOTERS = 10_000
_DIGITS = re.compile(r"[0-9]{1,6}")
# The override's percentages are named by the labels override_shares uses.
_SHARE_KEYS = {"share_on_time": "review.on_time_percent", "share_late": "review.late_percent",
               "share_exceeded": "review.exceeded_percent"}


def clean_text(value: object, key: str, report: ValidationReport) -> str:
    """NFC text with its line breaks kept (a self-assessment is written in paragraphs), control characters
    dropped, at most MAX_TEXT characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        report.error(key, _("phải là một đoạn chữ."))
        return ""
    text = plain_text(value, paragraphs=True)
    if len(text) > MAX_TEXT:
        report.error(key, _("dài {n} ký tự, quá {top} ký tự.").format(n=len(text), top=MAX_TEXT))
    return text


def _grade(value: object, key: str, report: ValidationReport) -> Grade | None:
    if value is None or value == "":
        return None
    grade = value if isinstance(value, Grade) else parse_grade(value) if isinstance(value, str) else None
    if grade is None:
        report.error(key, _("mức xếp loại «{value}» không có; chọn xuat-sac, tot, hoan-thanh hoặc "
                            "khong-hoan-thanh.").format(value=shown(value)))
    return grade


def _number(value: object, key: str, report: ValidationReport) -> Decimal | None:
    if value is None or value == "":
        return None
    number = parse_score(value)
    if number is None:
        report.error(key, _("phải là một số (ví dụ 25 hoặc 25,5); đã nhập «{value}».").format(value=shown(value)))
    return number


def _flag(value: object, key: str, report: ValidationReport, *, optional: bool = False) -> bool | None:
    """A tick: True or False (1 or 0); None too when the field may be left open."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    report.error(key, _("chỉ chọn có hoặc không; đã nhập «{value}».").format(value=shown(value)))
    return None


def _count(value: object, top: int) -> int | None:
    """A whole number from 0 to top, as an int or typed digits; None for anything else (True, 3.5, "1e3", "٣")."""
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        return None
    return value


def _whole(value: object, key: str, report: ValidationReport, *, top: int, empty: int | None) -> int | None:
    if value is None or value == "":
        return empty
    number = _count(value, top)
    if number is None:
        report.error(key, _("phải là một số nguyên từ 0 đến {top}; đã nhập «{value}».").format(
            top=top, value=shown(value)))
        return empty
    return number


def _parsed_votes(value: object, report: ValidationReport, key: str = "review.votes") -> dict[Grade, int]:
    """Số phiếu per grade; a 0 typed is kept (the tally shows it), a grade named twice is refused."""
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        report.error(key, _("ghi số phiếu cho từng mức xếp loại."))
        return {}
    votes: dict[Grade, int] = {}
    for raw_grade, raw_count in value.items():
        grade = _grade(raw_grade, key, report)
        count = _count(raw_count, MAX_VOTERS)
        if grade is None:
            continue
        if grade in votes:
            report.error(key, _("{grade}: ghi hai lần.").format(grade=grade.label))
        elif count is None:
            report.error(key, _("{grade}: số phiếu phải là số nguyên từ 0 đến {top}; đã nhập «{value}».").format(
                grade=grade.label, top=MAX_VOTERS, value=shown(raw_count)))
        else:
            votes[grade] = count
    return votes


def _form(value: object, key: str, report: ValidationReport) -> str:
    form = str(value or "").strip().upper().replace("MẪU", "").strip().lstrip("0")
    if form not in FORMS:
        report.error(key, _("chọn mẫu 2C, 2B hoặc 2A."))
    return form


def _parsed(name: str, value: object, report: ValidationReport, key: str | None = None) -> object:
    """A typed value as stored: grades from codes, scores from "85,5", ticks, whole numbers, NFC text; each
    fault reported on key (review.<name> unless told)."""
    key = key or _SHARE_KEYS.get(name, f"review.{name}")
    if name in _GRADE_FIELDS:
        return _grade(value, key, report)
    if name in _SCORE_FIELDS or name in _SHARE_FIELDS:
        return _number(value, key, report)
    if name in _BOOL_FIELDS or name in _OPTIONAL_BOOL:
        return _flag(value, key, report, optional=name in _OPTIONAL_BOOL)
    if name == "sick_months":
        return _whole(value, key, report, top=12, empty=0)
    if name == "voters":
        return _whole(value, key, report, top=MAX_VOTERS, empty=None)
    if name == "votes":
        return _parsed_votes(value, report, key)
    if name == "form":
        return _form(value, key, report)
    return clean_text(value, key, report)


def check_entry(season: Season, row: ReviewRow, data: EntryData) -> ValidationReport:
    """What stops a save (errors) and what is only shown (warnings), for the member's new values."""
    report = validate_scores(data.general_score, data.task_score, given_only=True)
    if data.share_reason or any(getattr(data, n) is not None for n in _SHARE_FIELDS):
        _shares, found = override_shares(review_tasks.shares_of(row.tasks), data.share_reason,
                                         on_time=data.share_on_time, late=data.share_late,
                                         exceeded=data.share_exceeded)
        report.issues.extend(found.issues)
    if report.errors:
        return report
    if not row.scope.reviewed and _has_grade_or_score(data):
        report.error(_excluded_field(data), _("đồng chí {name} không thuộc diện kiểm điểm năm {year} ({reason}); "
                                              "không chấm điểm, không xếp loại.").format(
            name=row.full_name, year=season.year, reason=row.scope.exclusion.label))
        return report
    _check_contradictions(report, data, grade_of(data, review_tasks.shares_of(row.tasks)))
    if data.votes or data.voters is not None:
        for issue in _tally(data, season.present).issues:
            report.error(issue.field, issue.message)
    report.issues.extend(row.scope.report().issues)
    report.issues.extend(_stage_checks(data).issues)
    return report


def _stage_checks(data: EntryData) -> ValidationReport:
    """The proposal against its vote, and a later stage given before an earlier one (warnings)."""
    report = majority_report(data.proposed_grade, data.votes, data.voters)
    scored = data.general_score is not None and data.task_score is not None
    report.issues.extend(stage_order_report(scored, data.self_grade, data.proposed_grade, bool(data.votes),
                                            data.final_grade).issues)
    return report


def _excluded_field(data: EntryData) -> str:
    """The field to name when a member not reviewed is scored or graded: the furthest stage given."""
    order = ("final_grade", "proposed_grade", "committee_grade", "self_grade", "general_score", "task_score")
    return f"review.{next(n for n in order if getattr(data, n) is not None)}"


def _check_contradictions(report: ValidationReport, data: EntryData, computed: GradeResult | None) -> None:
    """A stage's grade against the score and conditions: the member's own proposal is theirs to make (a
    warning); the chi ủy's, the cell's and the Đảng ủy's grade need their reason written down."""
    if computed is None:
        return
    for name in _GRADE_FIELDS:
        found = contradiction(computed.grade, getattr(data, name), getattr(data, STAGE_REASON[name]), f"review.{name}")
        for issue in found.issues:
            (report.warn if name == "self_grade" else report.error)(issue.field, issue.message)


def _tally(data: EntryData, present: int | None) -> ValidationReport:
    """The votes against those who voted (voters, else the votes themselves) and those present."""
    voters = data.voters if data.voters is not None else sum(data.votes.values())
    return vote_report(voters, data.votes, present)


def _has_grade_or_score(data: EntryData) -> bool:
    return any(getattr(data, n) is not None for n in _GRADE_FIELDS + _SCORE_FIELDS)


def set_review(year: int, member_id: int, *, reason: str = "", **changes) -> tuple[ReviewRow, list[Issue]]:
    """Ghi kết quả kiểm điểm của một đảng viên: only the fields given change; nothing is stored on an error.
    Returns the row as stored and the warnings to show."""
    _refuse_unknown(changes, ENTRY_FIELDS)
    season = get_season(year)
    period_lock.check_year_open(year, _("Kết quả kiểm điểm"))
    row = review_row(year, member_id)
    parsing = ValidationReport()
    values = {name: _parsed(name, value, parsing) for name, value in changes.items()}
    reason = clean_text(reason, "review.reason", parsing)
    if parsing.errors:
        raise ValidationFailed(parsing.errors)
    before, data = row.data, dataclasses.replace(row.data, **values)
    # The scope follows the facts just typed (a suspension, a comment), so check against the new facts.
    member = member_service.get_member(member_id)
    history = member_service.status_history(member_id)
    scope = review_scope(_facts(data, member, history, season.review_date), season.scope_thresholds)
    row = dataclasses.replace(row, scope=scope, data=data)
    report = check_entry(season, row, data)
    if report.errors:
        raise ValidationFailed(report.errors)
    old, new = stored_values(before), stored_values(data)
    diff = audit.diff(old, new)
    if diff:
        with database.atomic():
            stored = _stored_row(year, member_id)
            if stored is None:
                rm.ReviewEntry.create(year=year, member=member_id, updated_at=now(), **new)
            else:
                rm.ReviewEntry.update(updated_at=now(), **new).where(rm.ReviewEntry.id == stored.id).execute()
            audit.record("review", year, "member", {"member_id": [member_id, member_id], **diff}, reason)
    # The tasks and last year's grade do not change here: build the stored row from what is already read.
    stored = _stored_row(year, member_id)
    return _row(season, member, row.sort_key, history, stored, row.tasks, row.previous_grade), report.warnings


def _refuse_unknown(changes: dict, known) -> None:
    unknown = sorted(set(changes) - set(known))
    if unknown:
        raise ValidationFailed([Issue("review.field", _("không có trường «{name}»; chọn một trong: {known}.").format(
            name=shown(unknown[0]), known=", ".join(sorted(known))))])


def _stored_row(year: int, member_id: int) -> rm.ReviewEntry | None:
    return rm.ReviewEntry.get_or_none((rm.ReviewEntry.year == year) & (rm.ReviewEntry.member == member_id))


# --- the cell's own rating (Mẫu 01) ---------------------------------------------------------------

@dataclass(frozen=True)
class CellSummary:
    """The members' results the cell's rating rests on, and the grade its score and conditions give."""

    rating: CellRating
    computed: GradeResult | None
    counts: dict[Grade, int]
    reviewed: int
    disciplined: int


def cell_grade(rating: CellRating, disciplined_members: int) -> GradeResult | None:
    """366 for a collective: Hoàn thành xuất sắc needs ≥ 90, tasks exceeded by ≥ 30 % and no member disciplined
    in the year (DOMAIN §2.3); the other grades as for a member."""
    if rating.total is None:
        return None
    shares = TaskShares(exceeded=EXCEEDED_MIN_PERCENT if rating.exceeded else Fraction(0))
    return compute_grade(rating.total, shares, GradeFacts(members_disciplined=disciplined_members > 0))


def cell_summary(year: int, rows: list[ReviewRow] | None = None) -> CellSummary:
    season = get_season(year)
    rows = rows if rows is not None else review_rows(year)
    reviewed = [r for r in rows if r.reviewed]
    counts = {g: sum(1 for r in reviewed if r.result is g) for g in GRADES_BEST_FIRST}
    disciplined = sum(1 for r in reviewed if r.data.disciplined)
    return CellSummary(season.cell, cell_grade(season.cell, disciplined), counts, len(reviewed), disciplined)


# The cell's fields as a member's of the same kind are parsed, each fault named review.cell_<field>.
_CELL_KINDS = {"general": "general_score", "tasks": "task_score", "exceeded": "exceeded", "self_grade": "self_grade",
               "final_grade": "final_grade", "votes": "votes"}


def _cell_values(changes: dict) -> dict:
    report = ValidationReport()
    values = {name: _parsed(_CELL_KINDS.get(name, "text"), value, report, f"review.cell_{name}")
              for name, value in changes.items()}
    if report.errors:
        raise ValidationFailed(report.errors)
    return values


def _cell_report(season: Season, rating: CellRating, rows: list[ReviewRow]) -> ValidationReport:
    """Scores in range, the Đảng ủy's grade against the score with its reason, the votes within those present
    (or the roll when the number present is not recorded)."""
    report = validate_scores(rating.general, rating.tasks, fields=("review.cell_general", "review.cell_tasks"),
                             given_only=True)
    if report.errors:
        return report
    computed = cell_grade(rating, cell_summary(season.year, rows).disciplined)
    if computed is not None:
        for issue in contradiction(computed.grade, rating.final_grade, rating.final_reason,
                                   "review.cell_final_grade").issues:
            report.error(issue.field, issue.message)
    if rating.votes:
        present = season.present if season.present is not None else _on_roll_count(rows)
        for issue in vote_report(present, rating.votes).issues:
            report.error("review.cell_votes", issue.message)
    return report


def _cell_stored(rating: CellRating) -> dict:
    return {"cell_general": _score_text(rating.general), "cell_tasks": _score_text(rating.tasks),
            "cell_exceeded": rating.exceeded,
            "cell_self_grade": rating.self_grade.value if rating.self_grade else None,
            "cell_final_grade": rating.final_grade.value if rating.final_grade else None,
            "cell_final_reason": rating.final_reason, "cell_votes": _votes_text(rating.votes),
            "cell_strengths": rating.strengths, "cell_shortcomings": rating.shortcomings,
            "cell_remedies": rating.remedies, "cell_plan": rating.plan}


def set_cell_rating(year: int, *, reason: str = "", **changes) -> CellSummary:
    """Tập thể chi bộ: điểm hai nhóm, đề xuất, quyết định của Đảng ủy, nội dung báo cáo."""
    _refuse_unknown(changes, CELL_FIELDS)
    season = get_season(year)
    period_lock.check_year_open(year, _("Kết quả của tập thể chi bộ"))
    values = _cell_values(changes)
    problems = ValidationReport()
    reason = clean_text(reason, "review.reason", problems)
    rating = dataclasses.replace(season.cell, **values)
    rows = review_rows(year)  # the members' rows do not change with the cell's rating: read them once
    problems.issues.extend(_cell_report(season, rating, rows).issues)
    if problems.errors:
        raise ValidationFailed(problems.errors)
    stored = _cell_stored(rating)
    row = rm.ReviewYear.get(rm.ReviewYear.year == year)
    diff = audit.diff({k: getattr(row, k) for k in stored}, stored)
    if diff:
        with database.atomic():
            rm.ReviewYear.update(updated_at=now(), **stored).where(rm.ReviewYear.year == year).execute()
            audit.record("review", year, "cell", diff, reason)
    return cell_summary(year, rows)


# --- the checks ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One check's warning, on a member (member_id) or on the whole cell (None)."""

    member_id: int | None
    name: str
    issue: Issue

    def to_json(self) -> dict:
        return {"member_id": self.member_id, "member": self.name, "field": self.issue.field,
                "severity": self.issue.severity.value, "message": str(self.issue)}

    def __str__(self) -> str:
        return f"{self.name}: {self.issue}" if self.name else str(self.issue)


def check(year: int, rows: list[ReviewRow] | None = None) -> list[Finding]:
    """The season's warnings: quota, two years running, contradictions, votes, missing comments and tasks."""
    season = get_season(year)
    rows = rows if rows is not None else review_rows(year)
    found = [Finding(row.member_id, row.full_name, issue) for row in rows
             for report in _member_checks(row, season) for issue in report.issues]
    reviewed = [r for r in rows if r.reviewed]
    return found + [Finding(None, "", issue) for report in _cell_checks(season, reviewed) for issue in report.issues]


def _member_checks(row: ReviewRow, season: Season) -> list[ValidationReport]:
    if not row.reviewed:
        if not _has_grade_or_score(row.data):
            return []
        return [_one(_excluded_field(row.data), _("không thuộc diện kiểm điểm ({reason}) nhưng đã có điểm hoặc mức "
                                                  "xếp loại.").format(reason=row.scope.exclusion.label))]
    found = [row.scope.report(), two_years_running(row.previous_grade, row.result)]
    if row.computed is not None:
        found += [contradiction(row.computed.grade, getattr(row.data, name), getattr(row.data, STAGE_REASON[name]),
                                f"review.{name}") for name in _GRADE_FIELDS[1:]]
    if row.data.votes or row.data.voters is not None:
        found.append(_tally(row.data, season.present))
    found.append(_stage_checks(row.data))
    pending = sum(1 for t in row.tasks if t.status is None)
    if pending:
        found.append(_one("review.tasks", _("{n} nhiệm vụ chưa xác nhận kết quả; chưa tính vào tỷ lệ.").format(
            n=pending)))
    return found


def _cell_checks(season: Season, reviewed: list[ReviewRow]) -> list[ValidationReport]:
    """The quota at the cell's and the Đảng ủy's stage, the cell's own grade against its score, and a cell where
    more than half its members failed."""
    found = []
    percent = Fraction(season.quota_percent)
    for name, label in (("proposed_grade", _("Chi bộ đề xuất")), ("final_grade", _("Đảng ủy quyết định"))):
        grades = [getattr(r.data, name) for r in reviewed if getattr(r.data, name) is not None]
        for issue in quota_report(grades, percent).issues:
            found.append(_one(issue.field, f"{label}: {issue.message}"))
    computed = cell_grade(season.cell, sum(1 for r in reviewed if r.data.disciplined))
    if computed is not None:
        found.append(contradiction(computed.grade, season.cell.self_grade, "", "review.cell_self_grade"))
    failed = sum(1 for r in reviewed if r.result is Grade.FAILED)
    if reviewed and failed * 2 > len(reviewed):
        found.append(_one("review.cell_self_grade", _(
            "hơn một nửa số đảng viên Không hoàn thành nhiệm vụ ({failed}/{n}): xem lại xếp loại của tập thể chi bộ.")
            .format(failed=failed, n=len(reviewed))))
    return found


def _one(field_name: str, message: str) -> ValidationReport:
    report = ValidationReport()
    report.warn(field_name, message)
    return report


def live_quota(year: int, stage: str = "proposed_grade", rows: list[ReviewRow] | None = None):
    """The quota at one stage now: (Quota, percent) for the window's live count."""
    if stage not in _GRADE_FIELDS:
        raise ValidationFailed([Issue("review.field", _("không có bước xếp loại «{stage}».").format(
            stage=shown(stage)))])
    season = get_season(year)
    rows = rows if rows is not None else review_rows(year)
    grades = [getattr(r.data, stage) for r in rows if r.reviewed and getattr(r.data, stage) is not None]
    return quota(grades, Fraction(season.quota_percent)), season.quota_percent


# --- the summary of results (tổng hợp kết quả) -----------------------------------------------------

@dataclass(frozen=True)
class GradeCount:
    grade: Grade
    proposed: int
    final: int


@dataclass(frozen=True)
class Summary:
    """The year's results by grade and Biểu 6F's counts of who was not reviewed and why."""

    year: int
    on_roll: int
    reviewed: int
    grades: tuple[GradeCount, ...]
    not_reviewed: dict[Exclusion, int]
    not_graded: int
    quota_percent: int

    def percent(self, count: int) -> str:
        return format_score(Fraction(100 * count, self.reviewed)) if self.reviewed else "0"

    def quota_allowed(self, stage: str) -> int:
        """Hoàn thành xuất sắc allowed at one stage ("proposed" or "final"): the percent of its tốt, rounded down."""
        good = next(getattr(g, stage) for g in self.grades if g.grade is Grade.GOOD)
        return quota([Grade.GOOD] * good, Fraction(self.quota_percent)).allowed

    def to_json(self) -> dict:
        return {"year": self.year, "on_roll": self.on_roll, "reviewed": self.reviewed,
                "grades": [{"grade": g.grade.value, "label": g.grade.label, "proposed": g.proposed,
                            "final": g.final} for g in self.grades],
                "not_reviewed": {e.value: n for e, n in self.not_reviewed.items()},
                "not_graded": self.not_graded, "quota_percent": self.quota_percent,
                "quota_allowed": {stage: self.quota_allowed(stage) for stage in ("proposed", "final")}}


def summary(year: int, rows: list[ReviewRow] | None = None) -> Summary:
    season = get_season(year)
    rows = rows if rows is not None else review_rows(year)
    reviewed = [r for r in rows if r.reviewed]
    grades = tuple(GradeCount(g, sum(1 for r in reviewed if r.data.proposed_grade is g),
                              sum(1 for r in reviewed if r.data.final_grade is g)) for g in GRADES_BEST_FIRST)
    return Summary(year, _on_roll_count(rows), len(reviewed), grades, count_exclusions(r.scope for r in rows),
                   sum(1 for r in reviewed if r.result is None), season.quota_percent)


def row_json(row: ReviewRow) -> dict:
    """One member as `review list --json` prints it."""
    d = row.data

    def grade(g: Grade | None) -> str | None:
        return g.value if g else None

    return {
        "member_id": row.member_id, "full_name": row.full_name, "reviewed": row.reviewed,
        "not_reviewed_reason": row.scope.exclusion.value if row.scope.exclusion else None,
        "not_reviewed_label": row.scope.exclusion.label if row.scope.exclusion else None,
        "notes": [n.label for n in row.scope.notes], "form": d.form,
        "general_score": format_score(d.general_score) if d.general_score is not None else None,
        "task_score": format_score(d.task_score) if d.task_score is not None else None,
        "total": format_score(row.total) if row.total is not None else None,
        "computed_grade": grade(row.computed.grade) if row.computed else None,
        "why_not_higher": row.computed.why() if row.computed else [],
        "self_grade": grade(d.self_grade), "committee_grade": grade(d.committee_grade),
        "proposed_grade": grade(d.proposed_grade), "final_grade": grade(d.final_grade),
        "votes": {g.value: n for g, n in d.votes.items()}, "voters": d.voters,
        "tasks": len(row.tasks), "tasks_on_time_percent": format_score(row.shares.on_time),
        "tasks_exceeded_percent": format_score(row.shares.exceeded),
        "tasks_late_percent": format_score(row.shares.late),
        "tasks_not_done_percent": format_score(row.shares.not_done),
        "shares_override_reason": row.shares.override_reason or None, "state": row.state,
    }
