"""The rules a member's history obeys: how it starts (admitted here, or transferred in on a day) and what a status
change may record (12 months of probation, the cell's vote, who can be expelled, nothing after death)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain.meetings import Meeting
from app.domain.members import (
    JoinedCell,
    Joining,
    Member,
    MemberStatus,
    StatusChange,
    current_status,
    initial_history,
    is_recognition,
    probation_end,
    status_change_missing,
    status_change_report,
    status_reason,
)
from app.services import meetings, members
from app.services.errors import ValidationFailed
from app.storage.models import Member as MemberRow
from tests.conftest import TODAY

P, OFF = MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL


def _probationary(ceremony: dt.date, admitted: dt.date | None = None) -> tuple[Member, list[StatusChange]]:
    member = Member(full_name="Trần Văn Ất", admission_date=admitted or ceremony - dt.timedelta(days=10),
                    ceremony_date=ceremony, status=P)
    return member, [StatusChange(P, ceremony, "Kết nạp vào Đảng", 1)]


def _report(member, history, new, day, vote=None):
    return status_change_report(member, history, new, effective_date=day, today=TODAY, vote_date=vote)


# --- the rules as plain functions -----------------------------------------------------------------

@pytest.mark.parametrize(("ceremony", "admitted", "end"), [
    (dt.date(2025, 11, 23), dt.date(2025, 11, 1), dt.date(2026, 11, 23)),  # R7: from the ceremony
    (None, dt.date(2025, 3, 4), dt.date(2026, 3, 4)),  # no ceremony kept: from the decision
    (dt.date(2024, 2, 29), dt.date(2024, 2, 1), dt.date(2025, 2, 28)),
])
def test_probation_ends_twelve_months_after_the_ceremony(ceremony, admitted, end):
    member = Member(full_name="A B", admission_date=admitted, ceremony_date=ceremony)
    assert probation_end(member, []) == end


def test_official_before_twelve_months_is_refused_with_the_day_it_becomes_possible():
    member, history = _probationary(dt.date(2026, 1, 10))
    [issue] = _report(member, history, OFF, dt.date(2026, 11, 20)).errors
    assert issue.field == "member.effective_date"
    assert issue.message == "chỉ được công nhận chính thức từ ngày 10/01/2027, đủ 12 tháng dự bị."


def test_official_on_the_day_the_twelve_months_end_is_allowed_and_later_is_a_warning():
    member, history = _probationary(dt.date(2025, 11, 10))
    assert _report(member, history, OFF, dt.date(2026, 11, 10), dt.date(2026, 11, 18)).issues == []
    [late] = _report(member, history, OFF, dt.date(2026, 11, 18), dt.date(2026, 11, 18)).issues
    assert not late.is_error and "10/11/2026" in late.message


def test_a_vote_before_the_end_of_probation_is_a_warning_and_one_to_come_is_refused():
    member, history = _probationary(dt.date(2025, 11, 10))
    [early] = _report(member, history, OFF, dt.date(2026, 11, 10), dt.date(2026, 11, 1)).issues
    assert early.field == "member.vote_date" and not early.is_error
    [future] = _report(member, history, OFF, dt.date(2026, 11, 10), TODAY + dt.timedelta(days=1)).errors
    assert future.field == "member.vote_date"


def test_official_membership_needs_the_vote_date_and_a_reason_is_then_optional():
    assert [(i.field, i.is_error) for i in status_change_missing(True, "", None).issues] == [("member.vote_date", True)]
    assert status_change_missing(True, "", dt.date(2026, 11, 18)).issues == []
    assert [i.field for i in status_change_missing(False, "", None).issues] == ["member.reason"]
    assert status_reason(True, "", dt.date(2026, 11, 5)) == (
        "Chi bộ biểu quyết ngày 05/11/2026; Công nhận đảng viên chính thức")
    assert status_reason(False, "Chuyển đi", None) == "Chuyển đi"


def test_a_probationary_member_cannot_be_expelled_even_while_exempt():
    member, history = _probationary(dt.date(2026, 1, 10))
    [issue] = _report(member, history, MemberStatus.EXPELLED, dt.date(2026, 6, 1)).errors
    assert issue.field == "member.status"
    assert "khiển trách hoặc cảnh cáo" in issue.message and "xóa tên" in issue.message
    history = [*history, StatusChange(MemberStatus.EXEMPT, dt.date(2026, 3, 1), "Ốm dài ngày", 2)]
    exempt = dataclasses.replace(member, status=MemberStatus.EXEMPT)
    assert _report(exempt, history, MemberStatus.EXPELLED, dt.date(2026, 6, 1)).errors
    assert _report(exempt, history, MemberStatus.REMOVED, dt.date(2026, 6, 1)).errors == []


def test_an_official_member_can_be_expelled_and_nothing_follows_death():
    member, history = _probationary(dt.date(2020, 1, 10))
    history = [*history, StatusChange(OFF, dt.date(2021, 1, 10), "Công nhận", 2)]
    official = dataclasses.replace(member, status=OFF)
    assert _report(official, history, MemberStatus.EXPELLED, dt.date(2026, 6, 1)).errors == []
    dead = dataclasses.replace(member, status=MemberStatus.DECEASED)
    history = [*history, StatusChange(MemberStatus.DECEASED, dt.date(2026, 2, 1), "Từ trần", 3)]
    for new in (MemberStatus.EXEMPT, MemberStatus.EXPELLED, OFF):
        assert "đã từ trần" in _report(dead, history, new, dt.date(2026, 6, 1)).errors[0].message


def test_coming_back_from_an_exemption_as_official_is_no_recognition():
    member, history = _probationary(dt.date(2020, 1, 10))
    history = [*history, StatusChange(OFF, dt.date(2021, 1, 10), "", 2),
               StatusChange(MemberStatus.EXEMPT, dt.date(2025, 1, 1), "", 3)]
    assert not is_recognition(history, OFF, dt.date(2026, 6, 1))
    assert is_recognition(history[:1], OFF, dt.date(2026, 6, 1))


def test_a_readmission_counts_its_probation_from_the_readmission():
    member, history = _probationary(dt.date(2010, 1, 10))
    history = [*history, StatusChange(MemberStatus.REMOVED, dt.date(2010, 6, 1), "Xóa tên", 2),
               StatusChange(P, dt.date(2026, 3, 1), "Kết nạp lại", 3)]
    assert probation_end(member, history) == dt.date(2027, 3, 1)


# --- on a real database ----------------------------------------------------------------------------

def _add(ceremony: dt.date, official: dt.date | None = None) -> int:
    member = Member(full_name="Trần Văn Ất", birth_date=dt.date(1990, 4, 5),
                    admission_date=ceremony - dt.timedelta(days=10), ceremony_date=ceremony, official_date=official)
    return members.add_member(member, today=TODAY).member.id


def test_change_status_refuses_an_early_official_membership_and_stores_nothing(cell_db):
    member_id = _add(dt.date(2025, 12, 1))
    with pytest.raises(ValidationFailed) as info:
        members.change_status(member_id, OFF, effective_date=dt.date(2026, 11, 20), vote_date=dt.date(2026, 11, 20),
                              today=TODAY)
    assert "chỉ được công nhận chính thức từ ngày 01/12/2026, đủ 12 tháng dự bị" in str(info.value)
    assert [c.status for c in members.status_history(member_id)] == [P]


def test_change_status_records_the_official_membership_with_the_vote_in_the_reason(cell_db):
    member_id = _add(dt.date(2025, 11, 10))
    with pytest.raises(ValidationFailed) as info:
        members.change_status(member_id, OFF, effective_date=dt.date(2026, 11, 10), today=TODAY)
    assert [i.field for i in info.value.issues] == ["member.vote_date"]
    change = members.change_status(member_id, OFF, effective_date=dt.date(2026, 11, 10),
                                   vote_date=dt.date(2026, 11, 18), today=TODAY)
    assert change.reason == "Chi bộ biểu quyết ngày 18/11/2026; Công nhận đảng viên chính thức"
    assert members.status_history(member_id)[-1].reason == change.reason
    assert members.get_member(member_id).status is OFF


def test_change_status_refuses_to_expel_a_probationary_member(cell_db):
    member_id = _add(dt.date(2026, 3, 1))
    with pytest.raises(ValidationFailed, match="không bị khai trừ"):
        members.change_status(member_id, MemberStatus.EXPELLED, effective_date=dt.date(2026, 10, 1),
                              reason="Vi phạm", today=TODAY)
    members.change_status(member_id, MemberStatus.REMOVED, effective_date=dt.date(2026, 10, 1),
                          reason="Không còn đủ tư cách", today=TODAY)
    assert members.get_member(member_id).status is MemberStatus.REMOVED


def test_check_status_change_tells_the_rules_without_writing(cell_db):
    member_id = _add(dt.date(2026, 1, 10))
    issues = members.check_status_change(member_id, OFF, effective_date=dt.date(2026, 11, 20), today=TODAY)
    assert [(i.field, i.is_error) for i in issues] == [("member.effective_date", True)]
    assert len(members.status_history(member_id)) == 1


def test_the_demo_cell_obeys_the_status_rules(db_path):
    from app.services import demo

    demo.build_demo(today=TODAY)
    for member_id, history in members.histories().items():
        member = members.get_member(member_id)
        for index in range(1, len(history)):
            before = history[:index]
            state = dataclasses.replace(member, status=current_status(before))
            change = history[index]
            report = status_change_report(state, before, change.status, effective_date=change.effective_date,
                                          today=TODAY)
            assert report.errors == [], (member.full_name, change, report.errors)


# --- how the history starts ------------------------------------------------------------------------

ARRIVED = dt.date(2026, 10, 1)
LETTER = Joining(JoinedCell.TRANSFERRED, "125-GGT/ĐU", ARRIVED)


def _hung(**overrides) -> Member:
    values = dict(full_name="Nguyễn Văn Hùng", birth_date=dt.date(1985, 6, 7), admission_date=dt.date(2014, 3, 1),
                  ceremony_date=dt.date(2014, 3, 20), official_date=dt.date(2015, 3, 20))
    return Member(**{**values, **overrides})


def test_a_transferred_member_starts_on_the_arrival_day_with_the_status_held_then():
    [start] = initial_history(_hung(), TODAY, LETTER)
    assert (start.status, start.effective_date) == (OFF, ARRIVED)
    assert start.reason == "Chuyển đến, giấy giới thiệu số 125-GGT/ĐU ngày 01/10/2026"
    recent = _hung(admission_date=dt.date(2026, 1, 5), ceremony_date=dt.date(2026, 1, 20), official_date=None)
    assert [(c.status, c.effective_date) for c in initial_history(recent, TODAY, LETTER)] == [(P, ARRIVED)]
    # Came as dự bị, recognised here later: both entries, each on its own day.
    later = dataclasses.replace(recent, official_date=dt.date(2026, 11, 20))
    assert [(c.status, c.effective_date) for c in initial_history(later, TODAY, LETTER)] == [
        (P, ARRIVED), (OFF, dt.date(2026, 11, 20))]


def test_admitted_here_starts_at_the_ceremony_as_before():
    assert [(c.status, c.effective_date) for c in initial_history(_hung(), TODAY, Joining())] == [
        (P, dt.date(2014, 3, 20)), (OFF, dt.date(2015, 3, 20))]


def test_a_transferred_member_is_on_the_rolls_from_the_arrival_day_only(cell_db):
    early = meetings.add_meeting(Meeting(date=dt.date(2026, 9, 5)))
    late = meetings.add_meeting(Meeting(date=dt.date(2026, 10, 5)))
    member = members.add_member(_hung(), joining=LETTER, today=TODAY).member
    assert member.id not in {m.id for m, _status in members.roster_on(dt.date(2026, 9, 5))}
    assert (member.id, OFF) in {(m.id, status) for m, status in members.roster_on(dt.date(2026, 10, 5))}
    assert member.id not in {a.member_id for a in meetings.attendees(early.id)}
    assert member.id in {a.member_id for a in meetings.attendees(late.id)}
    [start] = members.status_history(member.id)
    assert start.reason == "Chuyển đến, giấy giới thiệu số 125-GGT/ĐU ngày 01/10/2026"


@pytest.mark.parametrize(("member", "joining", "field", "text"), [
    (_hung(admission_date=None, ceremony_date=None, official_date=None), Joining(), "member.admission_date",
     "kết nạp tại chi bộ"),
    (_hung(), Joining(JoinedCell.TRANSFERRED, "125"), "member.transfer_date", "cần ghi ngày chuyển đến"),
    (_hung(), Joining(JoinedCell.TRANSFERRED, "", TODAY + dt.timedelta(days=1)), "member.transfer_date", "tương lai"),
    (_hung(), Joining(JoinedCell.TRANSFERRED, "", dt.date(2013, 1, 1)), "member.transfer_date", "sau ngày vào Đảng"),
])
def test_a_new_member_without_the_date_its_start_needs_is_refused(cell_db, member, joining, field, text):
    with pytest.raises(ValidationFailed) as info:
        members.add_member(member, joining=joining, today=TODAY)
    assert any(i.field == field and text in i.message for i in info.value.issues)
    assert MemberRow.select().count() == 0
