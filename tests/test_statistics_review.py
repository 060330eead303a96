"""A secretary's session with the statistics and the member events: each figure checked by hand, and the
cases that were counted wrong or refused badly."""
from __future__ import annotations

import datetime as dt

import pytest

from app.cli import main
from app.domain import stat_codes
from app.domain.member_events import EntryKind, Scope
from app.domain.members import JoinedCell, Joining, Member, MemberStatus, Sex
from app.domain.report_period import Period
from app.domain.statistics import MemberFacts, Step, compute, identity_holds
from app.services import member_events, statistics
from app.services import members as member_service
from app.services.errors import ServiceError, ValidationFailed
from tests.conftest import TODAY

D = dt.date


def facts(id_: int, *steps: Step, **kw) -> MemberFacts:
    return MemberFacts(id=id_, name=f"Đảng viên {id_}", steps=tuple(steps), **kw)


def test_a_temporary_member_arriving_is_no_official_transfer_in_nor_a_decrease():
    # Recorded as it can only be: transferred in, then «sinh hoạt tạm thời» the same day.
    here = facts(1, Step(MemberStatus.OFFICIAL, D(2026, 5, 1), EntryKind.TRANSFERRED_IN),
                 Step(MemberStatus.TEMPORARY, D(2026, 5, 1)))
    year = Period.parse("2026")
    form_1, form_7 = compute("1", [here], year), compute("7", [here], year)
    assert (form_1.value("B"), form_1.value("B2"), form_1.value("C"), form_1.value("C9")) == (0, 0, 0, 0)
    assert form_7.value("CS:ct-den") == 0 and form_7.value("CS:tt-den") == 1 and form_7.value("CS") == 1
    assert identity_holds(form_1)


def test_several_changes_on_one_day_count_as_their_net_effect_in_the_order_recorded():
    corrected = facts(1, Step(MemberStatus.OFFICIAL, D(2000, 1, 1), EntryKind.ADMITTED),
                      Step(MemberStatus.TRANSFERRED_OUT, D(2026, 4, 15), scope=Scope.IN_PROVINCE),
                      Step(MemberStatus.OFFICIAL, D(2026, 4, 15)))  # a mistake undone the same day
    admitted_exempt = facts(2, Step(MemberStatus.PROBATIONARY, D(2026, 4, 15), EntryKind.ADMITTED),
                            Step(MemberStatus.EXEMPT, D(2026, 4, 15)))
    removed = facts(3, Step(MemberStatus.PROBATIONARY, D(2025, 12, 1), EntryKind.ADMITTED),
                    Step(MemberStatus.OFFICIAL, D(2026, 4, 15)), Step(MemberStatus.REMOVED, D(2026, 4, 15)))
    form = compute("1", [corrected, admitted_exempt, removed], Period.parse("2026-04"))
    assert (form.value("A"), form.value("B"), form.value("B1"), form.value("B9")) == (2, 1, 1, 0)
    assert (form.value("C"), form.value("C3"), form.value("C5"), form.value("D")) == (1, 1, 0, 2)
    assert identity_holds(form)


def test_the_first_year_of_the_range_has_an_empty_previous_column_instead_of_an_error():
    member = facts(1, Step(MemberStatus.PROBATIONARY, D(1930, 2, 3), EntryKind.ADMITTED))
    for text in ("1930", "1930-Q1", "1930-02"):
        form = compute("1", [member], Period.parse(text))
        assert form.value("B1") == 1 and form.value("B1", "previous") == 0 and identity_holds(form)


def test_a_demobilised_soldier_is_not_counted_in_the_armed_forces():
    assert stat_codes.classify(stat_codes.OCCUPATION_GROUPS, "bộ đội xuất ngũ") != "vu-trang"
    assert stat_codes.classify(stat_codes.OCCUPATION_GROUPS, "quân nhân phục viên") != "vu-trang"
    assert stat_codes.classify(stat_codes.OCCUPATION_GROUPS, "bộ đội") == "vu-trang"


@pytest.fixture
def cell(cell_db):
    young = member_service.add_member(
        Member(full_name="Nguyễn Thị Hoa", sex=Sex.FEMALE, birth_date=D(2000, 1, 1), admission_date=D(2026, 3, 1),
               ceremony_date=D(2026, 3, 15)), today=TODAY).member
    old = member_service.add_member(
        Member(full_name="Lê Văn Cường", birth_date=D(1950, 1, 1), admission_date=D(1975, 11, 8),
               official_date=D(1976, 11, 8)), today=TODAY).member
    return young, old


def test_an_event_before_the_birth_date_is_refused(cell):
    young, _old = cell
    with pytest.raises(ValidationFailed, match="trước ngày sinh"):
        member_events.add_event(young.id, "khen_thuong", D(1999, 1, 1), "giay_khen", today=TODAY)


def test_a_card_goes_to_official_members_only(cell):
    young, old = cell
    with pytest.raises(ValidationFailed, match="chính thức"):
        member_events.add_event(young.id, "the_dang", D(2026, 4, 1), "cap_moi", today=TODAY)
    assert member_events.add_event(old.id, "the_dang", D(2026, 4, 1), "doi", today=TODAY).detail == "doi"


def test_no_event_after_the_member_left_but_a_posthumous_badge(cell):
    _young, old = cell
    member_service.change_status(old.id, MemberStatus.DECEASED, effective_date=D(2026, 8, 10), reason="Từ trần",
                                 today=TODAY)
    with pytest.raises(ValidationFailed, match="không còn"):
        member_events.add_event(old.id, "khen_thuong", D(2026, 9, 1), "giay_khen", today=TODAY)
    assert member_events.add_event(old.id, "huy_hieu", D(2026, 9, 2), "50", today=TODAY).detail == "50"


def test_a_member_transferred_in_can_be_given_the_scope(cell):
    arrived = member_service.add_member(
        Member(full_name="Trần Văn Tỉnh", birth_date=D(1975, 10, 10), admission_date=D(2000, 5, 19),
               official_date=D(2001, 5, 19)), joining=Joining(JoinedCell.TRANSFERRED, "", D(2026, 4, 1)),
        today=TODAY).member
    first = member_service.status_history(arrived.id)[0]
    member_service.classify_status_change(arrived.id, first.id, "chuyen_den", "tinh_khac")
    assert statistics.forms(Period.parse("2026"), ("1",))[0].value("B2a") == 1
    with pytest.raises(ServiceError, match="đã được ghi hình thức"):  # the scope too is given once
        member_service.classify_status_change(arrived.id, first.id, "chuyen_den", "trong_tinh")


def test_a_member_added_as_transferred_in_carries_the_scope_given(cell):
    arrived = member_service.add_member(
        Member(full_name="Hà Thị Trong", birth_date=D(1980, 1, 1), admission_date=D(2004, 5, 19),
               official_date=D(2005, 5, 19)),
        joining=Joining(JoinedCell.TRANSFERRED, "12-GGT", D(2026, 4, 1), "trong_tinh"), today=TODAY).member
    assert member_service.status_history(arrived.id)[0].scope == "trong_tinh"
    assert statistics.forms(Period.parse("2026"), ("1",))[0].value("B2b") == 1


def test_cli_event_says_an_early_badge_is_early(cell, db_path, capsys):
    _young, old = cell  # admitted 08/11/1975: 50 years on 08/11/2025
    assert main(["--db", str(db_path), "members", "event", "add", str(old.id), "--kind", "huy_hieu",
                 "--date", "02/09/2025", "--detail", "50"]) == 0
    captured = capsys.readouterr()
    assert "trao sớm" in captured.err and "Huy hiệu 50 năm tuổi Đảng ngày 02/09/2025" in captured.out


def _accept(period: str) -> None:
    from app.services import period_lock
    from app.storage.models import database

    with database.atomic():
        assert period_lock.record_acceptance(period, "ab" * 32, D(2026, 7, 10), "Đảng ủy xã An Phú")


def test_an_accepted_quarter_keeps_its_figures_against_backdated_changes_and_new_members(cell):
    from app.services import period_lock
    from app.services.errors import ServiceError

    _young, old = cell
    before = statistics.forms(Period.parse("2026-Q2"), ("1",))[0]
    _accept("2026-Q2")
    with pytest.raises(ServiceError, match="quý II năm 2026"):
        member_service.change_status(old.id, MemberStatus.DECEASED, effective_date=D(2026, 3, 10), reason="Từ trần",
                                     today=TODAY)
    with pytest.raises(ServiceError, match="quý II năm 2026"):
        member_service.add_member(Member(full_name="Người Mới", birth_date=D(1990, 1, 1),
                                         admission_date=D(2026, 5, 1)), today=TODAY)
    after = statistics.forms(Period.parse("2026-Q2"), ("1",))[0]
    assert [r.current for r in after.rows] == [r.current for r in before.rows]
    member_service.change_status(old.id, MemberStatus.DECEASED, effective_date=D(2026, 7, 2), reason="Từ trần",
                                 today=TODAY)
    assert period_lock.reopen("2026-q2", "Bổ sung đảng viên") == 1
    member_service.add_member(Member(full_name="Người Mới", birth_date=D(1990, 1, 1),
                                     admission_date=D(2026, 5, 1)), today=TODAY)
