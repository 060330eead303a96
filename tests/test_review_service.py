"""The annual review through its services on a real database: grades on their edges, conditions, who is reviewed,
the dated thresholds, the checks, the cell's own rating, the summary, the history rows, and hostile input."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from app.domain.members import Member, MemberStatus
from app.domain.review import Condition, Grade, TaskStatus
from app.domain.review_scope import Exclusion, ScopeNote
from app.services import changes as changes_service
from app.services import history, review, review_criteria_io, review_tasks
from app.services import members as member_service
from app.services.errors import NotFound, ServiceError, ValidationFailed
from app.storage import audit
from app.storage import review_models as rm
from app.storage.models import ChangeLog
from tests.conftest import TODAY
from tests.helpers import hostile_files

YEAR = 2026
DAY = dt.date(2026, 12, 15)
LONG_AGO = dt.date(2000, 1, 10)


def _add(name: str, admitted: dt.date = LONG_AGO) -> int:
    official = admitted.replace(year=admitted.year + 1) if admitted.replace(year=admitted.year + 1) <= TODAY else None
    member = Member(full_name=name, admission_date=admitted, ceremony_date=admitted, official_date=official)
    return member_service.add_member(member, today=TODAY).member.id


@pytest.fixture
def season(cell_db):
    return review.open_season(YEAR, review_date=DAY)


@pytest.fixture
def an(season) -> int:
    return _add("Nguyễn Văn An")


def _log_count() -> int:
    return ChangeLog.select().count()


def _refused(call, *args, **kwargs) -> list[str]:
    """The fields a refused call names, after checking it stored nothing (no history row)."""
    before = _log_count()
    with pytest.raises(ValidationFailed) as caught:
        call(*args, **kwargs)
    assert _log_count() == before
    return [issue.field for issue in caught.value.issues]


def _tasks(member_id: int, *statuses: TaskStatus | None, due: str = "2026-10") -> list[int]:
    ids = []
    for number, status in enumerate(statuses):
        task = review_tasks.add_task(member_id, f"Nhiệm vụ {number}", due_month=due)
        if status is not None:
            review_tasks.set_status(task.id, status)
        ids.append(task.id)
    return ids


def _grade(member_id: int, general: str, tasks: str, **changes) -> review.ReviewRow:
    row, _warnings = review.set_review(YEAR, member_id, general_score=general, task_score=tasks, **changes)
    return row


# --- grades on their edges ----------------------------------------------------------------------------

@pytest.mark.parametrize(("general", "tasks", "grade"), [
    ("30", "70", Grade.EXCELLENT), ("20", "70", Grade.EXCELLENT), ("19,99", "70", Grade.GOOD),
    ("0", "70", Grade.GOOD), ("30", "39.99", Grade.PASSED), ("20", "30", Grade.PASSED),
    ("19.99", "30", Grade.FAILED), ("0", "0", Grade.FAILED),
])
def test_grade_bands_on_their_edges_through_set_review(an, general, tasks, grade):
    row = _grade(an, general, tasks, exceeded=True)
    assert row.computed.grade is grade
    assert row.total == Decimal(general.replace(",", ".")) + Decimal(tasks)


def test_exceeded_marks_the_thirty_percent_met_and_false_takes_it_away(an):
    assert _grade(an, "25", "70").computed.grade is Grade.GOOD  # no task shown above requirements
    assert _grade(an, "25", "70", exceeded=True).computed.grade is Grade.EXCELLENT
    _tasks(an, TaskStatus.EXCEEDED, TaskStatus.EXCEEDED, TaskStatus.EXCEEDED, *[TaskStatus.ON_TIME] * 7)
    assert _grade(an, "25", "70", exceeded=None).computed.grade is Grade.EXCELLENT  # 3 of 10 from the tasks
    row = _grade(an, "25", "70", exceeded=False)
    assert row.computed.grade is Grade.GOOD and row.computed.unmet[Grade.EXCELLENT] == (Condition.EXCEEDED_BELOW_30,)


def test_exceeded_does_not_cover_shortcomings_left_unremedied(an):
    row = _grade(an, "30", "70", exceeded=True, shortcomings_remedied=False)
    assert row.computed.grade is Grade.GOOD and row.computed.unmet[Grade.EXCELLENT] == (Condition.SHORTCOMINGS_LEFT,)


@pytest.mark.parametrize(("flag", "condition"), [
    ("decline", Condition.DECLINE), ("disciplined", Condition.DISCIPLINED), ("prohibitions", Condition.PROHIBITIONS),
])
def test_each_disqualifier_gives_not_completed_through_set_review(an, flag, condition):
    row = _grade(an, "30", "70", exceeded=True, **{flag: True}, final_grade="khong-hoan-thanh")
    assert row.computed.grade is Grade.FAILED and row.computed.disqualifiers == (condition,)


ON, EX, LATE, NOT = TaskStatus.ON_TIME, TaskStatus.EXCEEDED, TaskStatus.LATE, TaskStatus.NOT_DONE


@pytest.mark.parametrize(("statuses", "grade", "condition"), [
    ([EX] * 3 + [ON] * 7, Grade.EXCELLENT, None),
    ([EX] * 3 + [ON] * 6 + [LATE], Grade.PASSED, Condition.NOT_ALL_ON_TIME),
    ([ON] * 8 + [LATE] * 2, Grade.PASSED, Condition.NOT_ALL_ON_TIME),
    ([ON] * 7 + [LATE] * 3, Grade.FAILED, Condition.LATE_ABOVE_20),
    ([ON] * 5 + [NOT] * 5, Grade.FAILED, Condition.NOT_ALL_DONE),
    ([ON] * 4 + [NOT] * 6, Grade.FAILED, Condition.NOT_DONE_ABOVE_50),
])
def test_each_task_condition_from_the_confirmed_tasks(an, statuses, grade, condition):
    _tasks(an, *statuses)
    row = _grade(an, "30", "70")
    assert row.computed.grade is grade
    assert row.shares.task_count == len(statuses)
    if condition is not None:
        assert any(condition in unmet for unmet in row.computed.unmet.values())
    assert (Condition.NOT_DONE_ABOVE_50 in row.computed.disqualifiers) is (condition is Condition.NOT_DONE_ABOVE_50)


# --- who is reviewed -------------------------------------------------------------------------------------

def test_newly_admitted_six_months_minus_a_day_is_not_reviewed_and_six_months_is(season):
    short = _add("Trần Văn Mới", admitted=dt.date(2026, 6, 16))
    enough = _add("Lê Thị Đủ", admitted=dt.date(2026, 6, 15))
    rows = {r.member_id: r for r in review.review_rows(YEAR)}
    assert rows[short].scope.exclusion is Exclusion.NEWLY_ADMITTED
    assert rows[enough].reviewed


def _change(member_id: int, status: MemberStatus, day: dt.date) -> None:
    member_service.change_status(member_id, status, effective_date=day, reason="theo quyết định", today=TODAY)


@pytest.mark.parametrize(("status", "exclusion"), [
    (MemberStatus.EXEMPT, Exclusion.EXEMPT), (MemberStatus.TEMPORARY, Exclusion.TEMPORARY_HERE),
])
def test_a_member_not_reviewed_is_refused_a_score_or_a_grade_naming_the_field(an, status, exclusion):
    _change(an, status, dt.date(2026, 6, 1))
    assert review.review_row(YEAR, an).scope.exclusion is exclusion
    assert _refused(review.set_review, YEAR, an, task_score="50") == ["review.task_score"]
    assert _refused(review.set_review, YEAR, an, final_grade="tot") == ["review.final_grade"]
    assert rm.ReviewEntry.select().count() == 0
    review.set_review(YEAR, an, strengths="Gương mẫu")  # what is not a score or a grade may still be written


def test_a_suspension_typed_with_a_score_is_refused_and_alone_excludes(an):
    assert _refused(review.set_review, YEAR, an, suspended=True, general_score="20") == ["review.general_score"]
    row, _warnings = review.set_review(YEAR, an, suspended=True)
    assert row.scope.exclusion is Exclusion.SUSPENDED and not row.reviewed


def test_a_member_who_left_before_the_review_date_is_not_found_for_the_review(an):
    _change(an, MemberStatus.TRANSFERRED_OUT, dt.date(2026, 9, 1))
    assert an not in {r.member_id for r in review.review_rows(YEAR)}
    with pytest.raises(NotFound, match="không sinh hoạt tại chi bộ"):
        review.set_review(YEAR, an, general_score="20")


def test_sick_three_months_and_maternity_are_notes_and_do_not_cap_the_grade(an):
    assert ScopeNote.SICK not in review.set_review(YEAR, an, sick_months=2)[0].scope.notes
    row, _warnings = review.set_review(YEAR, an, sick_months="3", maternity=True, general_score="30",
                                       task_score="70", exceeded=True)
    assert row.scope.notes == (ScopeNote.SICK, ScopeNote.MATERNITY) and row.computed.grade is Grade.EXCELLENT


def test_missing_temporary_and_residence_comments_are_warned_and_a_written_one_is_noted(an):
    _row, warnings = review.set_review(YEAR, an, temporary_elsewhere=True, works_elsewhere=True)
    assert {w.field for w in warnings} == {"review.temporary_comment", "review.residence_comment"}
    assert {f.issue.field for f in review.check(YEAR)} >= {"review.temporary_comment", "review.residence_comment"}
    row, warnings = review.set_review(YEAR, an, temporary_comment="Chi bộ khu 3 nhận xét tốt",
                                      residence_comment="Chi ủy thôn Đông: gương mẫu")
    assert warnings == [] and row.scope.notes == (ScopeNote.TEMPORARY_COMMENT, ScopeNote.RESIDENCE_COMMENT)


# --- the dated thresholds --------------------------------------------------------------------------------

def test_a_threshold_from_before_the_review_date_changes_the_scope_and_one_from_after_does_not(season):
    newcomer = _add("Trần Văn Mới", admitted=dt.date(2026, 8, 1))
    assert review.review_row(YEAR, newcomer).scope.exclusion is Exclusion.NEWLY_ADMITTED
    later = review.set_rule("min_months_since_admission", 3, valid_from=dt.date(2026, 12, 16))
    assert review.review_row(YEAR, newcomer).scope.exclusion is Exclusion.NEWLY_ADMITTED
    earlier = review.set_rule("min_months_since_admission", 3, valid_from=DAY)
    assert review.review_row(YEAR, newcomer).reviewed
    review.remove_rule(earlier.id, "nhập nhầm")
    assert review.review_row(YEAR, newcomer).scope.exclusion is Exclusion.NEWLY_ADMITTED
    assert [r.id for r in review.rules()] == [later.id]
    assert {e["entity"] for e in audit.entries()[-3:]} == {"review_rule"}


def test_the_quota_percent_is_dated_too(season):
    review.set_rule("quota_percent", 25, valid_from=dt.date(2027, 1, 1))
    assert review.get_season(YEAR).quota_percent == 20
    rule = review.set_rule("quota_percent", 25, valid_from=dt.date(2026, 1, 1))
    assert review.get_season(YEAR).quota_percent == 25
    review.remove_rule(rule.id)
    assert review.get_season(YEAR).quota_percent == 20


@pytest.mark.parametrize(("key", "value", "valid_from"), [
    ("quota_percent", 30, DAY), ("quota_percent", True, DAY), ("sick_months", 0, DAY), ("no_such_rule", 3, DAY),
    ("sick_months", 3, "2026-01-01"), ("sick_months", 3, dt.datetime(2026, 1, 1, 8, 0)),
])
def test_a_bad_threshold_is_refused_and_nothing_stored(season, key, value, valid_from):
    assert _refused(review.set_rule, key, value, valid_from=valid_from)[0] in ("review.rule", "review.valid_from")
    assert review.rules() == []


def test_removing_a_threshold_that_is_not_there_is_not_found(season):
    for rule_id in (99, "1", None, True):
        with pytest.raises(NotFound):
            review.remove_rule(rule_id)


# --- the checks -------------------------------------------------------------------------------------------

def _cell_of(count: int) -> list[int]:
    return [_add(f"Nguyễn Văn Thứ {chr(ord('A') + i)}") for i in range(count)]


def _propose(member_ids: list[int], grade: str) -> None:
    for member_id in member_ids:
        review.set_review(YEAR, member_id, proposed_grade=grade)


def _quota_warnings() -> list[str]:
    return [str(f.issue) for f in review.check(YEAR) if f.issue.field == "review.quota"]


@pytest.mark.parametrize(("good", "excellent", "warned"), [
    (4, 0, False), (4, 1, True), (5, 1, False), (5, 2, True), (10, 2, False), (10, 3, True),
])
def test_the_quota_of_twenty_percent_on_its_edges(season, good, excellent, warned):
    people = _cell_of(good + excellent)
    _propose(people[:good], "tot")
    _propose(people[good:], "xuat-sac")
    assert bool(_quota_warnings()) is warned
    assert review.live_quota(YEAR)[0].allowed == good // 5


@pytest.mark.parametrize(("good", "excellent", "warned"), [(3, 1, True), (4, 1, False), (8, 2, False), (8, 3, True)])
def test_the_quota_of_twenty_five_percent_on_its_edges(season, good, excellent, warned):
    review.set_rule("quota_percent", 25, valid_from=dt.date(2026, 1, 1))
    people = _cell_of(good + excellent)
    _propose(people[:good], "tot")
    _propose(people[good:], "xuat-sac")
    assert bool(_quota_warnings()) is warned


def test_failed_two_years_running_reads_last_years_final_grade(season):
    twice, once = _add("Trần Văn Hai"), _add("Lê Văn Một")
    review.open_season(YEAR - 1, review_date=dt.date(2025, 12, 15))
    review.set_review(YEAR - 1, twice, final_grade="khong-hoan-thanh")
    review.set_review(YEAR - 1, once, proposed_grade="khong-hoan-thanh", final_grade="hoan-thanh")
    _propose([twice, once], "khong-hoan-thanh")
    warned = [f.member_id for f in review.check(YEAR) if f.issue.field == "review.previous_grade"]
    assert warned == [twice]


@pytest.mark.parametrize(("stage", "reason"), [
    ("committee_grade", "committee_view"), ("proposed_grade", "proposed_reason"), ("final_grade", "final_reason"),
])
def test_a_grade_against_the_score_needs_its_reason(an, stage, reason):
    assert _refused(review.set_review, YEAR, an, general_score="25", task_score="50", **{stage: "xuat-sac"}) == [
        f"review.{stage}"]
    row, _warnings = review.set_review(YEAR, an, general_score="25", task_score="50", **{stage: "xuat-sac"},
                                       **{reason: "thành tích đột xuất trong phòng chống bão"})
    assert getattr(row.data, stage) is Grade.EXCELLENT


def test_the_members_own_grade_against_the_score_is_only_warned(an):
    row, warnings = review.set_review(YEAR, an, general_score="25", task_score="50", self_grade="xuat-sac")
    assert row.data.self_grade is Grade.EXCELLENT and [w.field for w in warnings] == ["review.self_grade"]


def test_votes_more_than_the_voters_are_refused_and_a_zero_is_kept(an):
    assert _refused(review.set_review, YEAR, an, voters=5, votes={"tot": 4, "xuat-sac": 2}) == ["review.votes"]
    for name in ("Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Gấm"):
        _add(name)
    review.update_season(YEAR, present=6)
    assert _refused(review.set_review, YEAR, an, voters=7, votes={"tot": 7}) == ["review.voters"]
    row, _warnings = review.set_review(YEAR, an, voters="6", votes={"tot": "5", Grade.EXCELLENT: 0})
    assert row.data.votes == {Grade.GOOD: 5, Grade.EXCELLENT: 0} and row.data.voters == 6


def test_those_present_are_at_most_the_roll_and_at_least_the_voters_recorded(an):
    assert _refused(review.update_season, YEAR, present=2) == ["review.present"]  # one member on the roll
    review.update_season(YEAR, present=1)
    review.set_review(YEAR, an, voters=1, votes={"tot": 1})
    _add("Trần Thị Bình")
    review.update_season(YEAR, present=2)
    assert _refused(review.update_season, YEAR, present=0) == ["review.present"]


def test_a_review_meeting_of_another_year_is_refused(season):
    from app.domain.meetings import Meeting, MeetingKind
    from app.services import meetings as meeting_service

    old = meeting_service.add_meeting(Meeting(date=dt.date(YEAR - 1, 12, 5), kind=MeetingKind.REGULAR))
    assert _refused(review.update_season, YEAR, meeting_id=old.id) == ["review.meeting_id"]


@pytest.mark.parametrize("votes", [
    {"tot": "abc"}, {"tot": True}, {"tot": 3.5}, {"tot": -1}, {"tot": "1e3"}, {"gioi": 2}, {"tot": 1, "TOT": 2},
    ["tot", 3], "tot=3", {"tot": 10 ** 30},
])
def test_votes_that_are_not_whole_counts_of_a_grade_are_refused(an, votes):
    assert set(_refused(review.set_review, YEAR, an, votes=votes)) == {"review.votes"}


# --- scores typed badly -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("general_score", "30,01"), ("general_score", "-1"), ("general_score", "12.125"), ("general_score", "nan"),
    ("general_score", "Infinity"), ("general_score", "1e400"), ("general_score", "1_0"), ("general_score", True),
    ("task_score", "70.001"), ("task_score", "9" * 5000), ("task_score", float("nan")), ("task_score", "٣٠"),
    ("task_score", [70]),
])
def test_a_bad_score_is_refused_naming_its_group_with_nothing_stored(an, field, value):
    assert _refused(review.set_review, YEAR, an, **{field: value}) == [f"review.{field}"]
    assert rm.ReviewEntry.select().count() == 0


def test_negative_zero_is_stored_as_zero(an):
    row = _grade(an, "-0", "-0,0")
    assert row.data.general_score == 0 and not row.data.general_score.is_signed()
    assert rm.ReviewEntry.get().general_score == "0"


# --- task shares ---------------------------------------------------------------------------------------------

def test_shares_count_the_years_confirmed_tasks_only(an):
    _tasks(an, EX, ON, LATE, NOT)
    _tasks(an, NOT, due="2027-01")  # due the next year
    cancelled = _tasks(an, NOT)[0]
    review_tasks.cancel_task(cancelled, "ghi nhầm")
    _tasks(an, None)  # not confirmed yet
    row = review.review_row(YEAR, an)
    assert row.shares.task_count == 4
    assert (row.shares.on_time, row.shares.late, row.shares.not_done, row.shares.exceeded) == (50, 25, 25, 25)
    assert [f.issue.field for f in review.check(YEAR) if f.member_id == an] == ["review.tasks"]


def test_an_override_of_the_shares_needs_its_reason_and_then_decides(an):
    _tasks(an, ON, LATE, LATE, NOT)
    assert _refused(review.set_review, YEAR, an, share_on_time="100", share_late="0") == ["review.override_reason"]
    assert _refused(review.set_review, YEAR, an, share_on_time="abc", share_reason="x") == ["review.on_time_percent"]
    assert _refused(review.set_review, YEAR, an, share_on_time="80", share_late="30", share_reason="x") == [
        "review.late_percent"]
    row = _grade(an, "25", "55", share_on_time="100", share_late="0", share_exceeded="40",
                 share_reason="Biên bản họp chi bộ tháng 11 xác nhận đã làm xong")
    assert row.shares.overridden and row.shares.not_done == 0 and row.computed.grade is Grade.GOOD
    assert review.row_json(row)["shares_override_reason"].startswith("Biên bản")


# --- the cell's own rating ----------------------------------------------------------------------------------

def test_the_cell_is_excellent_at_ninety_with_tasks_exceeded_unless_a_member_is_disciplined(an):
    summary = review.set_cell_rating(YEAR, general="28", tasks="62", exceeded=True)
    assert summary.computed.grade is Grade.EXCELLENT
    assert review.set_cell_rating(YEAR, exceeded=False).computed.grade is Grade.GOOD
    assert review.set_cell_rating(YEAR, tasks="61,99", exceeded=True).computed.grade is Grade.GOOD
    review.set_cell_rating(YEAR, tasks="62")
    review.set_review(YEAR, an, disciplined=True)
    summary = review.cell_summary(YEAR)
    assert summary.disciplined == 1 and summary.computed.grade is Grade.GOOD
    assert summary.computed.unmet[Grade.EXCELLENT] == (Condition.MEMBER_DISCIPLINED,)


def test_the_cells_rating_names_its_own_fields_when_refused(an):
    assert _refused(review.set_cell_rating, YEAR, general="31") == ["review.cell_general"]
    assert _refused(review.set_cell_rating, YEAR, tasks="nan") == ["review.cell_tasks"]
    assert _refused(review.set_cell_rating, YEAR, exceeded="có") == ["review.cell_exceeded"]
    assert _refused(review.set_cell_rating, YEAR, general="20", tasks="50", final_grade="xuat-sac") == [
        "review.cell_final_grade"]
    assert _refused(review.set_cell_rating, YEAR, votes={"tot": 2}) == ["review.cell_votes"]  # one on the roll
    assert _refused(review.set_cell_rating, YEAR, plan="x" * 20_001) == ["review.cell_plan"]
    assert _refused(review.set_cell_rating, YEAR, colour="đỏ") == ["review.field"]
    summary = review.set_cell_rating(YEAR, general="20", tasks="50", final_grade="xuat-sac",
                                     final_reason="Đảng ủy xét thành tích", votes={"tot": 1})
    assert summary.rating.final_grade is Grade.EXCELLENT and summary.rating.votes == {Grade.GOOD: 1}


# --- the summary --------------------------------------------------------------------------------------------

def test_the_summary_counts_grades_and_bieu_6f_apart(season):
    people = _cell_of(6)
    _change(people[0], MemberStatus.EXEMPT, dt.date(2026, 3, 1))
    review.set_review(YEAR, people[1], suspended=True)
    _add("Trần Văn Mới", admitted=dt.date(2026, 9, 1))
    _change(people[2], MemberStatus.TEMPORARY, dt.date(2026, 3, 1))
    review.set_review(YEAR, people[3], proposed_grade="tot", final_grade="xuat-sac", final_reason="thành tích")
    review.set_review(YEAR, people[4], proposed_grade="tot", final_grade="tot")
    found = review.summary(YEAR)
    assert (found.on_roll, found.reviewed, found.not_graded) == (6, 3, 1)
    assert {e: n for e, n in found.not_reviewed.items() if e.in_bieu_6f} == {
        Exclusion.EXEMPT: 1, Exclusion.SUSPENDED: 1, Exclusion.NEWLY_ADMITTED: 1}
    assert {g.grade: (g.proposed, g.final) for g in found.grades} == {
        Grade.EXCELLENT: (0, 1), Grade.GOOD: (2, 1), Grade.PASSED: (0, 0), Grade.FAILED: (0, 0)}
    assert found.percent(1) == "33,33" and found.to_json()["not_reviewed"]["moi-ket-nap"] == 1
    cell = review.cell_summary(YEAR)
    assert cell.reviewed == 3 and cell.counts[Grade.EXCELLENT] == 1 and cell.counts[Grade.GOOD] == 1


# --- the history -------------------------------------------------------------------------------------------

def test_every_write_is_one_history_row_and_perform_says_what_changed(cell_db):
    def one(fn, *args, **kwargs):
        before = _log_count()
        outcome = changes_service.perform(fn, *args, **kwargs)
        assert _log_count() == before + 1
        return audit.entries()[-1], outcome.changes

    entry, changed = one(review.open_season, YEAR, review_date=DAY)
    assert (entry["entity"], entry["entity_id"], changed.reviews) == ("review", YEAR, frozenset({YEAR}))
    member_id = _add("Nguyễn Văn An")
    for fn, kwargs in ((review.set_review, {"member_id": member_id, "general_score": "20"}),
                       (review.set_cell_rating, {"general": "20"}), (review.update_season, {"present": 1}),
                       (review.set_criteria, {"sheet": None})):
        entry, changed = one(fn, YEAR, **kwargs)
        assert (entry["entity"], entry["entity_id"], changed.reviews) == ("review", YEAR, frozenset({YEAR}))
    entry, changed = one(review_tasks.add_task, member_id, "Vận động quỹ", due_month="2026-11")
    assert entry["entity"] == "review_task" and changed.review_tasks
    entry, changed = one(review.set_rule, "sick_months", 4, valid_from=DAY)
    assert entry["entity"] == "review_rule" and changed.review_tasks
    before = _log_count()
    review.set_review(YEAR, member_id, general_score="20,00")  # the same score: nothing to write
    assert _log_count() == before
    # Every change an [old, new] pair, as the change history reads and exports them.
    written = [e for e in audit.entries() if e["entity"].startswith("review")]
    assert all(len(pair) == 2 for e in written for pair in e["changes"].values())
    assert history.describe_changes(written[1]) == "Điểm nhóm tiêu chí chung: ∅ → 20"  # the member is its subject


# --- hostile or careless input -------------------------------------------------------------------------------

@pytest.mark.parametrize("year", [1800, True, "2026", 2026.0, None, 10 ** 9])
def test_a_year_that_is_not_a_year_is_refused(cell_db, year):
    assert _refused(review.open_season, year) == ["review.year"]
    assert _refused(review.set_review, year, 1, general_score="20") == ["review.year"]


@pytest.mark.parametrize("day", [dt.date(2025, 12, 31), dt.date(2027, 2, 1), "2026-12-15",
                                 dt.datetime(2026, 12, 15, 8, 0)])
def test_a_review_date_outside_the_year_or_not_a_date_is_refused(cell_db, day):
    assert _refused(review.open_season, YEAR, review_date=day) == ["review.review_date"]
    assert review.years() == []


@pytest.mark.parametrize("member_id", [True, "1", 1.0, None])
def test_a_member_id_that_is_not_a_whole_number_is_refused(an, member_id):
    assert _refused(review.set_review, YEAR, member_id, general_score="20") == ["review.member_id"]


def test_a_member_that_does_not_exist_is_not_found(season):
    with pytest.raises(NotFound):
        review.set_review(YEAR, 987654, general_score="20")


def test_texts_keep_their_paragraphs_lose_control_characters_and_are_bounded(an):
    row, _warnings = review.set_review(YEAR, an, strengths="Gương mẫu\x00 \x1b[31m\r\nTích cực  vận động\x07")
    assert row.data.strengths == "Gương mẫu [31m\nTích cực vận động"
    assert _refused(review.set_review, YEAR, an, remedies="a" * 20_001) == ["review.remedies"]
    assert _refused(review.set_review, YEAR, an, plan=12345) == ["review.plan"]
    assert _refused(review.set_review, YEAR, an, strengths="x", reason="y" * 20_001) == ["review.reason"]


@pytest.mark.parametrize(("field", "value"), [
    ("form", "3D"), ("sick_months", "13"), ("sick_months", "2.5"), ("sick_months", True), ("voters", -1),
    ("disciplined", "False"), ("exceeded", "yes"), ("proposed_grade", "gioi"), ("proposed_grade", 3),
    ("self_grade", "x" * 5000),
])
def test_a_bad_value_is_refused_naming_its_field(an, field, value):
    fields = _refused(review.set_review, YEAR, an, **{field: value})
    assert fields == [f"review.{field}"]


def test_a_grade_message_quotes_a_pasted_page_briefly(an):
    with pytest.raises(ValidationFailed) as caught:
        review.set_review(YEAR, an, self_grade="x" * 5000)
    assert len(str(caught.value)) < 300


def test_an_unknown_field_is_refused(an):
    assert _refused(review.set_review, YEAR, an, colour="đỏ") == ["review.field"]


def test_a_season_opened_twice_and_a_meeting_that_does_not_exist_are_refused(season):
    assert _refused(review.open_season, YEAR) == ["review.year"]
    for meeting_id in (999, True, "1"):
        assert _refused(review.update_season, YEAR, meeting_id=meeting_id) == ["review.meeting_id"]
    for present in (-1, True, "abc", 10 ** 9):
        assert _refused(review.update_season, YEAR, present=present) == ["review.present"]


# --- the criteria sheet from XLSX ----------------------------------------------------------------------------

def _sheet_file(path, rows, name="Khung tiêu chí của Đảng ủy xã Hòa Bình năm 2026"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tên khung", name])
    sheet.append(["Nhóm", "Tiêu chí", "Điểm"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


GOOD_ROWS = [["chung", "Phẩm chất chính trị", 20], ["chung", "Tự phê bình", "10"],
             ["nhiệm vụ", "Nhiệm vụ được giao", 50], ["II", "Nhiệm vụ đột xuất", 20.0]]


def test_a_good_criteria_sheet_is_stored_for_the_year_and_shown(season, tmp_path):
    review_criteria_io.import_sheet(YEAR, _sheet_file(tmp_path / "khung.xlsx", GOOD_ROWS))
    criteria = review.get_season(YEAR).criteria
    assert criteria.name == "Khung tiêu chí của Đảng ủy xã Hòa Bình năm 2026" and not criteria.is_default
    assert [(g.kind.value, [i.title for i in g.items], g.total) for g in criteria.groups] == [
        ("chung", ["Phẩm chất chính trị", "Tự phê bình"], 30),
        ("nhiem-vu", ["Nhiệm vụ được giao", "Nhiệm vụ đột xuất"], 70)]
    review.set_criteria(YEAR, None)
    assert review.get_season(YEAR).criteria.is_default


def test_criteria_points_not_adding_to_thirty_are_refused_naming_the_group(season, tmp_path):
    rows = [["chung", "Phẩm chất", 20], ["chung", "Tự phê bình", 9.5], *GOOD_ROWS[2:]]
    with pytest.raises(ValidationFailed) as caught:
        review_criteria_io.import_sheet(YEAR, _sheet_file(tmp_path / "khung.xlsx", rows))
    assert "Nhóm tiêu chí chung" in str(caught.value) and "29,5" in str(caught.value)
    assert review.get_season(YEAR).criteria.is_default


def test_a_bad_criteria_row_is_named_by_its_row_number(season, tmp_path):
    rows = [*GOOD_ROWS, ["khác", "Nhóm lạ", 5], ["chung", "", 1], ["chung", "Điểm chữ", "mười"]]
    with pytest.raises(ValidationFailed) as caught:
        review_criteria_io.read_sheet(_sheet_file(tmp_path / "khung.xlsx", rows))
    text = str(caught.value)
    assert "Dòng 7" in text and "Dòng 8" in text and "Dòng 9" in text and "«mười»" in text


def test_a_formula_is_read_as_its_shown_value_and_never_as_its_text(season, tmp_path):
    rows = [["chung", "=HYPERLINK(\"http://x.example\",\"Bấm\")", "=10+10"], *GOOD_ROWS[1:]]
    with pytest.raises(ValidationFailed) as caught:
        review_criteria_io.read_sheet(_sheet_file(tmp_path / "khung.xlsx", rows))
    assert "Dòng 3" in str(caught.value) and "HYPERLINK" not in str(caught.value)


def test_a_criteria_file_of_ten_thousand_rows_is_refused_quickly(season, tmp_path):
    rows = [["chung", f"Tiêu chí {n}", 1] for n in range(10_000)]
    with pytest.raises(ServiceError, match="hơn 60 tiêu chí"):
        review_criteria_io.read_sheet(_sheet_file(tmp_path / "khung.xlsx", rows))


def test_a_file_that_is_not_a_criteria_sheet_is_refused_with_a_message(season, tmp_path):
    text = tmp_path / "khung.xlsx"
    text.write_text("không phải excel", encoding="utf-8")
    pdf = tmp_path / "khung.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    bomb = hostile_files.styles_bomb(tmp_path / "bomb.xlsx")
    roster = tmp_path / "roster.xlsx"
    hostile_files._write(roster, hostile_files.roster_parts())
    for path in (text, pdf, bomb, roster, tmp_path / "missing.xlsx"):
        with pytest.raises(ServiceError) as caught:
            review_criteria_io.import_sheet(YEAR, path)
        assert str(caught.value) and "Traceback" not in str(caught.value)
    assert review.get_season(YEAR).criteria.is_default


def test_the_cells_own_grade_against_its_score_and_a_cell_mostly_failed_are_warned(an):
    review.set_cell_rating(YEAR, general="20", tasks="50", self_grade="xuat-sac")
    review.set_review(YEAR, an, proposed_grade="khong-hoan-thanh")
    cell = [f.issue.field for f in review.check(YEAR) if f.member_id is None]
    assert cell == ["review.cell_self_grade", "review.cell_self_grade"]


def test_a_score_stored_for_a_member_who_then_left_the_scope_is_warned_on_its_stage(an):
    review.set_review(YEAR, an, task_score="50")
    _change(an, MemberStatus.EXEMPT, dt.date(2026, 6, 1))
    assert [(f.member_id, f.issue.field) for f in review.check(YEAR)] == [(an, "review.task_score")]


def test_a_criteria_sheet_that_is_not_one_is_refused(season):
    for sheet in ("khung", {"groups": []}):
        assert _refused(review.set_criteria, YEAR, sheet) == ["review.criteria_group"]


def test_a_threshold_is_dated_once_and_within_the_years_the_program_knows(season):
    review.set_rule("quota_percent", 25, valid_from=dt.date(2026, 1, 1))
    assert _refused(review.set_rule, "quota_percent", 20, valid_from=dt.date(2026, 1, 1)) == ["review.valid_from"]
    assert _refused(review.set_rule, "quota_percent", 25, valid_from=dt.date(1, 1, 1)) == ["review.valid_from"]


def test_criteria_with_the_group_column_merged_are_read_and_an_empty_point_is_named(season, tmp_path):
    """A merged «Nhóm» cell (a common layout) keeps its value in its first row only."""
    import openpyxl

    from app.services import review_criteria_io

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Nhóm", "Tiêu chí", "Điểm"], ["chung", "Phẩm chất", 20], [None, "Tự phê bình", 10],
                ["nhiệm vụ", "Nhiệm vụ được giao", 40], [None, "Học tập nghị quyết", 15], [None, "Đột xuất", 15]):
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("A4:A6")
    book.save(tmp_path / "gop.xlsx")
    read = review_criteria_io.read_sheet(tmp_path / "gop.xlsx")
    assert [len(g.items) for g in read.groups] == [2, 3]
    sheet["C3"] = None
    book.save(tmp_path / "trong.xlsx")
    with pytest.raises(ValidationFailed) as refused:
        review_criteria_io.read_sheet(tmp_path / "trong.xlsx")
    assert "Dòng 3: ô điểm trống" in str(refused.value) and "None" not in str(refused.value)


def test_the_history_reads_a_review_in_words(an):
    from app.services import history

    review.set_review(YEAR, an, general_score="27", task_score="60", self_grade="tot", maternity=True)
    entry = [e for e in history.entries() if e["entity"] == "review" and e["action"] == "member"][-1]
    text = history.describe(entry)
    assert "Kiểm điểm, xếp loại năm 2026, Nguyễn Văn An: Kết quả kiểm điểm của đảng viên" in text
    assert "∅ → Hoàn thành tốt nhiệm vụ" in text and "không → có" in text and "tot" not in text.split("—")[1]


def test_the_summary_gives_the_quota_of_each_stage(season):
    people = [_add(name) for name in ("Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
                                      "Vũ Thị Gấm")]
    for member_id in people:
        review.set_review(YEAR, member_id, general_score="25", task_score="55", proposed_grade="tot",
                          votes={"tot": 1}, voters=1)
    review.set_review(YEAR, people[0], final_grade="tot")
    found = review.summary(YEAR)
    assert (found.quota_allowed("proposed"), found.quota_allowed("final")) == (1, 0)
    assert found.to_json()["quota_allowed"] == {"proposed": 1, "final": 0}
