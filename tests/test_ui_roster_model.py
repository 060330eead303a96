"""RosterModel and its filter proxy: Qt's model contract, the domain's search rule, on 300 and 10,000 rows."""
from __future__ import annotations

import datetime as dt
import os
import random

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QTableView  # noqa: E402

from app.domain import names  # noqa: E402
from app.domain.members import ACTIVE_STATUSES, Member, MemberStatus, Sex  # noqa: E402
from app.services.members import RosterEntry, search_text_of  # noqa: E402
from conftest_ui import add, qapp, ui_db  # noqa: E402,F401
from ui.roster.model import COL_BIRTH, COL_NAME, RosterFilterProxy, RosterModel, RowRole, SearchRole, SortRole  # noqa: E402

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Âu")
_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Thị Ngọc", "Quốc")
_GIVEN = ("Đông", "Hùng", "Lan", "Ánh", "Sơn", "Ước", "Ẩn", "Minh", "Ất", "An", "Anh", "Dũng")


def synthetic_entries(count: int, seed: int = 1) -> list[RosterEntry]:
    rng = random.Random(seed)
    entries = []
    for i in range(count):
        member = Member(
            full_name=f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}",
            sex=rng.choice(list(Sex)), birth_date=dt.date(1940 + rng.randrange(60), rng.randrange(1, 13), 1),
            card_number=str(10_000_000 + i), id=i + 1, status=rng.choice(list(MemberStatus)),
            archived=rng.random() < 0.05,
        )
        entries.append(RosterEntry(member, names.sort_key(member.full_name), search_text_of(member)))
    return entries


@pytest.fixture
def model(qapp):
    model = RosterModel()
    model.set_entries(synthetic_entries(300))
    return model


def test_roster_model_passes_qt_model_checks(qtmodeltester, ui_db):
    add("Đặng Văn Đông", birth_date=dt.date(1980, 2, 5))
    add("Lê Thị Ánh")
    model = RosterModel()
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    model.reload(include_archived=True)
    qtmodeltester.check(model)


def test_proxy_passes_qt_model_checks_while_filtering_and_sorting(qtmodeltester, model):
    proxy = RosterFilterProxy(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_query("dang")
    proxy.set_statuses(ACTIVE_STATUSES)
    proxy.sort(COL_BIRTH, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy, force_py=True)
    qtmodeltester.check(model, force_py=True)


def test_roles_carry_the_domain_keys(model):
    index = model.index(0, COL_NAME)
    entry = model.entries[0]
    assert index.data(RowRole) is entry.member
    assert index.data(SortRole) == entry.sort_key
    assert index.data(SearchRole) == names.search_haystack(entry.search_text)
    birth = model.index(0, COL_BIRTH)
    assert birth.data(SortRole) == entry.member.birth_date.isoformat()
    assert birth.data() == entry.member.birth_date.strftime("%d/%m/%Y")


def test_rows_are_in_vietnamese_name_order(model):
    keys = [model.index(r, COL_NAME).data(SortRole) for r in range(model.rowCount())]
    assert keys == sorted(keys)
    assert keys == [names.sort_key(model.index(r, COL_NAME).data()) for r in range(model.rowCount())]


# The proxy repeats the domain's search rule in a fast loop of its own; these queries hold it to the rule:
# "an" must not find Lan, "ng" not Hùng, "uoc" not Quốc.


def shown_ids(proxy) -> set[int]:
    return {proxy.index(r, 0).data(RowRole).id for r in range(proxy.rowCount())}


@pytest.mark.parametrize("query", [
    "", "dang", "ĐẶNG", "dang van", "van dang", "thi ngoc anh", "1000001", "ất", "zzz", "th",
    "an", "ng", "uoc",
])
def test_filter_agrees_with_the_domain_search_rule(model, query):
    proxy = RosterFilterProxy(model)
    proxy.set_query(query)
    expected = {e.member.id for e in model.entries if names.matches(query, e.search_text)}
    assert shown_ids(proxy) == expected


def test_filter_matches_word_beginnings_only(model):
    proxy = RosterFilterProxy(model)
    proxy.set_query("an")
    given = {names.given_name(proxy.index(r, 0).data(RowRole).full_name) for r in range(proxy.rowCount())}
    # No family or middle name of the sample begins with "an"; Lan only contains it.
    assert given == {"An", "Anh", "Ánh", "Ẩn"}


def test_status_filter_and_search_combine(model):
    proxy = RosterFilterProxy(model)
    proxy.set_statuses({MemberStatus.TRANSFERRED_OUT})
    proxy.set_query("dang")
    shown = [proxy.index(r, 0).data(RowRole) for r in range(proxy.rowCount())]
    assert shown and all(m.status is MemberStatus.TRANSFERRED_OUT and "dang" in names.fold(m.full_name)
                         for m in shown)
    proxy.set_statuses(None)
    proxy.set_query("")
    assert proxy.rowCount() == model.rowCount()


def test_refiltering_ten_thousand_rows_keystroke_by_keystroke_shows_the_right_rows(qtbot, qapp):
    """Typing, backspacing to an empty box and a query matching nobody, on a shown and sorted view.

    How fast this is lives in bench/bench_roster.py (refilter median and worst); a test asserting on
    elapsed time would fail on a slow or busy machine rather than on a broken filter.
    """
    model = RosterModel()
    model.set_entries(synthetic_entries(10_000))
    proxy = RosterFilterProxy(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.resize(1200, 800)
    view.show()
    qapp.processEvents()
    for query in ["d", "da", "dan", "dang", "dang v", "dang va", "dang van", "dang va", "dang", "d", "", "zzz", ""]:
        proxy.set_query(query)
        qapp.processEvents()
        expected = {e.member.id for e in model.entries if names.matches(query, e.search_text)}
        assert shown_ids(proxy) == expected, query
        assert view.model().rowCount() == len(expected)
    assert proxy.rowCount() == 10_000
