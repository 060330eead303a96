"""Annual review rules (Quy định 366-QĐ/TW, Hướng dẫn 43-HD/BTCTW): grades, scope, criteria, checks."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.review import (
    Condition,
    Grade,
    GradeFacts,
    TaskShares,
    TaskStatus,
    compute_grade,
    format_score,
    override_shares,
    parse_grade,
    shares_from_tasks,
    validate_scores,
)

ON, EX, LATE, NOT = TaskStatus.ON_TIME, TaskStatus.EXCEEDED, TaskStatus.LATE, TaskStatus.NOT_DONE
# Three in ten exceeded, all on time: every task condition of Hoàn thành xuất sắc holds.
BEST = shares_from_tasks([EX] * 3 + [ON] * 7)


def test_grades_carry_the_command_line_codes_and_the_vietnamese_labels():
    assert [g.value for g in Grade] == ["xuat-sac", "tot", "hoan-thanh", "khong-hoan-thanh"]
    assert Grade.EXCELLENT.label == "Hoàn thành xuất sắc nhiệm vụ"
    assert Grade.GOOD.label == "Hoàn thành tốt nhiệm vụ"
    assert Grade.PASSED.label == "Hoàn thành nhiệm vụ"
    assert Grade.FAILED.label == "Không hoàn thành nhiệm vụ"
    assert parse_grade(" TOT ") is Grade.GOOD and parse_grade("gioi") is None
    assert Grade.EXCELLENT.rank > Grade.GOOD.rank > Grade.PASSED.rank > Grade.FAILED.rank


@pytest.mark.parametrize(("score", "grade"), [
    ("100", Grade.EXCELLENT), ("90", Grade.EXCELLENT), ("89.99", Grade.GOOD), ("89.5", Grade.GOOD),
    ("70", Grade.GOOD), ("69.99", Grade.PASSED), ("50", Grade.PASSED), ("49.99", Grade.FAILED),
    ("49.5", Grade.FAILED), ("0", Grade.FAILED),
])
def test_score_bands_on_their_edges(score, grade):
    assert compute_grade(Decimal(score), BEST).grade is grade


def test_excellent_needs_every_task_on_time():
    shares = shares_from_tasks([EX] * 3 + [ON] * 6 + [LATE])
    result = compute_grade(95, shares)
    assert result.grade is Grade.PASSED  # one late task: not tốt either (tốt needs 100 % on time)
    assert result.unmet[Grade.EXCELLENT] == (Condition.NOT_ALL_ON_TIME,)
    assert result.unmet[Grade.GOOD] == (Condition.NOT_ALL_ON_TIME,)


@pytest.mark.parametrize(("exceeded", "grade"), [(3, Grade.EXCELLENT), (2, Grade.GOOD)])
def test_excellent_needs_thirty_percent_exceeding_exactly(exceeded, grade):
    shares = shares_from_tasks([EX] * exceeded + [ON] * (10 - exceeded))
    assert compute_grade(90, shares).grade is grade


def test_thirty_percent_of_an_odd_count_is_held_exactly():
    # 2 of 7 is 28.57 %: not enough; 3 of 10 is 30 % exactly: enough, with no float rounding on the way.
    assert compute_grade(95, shares_from_tasks([EX] * 2 + [ON] * 5)).grade is Grade.GOOD
    assert shares_from_tasks([EX] * 3 + [ON] * 7).exceeded == Fraction(30)


def test_excellent_needs_last_years_shortcomings_remedied():
    result = compute_grade(95, BEST, GradeFacts(shortcomings_remedied=False))
    assert result.grade is Grade.GOOD and result.unmet[Grade.EXCELLENT] == (Condition.SHORTCOMINGS_LEFT,)


@pytest.mark.parametrize(("late", "grade"), [(1, Grade.PASSED), (2, Grade.PASSED), (3, Grade.FAILED)])
def test_passed_allows_at_most_twenty_percent_late(late, grade):
    # 2 of 10 = 20 % passes; 3 of 10 = 30 % does not.
    assert compute_grade(75, shares_from_tasks([LATE] * late + [ON] * (10 - late))).grade is grade


def test_twenty_percent_late_and_a_hair_more_through_an_override():
    at, _ = override_shares(BEST, "theo biên bản", on_time="80", late="20", exceeded="0")
    over, _ = override_shares(BEST, "theo biên bản", on_time="79.99", late="20.01", exceeded="0")
    assert compute_grade(60, at).grade is Grade.PASSED
    result = compute_grade(60, over)
    assert result.grade is Grade.FAILED and Condition.LATE_ABOVE_20 in result.unmet[Grade.PASSED]


def test_passed_needs_every_task_done():
    result = compute_grade(60, shares_from_tasks([NOT] + [ON] * 9))
    assert result.grade is Grade.FAILED and result.unmet[Grade.PASSED] == (Condition.NOT_ALL_DONE,)


@pytest.mark.parametrize(("facts", "condition"), [
    (GradeFacts(decline_conclusion=True), Condition.DECLINE),
    (GradeFacts(disciplined=True), Condition.DISCIPLINED),
    (GradeFacts(broke_prohibitions=True), Condition.PROHIBITIONS),
])
def test_each_disqualifier_gives_not_completed_whatever_the_score(facts, condition):
    result = compute_grade(100, BEST, facts)
    assert result.grade is Grade.FAILED
    assert result.disqualifiers == (condition,)
    assert all(condition in unmet for unmet in result.unmet.values())


def test_more_than_half_not_done_is_a_disqualifier_and_half_is_not():
    half = shares_from_tasks([NOT] * 5 + [ON] * 5)
    more = shares_from_tasks([NOT] * 6 + [ON] * 4)
    assert compute_grade(80, half).disqualifiers == ()
    assert compute_grade(80, more).disqualifiers == (Condition.NOT_DONE_ABOVE_50,)


def test_why_names_each_unmet_condition_in_vietnamese():
    why = compute_grade(85, shares_from_tasks([EX, ON, ON])).why()
    assert why == ["Chưa đạt Hoàn thành xuất sắc nhiệm vụ: tổng điểm dưới 90."]
    assert compute_grade(95, BEST).why() == []


def test_shares_from_tasks_count_exceeded_as_on_time():
    shares = shares_from_tasks([EX, ON, LATE, NOT])
    assert (shares.on_time, shares.late, shares.not_done, shares.exceeded) == (50, 25, 25, 25)
    assert shares.done == 75 and shares.task_count == 4 and not shares.overridden


def test_no_task_recorded_reads_as_all_done_none_exceeded():
    shares = shares_from_tasks([])
    assert shares == TaskShares() and shares.task_count == 0
    assert compute_grade(95, shares).grade is Grade.GOOD


def test_an_override_needs_a_reason_and_sane_percentages():
    shares, report = override_shares(BEST, "  ", exceeded="40")
    assert shares is BEST and [i.field for i in report.errors] == ["review.override_reason"]
    shares, report = override_shares(BEST, "x", on_time="101")
    assert [i.field for i in report.errors] == ["review.on_time_percent"]
    shares, report = override_shares(BEST, "x", on_time="90", late="20")
    assert [i.field for i in report.errors] == ["review.late_percent"]
    shares, report = override_shares(BEST, "x", on_time="50", exceeded="60")
    assert [i.field for i in report.errors] == ["review.exceeded_percent"]


def test_an_override_keeps_what_is_not_given_and_records_its_reason():
    shares, report = override_shares(shares_from_tasks([ON, ON]), "Đảng ủy xác nhận vượt", exceeded="50")
    assert not report.issues and shares.exceeded == 50 and shares.on_time == 100 and shares.not_done == 0
    assert shares.overridden and shares.override_reason == "Đảng ủy xác nhận vượt"
    assert compute_grade(92, shares).grade is Grade.EXCELLENT


@pytest.mark.parametrize(("general", "tasks", "fields"), [
    ("30", "70", []), ("0", "0", []), ("25,5", "60.25", []),
    ("30.01", "70", ["review.general_score"]), ("-0.5", "70", ["review.general_score"]),
    ("30", "70.5", ["review.task_score"]), ("abc", "", ["review.general_score", "review.task_score"]),
    ("20.125", "50", ["review.general_score"]), ("NaN", "50", ["review.general_score"]),
])
def test_scores_are_checked_per_group_naming_the_field(general, tasks, fields):
    assert [i.field for i in validate_scores(general, tasks).errors] == fields


def test_an_out_of_range_score_is_shown_as_typed_in_vietnamese():
    (issue,) = validate_scores("30,5", "1").errors
    assert str(issue) == "Điểm nhóm tiêu chí chung: phải từ 0 đến 30 điểm; đã nhập 30,5."


def test_format_score():
    assert format_score(Decimal("85")) == "85" and format_score(Decimal("85.50")) == "85,5"
    assert format_score(Fraction(100, 3)) == "33,33"


scores = st.decimals(min_value=0, max_value=100, places=2)
statuses = st.lists(st.sampled_from(list(TaskStatus)), max_size=20)
facts = st.builds(GradeFacts, st.booleans(), st.booleans(), st.booleans(), st.booleans())


@given(scores, scores, statuses, facts)
def test_raising_the_score_never_lowers_the_grade(a, b, tasks, known):
    shares = shares_from_tasks(tasks)
    low, high = sorted((a, b))
    assert compute_grade(high, shares, known).grade.rank >= compute_grade(low, shares, known).grade.rank


@given(scores, statuses, facts, st.sampled_from(["decline_conclusion", "disciplined", "broke_prohibitions"]))
def test_adding_a_disqualifier_always_gives_not_completed(score, tasks, known, which):
    known = GradeFacts(**{**known.__dict__, which: True})
    assert compute_grade(score, shares_from_tasks(tasks), known).grade is Grade.FAILED


@given(scores, statuses)
def test_the_grade_given_has_no_unmet_condition_and_every_grade_above_has_one(score, tasks):
    result = compute_grade(score, shares_from_tasks(tasks))
    above = [g for g in Grade if g.rank > result.grade.rank]
    assert list(result.unmet) == above and all(result.unmet[g] for g in above)


# --- Who is reviewed (366 Điều 5) ----------------------------------------------------------------

import datetime as dt  # noqa: E402

from app.domain.members import MemberStatus, StatusChange  # noqa: E402
from app.domain.review_scope import (  # noqa: E402
    DEFAULT_MIN_MONTHS_SINCE_ADMISSION,
    DEFAULT_SICK_MONTHS,
    Exclusion,
    ReviewFacts,
    ReviewScope,
    ScopeNote,
    ScopeThresholds,
    count_exclusions,
    review_scope,
)

REVIEW_DAY = dt.date(2026, 12, 10)
OFFICIAL = (StatusChange(MemberStatus.OFFICIAL, dt.date(2010, 1, 1)),)


def _facts(**changes) -> ReviewFacts:
    return ReviewFacts(**{"review_date": REVIEW_DAY, "history": OFFICIAL,
                          "admission_date": dt.date(2009, 1, 1), **changes})


def test_an_ordinary_member_is_reviewed_with_no_note():
    scope = review_scope(_facts())
    assert scope.reviewed and scope.exclusion is None and scope.notes == () and not scope.report().issues


def test_the_default_thresholds_are_named_constants():
    assert (DEFAULT_MIN_MONTHS_SINCE_ADMISSION, DEFAULT_SICK_MONTHS) == (6, 3)
    assert ScopeThresholds() == ScopeThresholds(6, 3)


def test_exempt_on_the_review_date_is_not_reviewed_and_before_the_exemption_is():
    history = OFFICIAL + (StatusChange(MemberStatus.EXEMPT, dt.date(2026, 12, 10)),)
    assert review_scope(_facts(history=history)).exclusion is Exclusion.EXEMPT
    assert review_scope(_facts(history=history, review_date=dt.date(2026, 12, 9))).reviewed


def test_suspended_is_not_reviewed():
    assert review_scope(_facts(suspended=True)).exclusion is Exclusion.SUSPENDED


@pytest.mark.parametrize(("admitted", "reviewed"), [
    (dt.date(2026, 6, 10), True),    # 6 months to the day: not "less than 6 months"
    (dt.date(2026, 6, 11), False),   # one day short
    (dt.date(2026, 12, 10), False),
])
def test_admitted_less_than_six_months_before_writes_no_review(admitted, reviewed):
    probationary = (StatusChange(MemberStatus.PROBATIONARY, admitted),)
    scope = review_scope(_facts(history=probationary, admission_date=admitted))
    assert scope.reviewed is reviewed
    assert scope.exclusion is (None if reviewed else Exclusion.NEWLY_ADMITTED)


def test_the_admission_threshold_is_a_parameter():
    admitted = dt.date(2026, 9, 10)
    facts = _facts(history=(StatusChange(MemberStatus.PROBATIONARY, admitted),), admission_date=admitted)
    assert not review_scope(facts).reviewed
    assert review_scope(facts, ScopeThresholds(min_months_since_admission=3)).reviewed


def test_a_member_on_the_31st_counts_months_to_the_months_last_day():
    admitted = dt.date(2026, 5, 31)   # + 6 months = 30/11
    facts = _facts(history=(StatusChange(MemberStatus.PROBATIONARY, admitted),), admission_date=admitted)
    assert review_scope(facts, ScopeThresholds()).reviewed is (REVIEW_DAY >= dt.date(2026, 11, 30))
    assert not review_scope(ReviewFacts(dt.date(2026, 11, 29), facts.history, admitted)).reviewed
    assert review_scope(ReviewFacts(dt.date(2026, 11, 30), facts.history, admitted)).reviewed


@pytest.mark.parametrize(("status", "reason"), [
    (MemberStatus.TEMPORARY, Exclusion.TEMPORARY_HERE), (MemberStatus.TRANSFERRED_OUT, Exclusion.NOT_IN_CELL),
    (MemberStatus.DECEASED, Exclusion.NOT_IN_CELL), (MemberStatus.REMOVED, Exclusion.NOT_IN_CELL),
])
def test_a_member_not_of_this_cell_on_the_day_is_not_reviewed_here(status, reason):
    history = OFFICIAL + (StatusChange(status, dt.date(2026, 3, 1)),)
    assert review_scope(_facts(history=history)).exclusion is reason
    assert not reason.in_bieu_6f


def test_no_status_yet_on_the_review_date_is_not_in_the_cell():
    late = (StatusChange(MemberStatus.OFFICIAL, dt.date(2027, 1, 1)),)
    assert review_scope(_facts(history=late)).exclusion is Exclusion.NOT_IN_CELL


@pytest.mark.parametrize(("months", "noted"), [(Decimal("2.99"), False), (3, True), (7, True)])
def test_sick_three_months_or_more_is_a_note_not_a_ceiling(months, noted):
    scope = review_scope(_facts(sick_months=months))
    assert scope.reviewed and (ScopeNote.SICK in scope.notes) is noted and not scope.report().issues


def test_maternity_leave_is_a_note():
    assert review_scope(_facts(maternity_leave=True)).notes == (ScopeNote.MATERNITY,)


def test_temporary_elsewhere_is_rated_here_and_a_missing_comment_is_warned():
    missing = review_scope(_facts(temporary_elsewhere=True))
    assert missing.reviewed and missing.notes == (ScopeNote.TEMPORARY_COMMENT_MISSING,)
    assert [(i.field, i.is_error) for i in missing.report().issues] == [("review.temporary_comment", False)]
    recorded = review_scope(_facts(temporary_elsewhere=True, temporary_comment_recorded=True))
    assert recorded.notes == (ScopeNote.TEMPORARY_COMMENT,) and not recorded.report().issues


def test_working_elsewhere_needs_the_residence_comment():
    missing = review_scope(_facts(works_elsewhere=True))
    assert [i.field for i in missing.report().warnings] == ["review.residence_comment"]
    assert review_scope(_facts(works_elsewhere=True, residence_comment_recorded=True)).notes == (
        ScopeNote.RESIDENCE_COMMENT,)


def test_exclusions_are_counted_apart_for_bieu_6f():
    scopes = [ReviewScope(Exclusion.EXEMPT), ReviewScope(Exclusion.EXEMPT), ReviewScope(Exclusion.SUSPENDED),
              ReviewScope(), ReviewScope(None, (ScopeNote.SICK,))]
    counts = count_exclusions(scopes)
    assert counts[Exclusion.EXEMPT] == 2 and counts[Exclusion.SUSPENDED] == 1
    assert counts[Exclusion.NEWLY_ADMITTED] == 0 and set(counts) == set(Exclusion)
    assert [e for e in Exclusion if e.in_bieu_6f] == [Exclusion.EXEMPT, Exclusion.SUSPENDED,
                                                      Exclusion.NEWLY_ADMITTED]
    assert all(e.label for e in Exclusion) and all(n.label for n in ScopeNote)


# --- Criteria sheet and checks -------------------------------------------------------------------

from dataclasses import replace as _replace  # noqa: E402

from app.domain.review_checks import (  # noqa: E402
    RAISED_QUOTA_PERCENT,
    contradiction,
    quota,
    quota_report,
    two_years_running,
    vote_report,
)
from app.domain.review_criteria import (  # noqa: E402
    CriteriaGroup,
    CriteriaItem,
    CriteriaSheet,
    GroupKind,
    default_sheet,
    validate_sheet,
)


def test_the_default_sheet_follows_phu_luc_5_is_marked_and_adds_up():
    sheet = default_sheet()
    assert sheet.is_default and "Phụ lục 5" in sheet.name
    assert [len(g.items) for g in sheet.groups] == [2, 3]
    assert (sheet.group(GroupKind.GENERAL).total, sheet.group(GroupKind.TASKS).total) == (30, 70)
    assert not validate_sheet(sheet).issues


def test_a_group_off_by_half_a_point_is_refused_naming_the_group():
    sheet = default_sheet()
    general = sheet.group(GroupKind.GENERAL)
    items = (_replace(general.items[0], points=Decimal("19.5")), general.items[1])
    broken = _replace(sheet, groups=(CriteriaGroup(GroupKind.GENERAL, items), sheet.group(GroupKind.TASKS)))
    (issue,) = validate_sheet(broken).errors
    assert issue.field == "review.criteria_points"
    assert issue.message == "Nhóm tiêu chí chung: tổng điểm các tiêu chí là 29,5, phải đúng 30."


def test_an_item_without_title_or_points_is_named_by_its_number():
    bad = CriteriaSheet("x", (CriteriaGroup(GroupKind.GENERAL, (CriteriaItem(" ", Decimal(30)),)),
                             CriteriaGroup(GroupKind.TASKS, (CriteriaItem("A", Decimal(70)),
                                                             CriteriaItem("B", Decimal(0))))))
    messages = [str(i) for i in validate_sheet(bad).errors]
    assert messages == ["Tiêu chí: Nhóm tiêu chí chung, tiêu chí 1: chưa có nội dung.",
                        "Điểm tối đa của tiêu chí: Nhóm tiêu chí về kết quả thực hiện nhiệm vụ, tiêu chí 2 (B): "
                        "điểm phải lớn hơn 0, ghi đến hai chữ số thập phân; đang là 0."]


def test_each_group_once():
    only_general = CriteriaSheet("x", (default_sheet().group(GroupKind.GENERAL),))
    assert [i.field for i in validate_sheet(only_general).errors] == ["review.criteria_group"]
    empty = CriteriaSheet("x", (CriteriaGroup(GroupKind.GENERAL, ()), default_sheet().group(GroupKind.TASKS)))
    assert [i.field for i in validate_sheet(empty).errors] == ["review.criteria_item"]


@pytest.mark.parametrize(("good", "allowed"), [(0, 0), (4, 0), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3)])
def test_the_quota_is_twenty_percent_of_those_rated_good_rounded_down(good, allowed):
    assert quota([Grade.GOOD] * good).allowed == allowed


@pytest.mark.parametrize(("good", "allowed"), [(3, 0), (4, 1), (7, 1), (8, 2)])
def test_the_raised_quota_is_twenty_five_percent(good, allowed):
    assert quota([Grade.GOOD] * good, RAISED_QUOTA_PERCENT).allowed == allowed


def test_the_quota_warns_only_past_its_limit_and_counts_good_only():
    at = [Grade.EXCELLENT] + [Grade.GOOD] * 5 + [Grade.PASSED] * 10
    assert quota(at) == quota(at[:6]) and not quota_report(at).issues
    over = [Grade.EXCELLENT] + at
    (issue,) = quota_report(over).issues
    assert not issue.is_error and issue.field == "review.quota" and "tối đa 1" in issue.message
    assert quota(over).over == 1


def test_failed_two_years_running_is_warned():
    assert two_years_running(Grade.FAILED, Grade.FAILED).warnings
    assert not two_years_running(Grade.PASSED, Grade.FAILED).issues
    assert not two_years_running(None, Grade.FAILED).issues


def test_a_grade_against_the_computed_one_needs_a_reason():
    (issue,) = contradiction(Grade.GOOD, Grade.EXCELLENT, "", "review.proposed_grade").issues
    assert issue.field == "review.proposed_grade" and not issue.is_error
    assert not contradiction(Grade.GOOD, Grade.EXCELLENT, "thành tích đột xuất", "review.final_grade").issues
    assert not contradiction(Grade.GOOD, Grade.GOOD, "", "review.final_grade").issues
    assert not contradiction(Grade.GOOD, None, "", "review.final_grade").issues


def test_votes_that_do_not_add_up():
    assert not vote_report(10, {Grade.GOOD: 8, Grade.PASSED: 2}, members=12).issues
    assert not vote_report(10, {Grade.GOOD: 7}).issues  # some did not vote: allowed
    assert [i.field for i in vote_report(10, {Grade.GOOD: 8, Grade.PASSED: 3}).issues] == ["review.votes"]
    assert [i.field for i in vote_report(13, {}, members=12).issues] == ["review.voters"]
    assert [i.field for i in vote_report(5, {Grade.GOOD: -1}).issues] == ["review.votes"]
    assert all(not i.is_error for i in vote_report(-1, {Grade.GOOD: 3}).issues)


@given(st.integers(0, 60), st.integers(0, 60), st.sampled_from([Fraction(20), Fraction(25)]))
def test_the_quota_never_allows_more_than_its_share(good, excellent, percent):
    found = quota([Grade.GOOD] * good + [Grade.EXCELLENT] * excellent, percent)
    assert found.allowed * 100 <= percent * good < (found.allowed + 1) * 100


# --- typed values ---------------------------------------------------------------------------------

from app.domain.dates import Month  # noqa: E402
from app.domain.review import parse_score, plain_text, shown  # noqa: E402
from app.domain.review_tasks import suggest_tasks  # noqa: E402


@pytest.mark.parametrize(("typed", "number"), [
    ("12", Decimal(12)), (" 12,5 ", Decimal("12.5")), ("-0", Decimal(0)), (Decimal("-0.0"), Decimal(0)),
    (7, Decimal(7)), (12.5, Decimal("12.5")), ("nan", None), ("sNaN", None), ("Infinity", None), ("1e400", None),
    ("1E+2", None),
    ("1_0", None), ("٣", None), ("9" * 13, None), (Decimal("1E+400"), None), (Decimal("NaN"), None), (True, None),
    (None, None), ("", None), ("12,5,1", None),
])
def test_a_score_is_a_plain_number_as_people_write_it(typed, number):
    found = parse_score(typed)
    assert found == number and (found is None or not found.is_signed())


def test_scores_given_only_leave_the_missing_group_unchecked_and_name_the_fields_asked():
    assert validate_scores(None, "71", given_only=True).errors[0].field == "review.task_score"
    assert validate_scores(None, None, given_only=True).issues == []
    fields = ("review.cell_general", "review.cell_tasks")
    assert [i.field for i in validate_scores("31", "abc", fields=fields).errors] == list(fields)


def test_plain_text_drops_control_characters_and_keeps_paragraphs_when_asked():
    assert plain_text("To\u0302\u0301t\x00  lắm\x1b\n\nHai") == "Tốt lắm Hai"
    assert plain_text(" Một\r\n\n  Hai\x07 ", paragraphs=True) == "Một\n\nHai"
    assert shown("x" * 5000) == "x" * 40 + "…" and shown(12) == "12"


def test_a_cell_with_a_member_disciplined_is_not_excellent():
    result = compute_grade(95, BEST, GradeFacts(members_disciplined=True))
    assert result.grade is Grade.GOOD and result.unmet[Grade.EXCELLENT] == (Condition.MEMBER_DISCIPLINED,)
    assert "có đảng viên bị kỷ luật trong năm" in result.why()[0]


@pytest.mark.parametrize(("planned", "written", "due"), [
    (Month(2027, 1), "tháng 1", Month(2027, 1)), (Month(2027, 1), "tháng 12", Month(2026, 12)),
    (Month(2026, 12), "tháng 1", Month(2027, 1)), (Month(2026, 12), "tháng 6", Month(2027, 6)),
    (Month(2026, 12), "tháng 7", Month(2026, 7)), (Month(2026, 12), "tháng 3/2028", Month(2028, 3)),
    (Month(2026, 12), "tháng 13", Month(2026, 12)),
])
def test_a_month_written_without_its_year_is_the_nearest_to_the_month_planned(planned, written, due):
    (task,) = suggest_tasks(f"Nguyễn Văn An: trực bảo vệ ({written})", [(1, "Nguyễn Văn An")], planned)
    assert task.due_month == due


def test_the_proposal_must_carry_more_than_half_of_those_who_voted():
    from app.domain.review_checks import majority_report

    assert not majority_report(Grade.GOOD, {Grade.GOOD: 15, Grade.PASSED: 13}, 28).issues
    [issue] = majority_report(Grade.GOOD, {Grade.GOOD: 14, Grade.PASSED: 14}, 28).issues
    assert issue.field == "review.proposed_grade" and "14/28" in issue.message
    assert majority_report(Grade.EXCELLENT, {Grade.EXCELLENT: 5, Grade.GOOD: 23}, 28).issues
    assert not majority_report(Grade.GOOD, {}, None).issues  # no vote recorded yet: nothing to compare


def test_a_later_stage_before_an_earlier_one_is_warned():
    from app.domain.review_checks import stage_order_report

    fields = [i.field for i in stage_order_report(False, None, None, False, Grade.GOOD).issues]
    assert fields == ["review.final_grade"]
    fields = [i.field for i in stage_order_report(False, Grade.GOOD, Grade.GOOD, False, None).issues]
    assert fields == ["review.proposed_grade", "review.votes", "review.self_grade"]
    assert not stage_order_report(True, Grade.GOOD, Grade.GOOD, True, Grade.GOOD).issues
