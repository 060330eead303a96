"""The statistics forms a cell computes (Biểu 1, 2, 3, 6F, 7): each row typed right, and «cuối kỳ trước + tăng
− giảm = cuối kỳ» for any history and period."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli import main
from app.domain.member_events import EntryKind, EventKind, Scope
from app.domain.members import JoinedCell, Joining, Member, MemberStatus, Sex
from app.domain.report_period import Period
from app.domain.statistics import Event, MemberFacts, Step, compute, crossings, identity_holds
from app.services import member_events, statistics
from app.services import members as member_service
from app.services.errors import ServiceError, ValidationFailed
from tests.conftest import TODAY

D = dt.date
Y2026 = Period.parse("2026")


def facts(id_: int, *steps: Step, **kw) -> MemberFacts:
    return MemberFacts(id=id_, name=f"Đảng viên {id_}", steps=tuple(steps), **kw)


def test_each_increase_and_decrease_is_counted_on_its_row():
    people = [
        facts(1, Step(MemberStatus.PROBATIONARY, D(2026, 3, 1), EntryKind.ADMITTED)),
        facts(2, Step(MemberStatus.OFFICIAL, D(2026, 4, 1), EntryKind.TRANSFERRED_IN, Scope.OTHER_PROVINCE)),
        facts(3, Step(MemberStatus.OFFICIAL, D(2026, 4, 2), EntryKind.TRANSFERRED_IN, Scope.IN_PROVINCE)),
        facts(4, Step(MemberStatus.OFFICIAL, D(2026, 5, 1), EntryKind.RESTORED)),
        facts(5, Step(MemberStatus.PROBATIONARY, D(2026, 6, 1), EntryKind.READMITTED)),
        facts(6, Step(MemberStatus.OFFICIAL, D(2000, 1, 1), EntryKind.ADMITTED),
              Step(MemberStatus.DECEASED, D(2026, 2, 1))),
        facts(7, Step(MemberStatus.OFFICIAL, D(2000, 1, 1)), Step(MemberStatus.EXPELLED, D(2026, 2, 1))),
        facts(8, Step(MemberStatus.PROBATIONARY, D(2025, 12, 1)), Step(MemberStatus.REMOVED, D(2026, 7, 1))),
        facts(9, Step(MemberStatus.OFFICIAL, D(2000, 1, 1)), Step(MemberStatus.REMOVED, D(2026, 7, 1))),
        facts(10, Step(MemberStatus.OFFICIAL, D(2000, 1, 1)), Step(MemberStatus.RESIGNED, D(2026, 8, 1))),
        facts(11, Step(MemberStatus.OFFICIAL, D(2000, 1, 1)),
              Step(MemberStatus.TRANSFERRED_OUT, D(2026, 9, 1), scope=Scope.OTHER_PROVINCE)),
        facts(12, Step(MemberStatus.OFFICIAL, D(2000, 1, 1)), Step(MemberStatus.TRANSFERRED_OUT, D(2026, 9, 2))),
        facts(13, Step(MemberStatus.OFFICIAL, D(2026, 10, 1))),  # came in, kind never given
        facts(14, Step(MemberStatus.TEMPORARY, D(2026, 10, 1))),  # temporary here: not counted
    ]
    form = compute("1", people, Y2026)
    got = {r.code: r.current for r in form.rows}
    assert got["A"] == 7 and got["D"] == 6
    assert (got["B1"], got["B1a"], got["B2"], got["B2a"], got["B2b"], got["B3"], got["B9"]) == (2, 1, 2, 1, 1, 1, 1)
    assert got["B"] == 6
    assert (got["C1"], got["C2"], got["C3"], got["C3a"], got["C4"], got["C5"], got["C5a"], got["C5b"]) == (
        1, 1, 2, 1, 1, 2, 1, 0)
    assert got["C"] == 7 and identity_holds(form)
    assert any("Đảng viên 13" in w for w in form.warnings)


def test_the_first_dự_bị_on_the_admission_date_is_an_admission_even_without_a_kind():
    person = facts(1, Step(MemberStatus.PROBATIONARY, D(2026, 5, 5)), admission_date=D(2026, 5, 5))
    assert [c.row for c in crossings([person], D(2026, 1, 1), D(2026, 12, 31))] == ["B1"]


def test_a_change_between_counted_statuses_is_no_crossing_and_previous_year_is_its_own_column():
    person = facts(1, Step(MemberStatus.PROBATIONARY, D(2025, 3, 1), EntryKind.ADMITTED),
                   Step(MemberStatus.OFFICIAL, D(2026, 3, 1)), Step(MemberStatus.EXEMPT, D(2026, 6, 1)))
    form = compute("1", [person], Y2026)
    assert form.value("B") == 0 and form.value("A") == 1 and form.value("D") == 1
    assert form.value("B1", "previous") == 1 and form.value("A", "previous") == 0


_statuses = st.sampled_from(list(MemberStatus))
_days = st.dates(min_value=D(2023, 1, 1), max_value=D(2027, 12, 31))
_step = st.builds(Step, _statuses, _days, st.sampled_from(["", *EntryKind]), st.sampled_from(["", *Scope]))
_member = st.lists(_step, max_size=6).map(lambda steps: tuple(sorted(steps, key=lambda s: s.date)))
_periods = st.one_of(
    st.integers(2024, 2027).map(lambda y: Period.parse(str(y))),
    st.tuples(st.integers(2024, 2027), st.integers(1, 4)).map(lambda t: Period.parse(f"{t[0]}-Q{t[1]}")),
    st.tuples(st.integers(2024, 2027), st.integers(1, 12)).map(lambda t: Period.parse(f"{t[0]}-{t[1]:02d}")),
)


@settings(derandomize=True, max_examples=150)
@given(st.lists(_member, max_size=12), _periods)
def test_start_plus_increases_minus_decreases_is_the_end_for_any_history(histories, period):
    people = [facts(i, *steps) for i, steps in enumerate(histories)]
    form = compute("1", people, period)
    assert identity_holds(form)
    rows = {r.code: r for r in form.rows}
    for column in ("current", "previous"):
        value = lambda code, column=column: getattr(rows[code], column)  # noqa: E731
        assert value("B") == value("B1") + value("B2") + value("B3") + value("B9")
        assert value("C") == sum(value(c) for c in ("C1", "C2", "C3", "C4", "C5", "C9"))
        assert value("B2") == value("B2a") + value("B2b") + sum(
            1 for c in crossings(people, *_bounds(period, column)) if c.row == "B2")


def _bounds(period: Period, column: str) -> tuple[dt.date, dt.date]:
    p = period if column == "current" else period.year_before()
    return p.first_day, p.last_day


def test_biểu_3_counts_the_membership_on_the_last_day_by_its_breakdowns():
    people = [
        facts(1, Step(MemberStatus.OFFICIAL, D(1970, 1, 1)), sex=Sex.FEMALE, birth_date=D(1950, 6, 1),
              ethnicity="Tày", religion="Phật giáo", occupation="nghi-huu", education="thpt", theory="so-cap",
              admission_date=D(1970, 1, 1)),
        facts(2, Step(MemberStatus.PROBATIONARY, D(2026, 2, 1), EntryKind.ADMITTED), birth_date=D(2000, 1, 1),
              ethnicity="Kinh", religion="Không", youth_union=True, occupation="chu-dntn",
              admission_date=D(2026, 2, 1)),
        facts(3, Step(MemberStatus.OFFICIAL, D(1970, 1, 1)), Step(MemberStatus.EXEMPT, D(2020, 1, 1)),
              occupation="nghi-huu", admission_date=D(1953, 1, 1)),
        facts(4, Step(MemberStatus.OFFICIAL, D(1990, 1, 1)), Step(MemberStatus.DECEASED, D(2026, 3, 1))),
    ]
    form = compute("3", people, Y2026)
    v = {r.code: r.current for r in form.rows}
    assert (v["T"], v["T1"], v["T2"], v["T3"], v["T4"], v["T5"], v["T6"]) == (3, 1, 1, 1, 1, 1, 1)
    assert v["O:nghi-huu"] == 2 and v["O:nghi-huu:mien"] == 1 and v["O:chu-dntn"] == 1
    assert v["AGE:18-30"] == 1 and v["AGE:61+"] == 1 and v["AGE:?"] == 1
    assert v["AGE:mean"] == round((26 + 76) / 2)
    assert (v["K:1945-1954"], v["K:1954-1975"], v["K:tu-1975"]) == (1, 1, 1)
    assert v["E:thpt"] == 1 and v["E:?"] == 2 and v["L:so-cap"] == 1
    assert any("chưa rõ" in w for w in form.warnings)


def test_biểu_2_profiles_the_admitted_at_their_admission_and_biểu_7_counts_the_events():
    people = [
        facts(1, Step(MemberStatus.PROBATIONARY, D(2026, 5, 1), EntryKind.ADMITTED), birth_date=D(1996, 5, 2),
              sex=Sex.FEMALE, ethnicity="Mường", youth_union=True, occupation="nong-lam-ngu",
              events=(Event(EventKind.CARD, D(2026, 6, 1), "cap_moi"),)),
        facts(2, Step(MemberStatus.OFFICIAL, D(1990, 1, 1)),
              events=(Event(EventKind.BADGE, D(2026, 2, 3), "30"), Event(EventKind.BADGE, D(2025, 2, 3), "30"),
                      Event(EventKind.TEMPORARY_OUT, D(2026, 3, 1)), Event(EventKind.REWARD, D(2026, 9, 2), "co"))),
    ]
    two = {r.code: r.current for r in compute("2", people, Y2026).rows}
    assert (two["T"], two["T1"], two["T2"], two["T5"], two["O:nong-lam-ngu"], two["AGE:18-30"]) == (1, 1, 1, 1, 1, 1)
    seven = compute("7", people, Y2026)
    assert seven.value("H:30") == 1 and seven.value("H:30", "previous") == 1
    assert seven.value("TD:cap_moi") == 1 and seven.value("CS:tt-di") == 1 and seven.value("R:co") == 1


@pytest.fixture
def roster(cell_db):
    admitted = member_service.add_member(Member(full_name="Nguyễn Văn An", sex=Sex.MALE, birth_date=D(1990, 1, 1),
                                                admission_date=D(2026, 3, 10)), today=TODAY).member
    arrived = member_service.add_member(
        Member(full_name="Trần Thị Bình", sex=Sex.FEMALE, birth_date=D(1980, 1, 1), admission_date=D(2005, 1, 1),
               official_date=D(2006, 1, 1)),
        joining=Joining(JoinedCell.TRANSFERRED, "12-GGT", D(2026, 4, 1)), today=TODAY).member
    old = member_service.add_member(Member(full_name="Lê Văn Cường", birth_date=D(1950, 1, 1),
                                           admission_date=D(1975, 1, 1), official_date=D(1976, 1, 1)),
                                    today=TODAY).member
    return admitted, arrived, old


def test_the_service_counts_the_file_and_typed_changes_feed_the_rows(roster):
    admitted, arrived, old = roster
    member_service.change_status(old.id, MemberStatus.TRANSFERRED_OUT, effective_date=D(2026, 8, 1),
                                 reason="Chuyển về Hà Nội", scope="tinh_khac", today=TODAY)
    form = statistics.forms(Y2026, ("1",))[0]
    assert (form.value("A"), form.value("B1"), form.value("B2"), form.value("C5a"), form.value("D")) == (1, 1, 1, 1, 2)
    assert identity_holds(form)


def test_a_kind_is_refused_where_it_does_not_fit_and_classifying_is_once_only(roster):
    admitted, arrived, old = roster
    with pytest.raises(ValidationFailed, match="chỉ ghi hình thức"):
        member_service.change_status(old.id, MemberStatus.DECEASED, effective_date=D(2026, 8, 1), kind="ket_nap",
                                     today=TODAY)
    with pytest.raises(ValidationFailed, match="nơi chuyển"):
        member_service.change_status(old.id, MemberStatus.DECEASED, effective_date=D(2026, 8, 1),
                                     scope="tinh_khac", today=TODAY)
    assert member_service.status_history(old.id)[-1].status is MemberStatus.OFFICIAL
    first = member_service.status_history(arrived.id)[0]
    assert first.kind == "chuyen_den" and first.scope == ""
    with pytest.raises(ServiceError, match="đã được ghi hình thức"):
        member_service.classify_status_change(arrived.id, first.id, "ket_nap")
    # A transfer recorded without its scope may be given it, once.
    assert member_service.classify_status_change(arrived.id, first.id, "chuyen_den", "tinh_khac").scope == "tinh_khac"
    with pytest.raises(ServiceError, match="đã được ghi hình thức"):
        member_service.classify_status_change(arrived.id, first.id, "chuyen_den", "trong_tinh")


def test_a_status_row_can_be_classified_once_and_the_file_refuses_any_other_edit(roster, db_path):
    from app.storage.models import StatusChange, database

    _admitted, _arrived, old = roster
    member_service.change_status(old.id, MemberStatus.TRANSFERRED_OUT, effective_date=D(2026, 2, 1), reason="Đi",
                                 today=TODAY)
    back = member_service.change_status(old.id, MemberStatus.OFFICIAL, effective_date=D(2026, 6, 1), reason="Về",
                                        today=TODAY)
    assert statistics.forms(Y2026, ("1",))[0].value("B9") == 1
    gone = member_service.status_history(old.id)[-2]
    with pytest.raises(ValidationFailed, match="chỉ ghi hình thức"):
        member_service.classify_status_change(old.id, gone.id, "chuyen_den")
    changed = member_service.classify_status_change(old.id, back.id, "chuyen_den", "tinh_khac")
    assert (changed.kind, changed.scope) == ("chuyen_den", "tinh_khac")
    assert statistics.forms(Y2026, ("1",))[0].value("B2a") == 1
    with pytest.raises(Exception, match="append-only"):
        StatusChange.update(reason="sửa tay").where(StatusChange.id == back.id).execute()
    with pytest.raises(Exception, match="append-only"):
        StatusChange.update(kind="ket_nap").where(StatusChange.id == back.id).execute()
    assert database.execute_sql("SELECT kind FROM status_change WHERE id = ?", (back.id,)).fetchone()[0] == (
        "chuyen_den")


def test_events_are_checked_cancelled_with_a_reason_and_never_deleted(roster):
    from app.storage.statistics_models import MemberEvent

    _admitted, _arrived, old = roster
    badge = member_events.add_event(old.id, "huy_hieu", D(2025, 2, 3), "50", "15-QĐ/TU", today=TODAY)
    with pytest.raises(ValidationFailed, match="đã có Huy hiệu 50"):
        member_events.add_event(old.id, "huy_hieu", D(2025, 5, 19), "50", today=TODAY)
    with pytest.raises(ValidationFailed, match="không hợp"):
        member_events.add_event(old.id, "the_dang", D(2025, 5, 19), "mat", today=TODAY)
    with pytest.raises(ValidationFailed, match="tương lai"):
        member_events.add_event(old.id, "khen_thuong", D(2027, 1, 1), "co", today=TODAY)
    with pytest.raises(ServiceError, match="lý do"):
        member_events.cancel_event(badge.id, "")
    cancelled = member_events.cancel_event(badge.id, "Ghi nhầm người")
    assert cancelled.cancelled and member_events.events(old.id) == []
    with pytest.raises(Exception, match="never deleted"):
        MemberEvent.delete().execute()


def test_cli_statistics_prints_json_and_refuses_a_bad_period(roster, db_path, capsys):
    assert main(["--db", str(db_path), "statistics", "--period", "2026", "--form", "1", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"code": "B1"' in out and '"form": "1"' in out
    assert main(["--db", str(db_path), "statistics", "--period", "2026-Q5"]) == 1
    assert "2026-Q3" in capsys.readouterr().err
    assert main(["--db", str(db_path), "statistics", "--period", "2026", "-o", str(db_path.with_suffix(".doc"))]) == 1
    assert ".pdf" in capsys.readouterr().err


def test_cli_members_event_and_classify(roster, db_path, capsys):
    _admitted, _arrived, old = roster
    assert main(["--db", str(db_path), "members", "event", "add", str(old.id), "--kind", "huy-hieu",
                 "--date", "03/02/2025", "--detail", "50", "--json"]) == 0
    assert '"detail": "50"' in capsys.readouterr().out
    assert main(["--db", str(db_path), "members", "event", "list", "--json"]) == 0
    assert "Huy hiệu 50 năm tuổi Đảng" in capsys.readouterr().out
    assert main(["--db", str(db_path), "members", "status", str(old.id), "chuyen_di", "--date", "01/09/2026",
                 "--reason", "Về Huế", "--scope", "tinh-khac"]) == 0
    assert member_service.status_history(old.id)[-1].scope == "tinh_khac"
