"""R4 as properties: whatever the roll, the counts add up, and the stored roll gives the counts a model predicts."""
from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.cell import CellInfo
from app.domain.meetings import (
    Attendee,
    Mark,
    Meeting,
    Standing,
    count_attendance,
    expected_at,
    register_code,
)
from app.domain.members import Member, MemberStatus
from app.services import cell as cell_service
from app.services import meetings as svc
from app.services import members as member_service
from app.services.errors import ValidationFailed
from app.storage import db as storage
from app.storage.meeting_models import Attendance

from tests.conftest import TODAY

_attendees = st.lists(
    st.builds(
        lambda i, standing, official, mark, reason: Attendee(
            i, f"Đảng viên {i}", f"{i:04d}", standing,
            official and standing is not Standing.PROBATIONARY or standing is Standing.OFFICIAL, mark, reason),
        st.integers(1, 10_000), st.sampled_from(list(Standing)), st.booleans(), st.sampled_from(list(Mark)),
        st.sampled_from(["", "Ốm", "Đi công tác xa"])),
    max_size=60, unique_by=lambda a: a.member_id,
)


@given(_attendees)
def test_the_counts_always_add_up(roll):
    c = count_attendance(roll)
    assert c.total == c.official + c.probationary
    assert c.present + c.excused + c.absent + c.exempt_absent + c.unmarked == c.total
    if c.complete:
        assert c.present + c.excused + c.absent + c.exempt_absent == c.total
    assert c.present_official + c.present_probationary == c.present
    assert c.temporary == sum(a.standing is Standing.TEMPORARY for a in roll)
    assert c.total + c.temporary == len(roll)
    assert c.exempt_absent <= c.exempt
    assert len(c.excused_names) == c.excused and len(c.absent_names) == c.absent
    assert 0 <= c.present <= c.rate_base
    if c.rate_percent is not None:
        assert 0 <= c.rate_percent <= 100


@given(_attendees)
def test_the_register_letters_count_as_the_minutes_do(roll):
    """One counting rule (R4): a register column's C's are the minutes' có mặt, its letters of members
    expected (C, P, K, or blank while unmarked) are the rate's base, so present ≤ required always."""
    c = count_attendance(roll)
    codes = [register_code(a) for a in roll]
    assert codes.count("C") == c.present
    assert sum(code in ("C", "P", "K", "") for code in codes) == c.rate_base == sum(expected_at(a) for a in roll)
    assert codes.count("P") == c.excused and codes.count("K") == c.absent and codes.count("") == c.unmarked
    assert codes.count("M") == c.exempt_absent and codes.count("T") == c.temporary


# Each scenario member: what the roster says on the meeting day, and the mark the secretary tries to give.
_KINDS = ("official", "probationary", "exempt", "temporary", "left", "not_yet")
_scenario = st.lists(st.tuples(st.sampled_from(_KINDS), st.sampled_from(list(Mark))), min_size=1, max_size=10)
_counter = itertools.count()
MEETING_DAY = dt.date(2026, 5, 7)


def _member(kind: str, index: int) -> int:
    admitted = dt.date(2026, 6, 1) if kind == "not_yet" else dt.date(2010, 1, 1)
    official = None if kind in ("probationary", "not_yet") else dt.date(2011, 1, 1)
    member = Member(full_name=f"Nguyễn Văn Thứ {index}", admission_date=admitted, official_date=official)
    member_id = member_service.add_member(member, today=TODAY).member.id
    later = {"exempt": MemberStatus.EXEMPT, "temporary": MemberStatus.TEMPORARY, "left": MemberStatus.TRANSFERRED_OUT}
    if kind in later:
        member_service.change_status(member_id, later[kind], effective_date=dt.date(2026, 1, 1),
                                     reason="Theo quyết định", today=TODAY)
    return member_id


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_scenario)
def test_the_stored_roll_gives_the_counts_a_model_predicts(tmp_path: Path, scenario):
    storage.open_database(tmp_path / f"p{next(_counter)}.sqlite")
    try:
        cell_service.save_cell(CellInfo(name="Chi bộ thôn Đông", superior_name="Đảng bộ xã Hòa Bình"), today=TODAY)
        ids = [_member(kind, i) for i, (kind, _mark) in enumerate(scenario)]
        meeting = svc.add_meeting(Meeting(date=MEETING_DAY))
        for member_id, (kind, mark) in zip(ids, scenario):
            if kind in ("left", "not_yet"):
                before = Attendance.select().count()
                try:
                    svc.set_attendance(meeting.id, member_id, mark)
                    raise AssertionError("a member outside the cell was marked")
                except ValidationFailed:
                    assert Attendance.select().count() == before
            else:
                svc.set_attendance(meeting.id, member_id, mark, reason="Ốm")
        _check_model(svc.counts(meeting.id), scenario)
    finally:
        storage.close_database()


def _check_model(c, scenario) -> None:
    inside = [(k, m) for k, m in scenario if k in ("official", "probationary", "exempt")]
    expected_present = [(k, m) for k, m in inside if m is Mark.PRESENT]
    assert c.total == len(inside)
    assert c.probationary == sum(k == "probationary" for k, _m in inside)
    assert c.present == len(expected_present)
    assert c.exempt_absent == sum(k == "exempt" and m is not Mark.PRESENT for k, m in inside)
    assert c.excused == sum(k != "exempt" and m is Mark.EXCUSED for k, m in inside)
    assert c.absent == sum(k != "exempt" and m is Mark.ABSENT for k, m in inside)
    assert c.temporary == sum(k == "temporary" for k, _m in scenario)
    assert c.present + c.excused + c.absent + c.exempt_absent + c.unmarked == c.total == c.official + c.probationary
