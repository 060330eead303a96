"""The Đảng phí page hears its changes on the hub: one payment redraws that member's row and the totals row,
never the whole grid; a roster or rule change reads the year again; a hidden page waits until it is shown."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QStackedWidget, QWidget  # noqa: E402

from app.domain.dates import Month  # noqa: E402
from app.domain.members import Sex  # noqa: E402
from app.services import fees  # noqa: E402
from app.services import members as member_service  # noqa: E402
from conftest_ui import add, qapp, ui_db  # noqa: E402,F401
from tests.conftest import TODAY  # noqa: E402
from tests.test_ui_fees import shown_page  # noqa: E402
from ui.fees.model import COL_OWED, FIRST_MONTH  # noqa: E402
from ui.fees.page import FeesPage  # noqa: E402
from ui.ops import run_op  # noqa: E402

NAMES = ("Trần Thị Lan", "Nguyễn Văn Hùng", "Lê Văn Hải", "Phạm Thị Mai", "Đỗ Văn Sơn")


@pytest.fixture
def members(ui_db):
    found = []
    for i, name in enumerate(NAMES):
        member = add(name, sex=Sex.FEMALE if "Thị" in name else Sex.MALE, birth_date=dt.date(1970 + i, 2, 1),
                     admission_date=dt.date(2000 + i, 5, 1), official_date=dt.date(2001 + i, 5, 20))
        fees.set_profile(member.id, "other", from_month=Month(2026, 1), region=1, today=TODAY)
        for month in range(1, 9):  # January … August paid: Enter on September pays September
            fees.pay_due(member.id, Month(2026, month), today=TODAY)
        found.append(member)
    return found


@pytest.fixture(autouse=True)
def no_error_box(monkeypatch):
    """A failure the runner would show in a modal box fails the test instead of waiting for a click."""
    def fail(_parent, text, title=None):
        raise AssertionError(text)
    monkeypatch.setattr("ui.ops.show_error", fail)


@pytest.fixture
def page(qtbot, members):
    return shown_page(qtbot, 1180, 690)


class Signals:
    """What the grid's model announced: resets, and the rows of every dataChanged."""

    def __init__(self, model):
        self.resets = 0
        self.rows: set[int] = set()
        model.modelReset.connect(self._reset)
        model.dataChanged.connect(lambda top, bottom, _roles=(): self.rows.update(range(top.row(), bottom.row() + 1)))

    def _reset(self) -> None:
        self.resets += 1


def press_enter_on(qtbot, page: FeesPage, member_id: int, month: int) -> None:
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(page.model.row_of(member_id), FIRST_MONTH + month - 1))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)


def test_one_payment_redraws_that_members_row_and_the_totals_only(qtbot, page, members):
    third = members[2]
    row = page.model.row_of(third.id)
    totals = page.model.totals_row
    assert page.model.data(page.model.index(totals, FIRST_MONTH + 8)) == "0/5"
    seen = Signals(page.model)
    press_enter_on(qtbot, page, third.id, 9)
    assert [p.month_from for p in fees.payments(third.id)][-1] == Month(2026, 9)
    assert seen.resets == 0
    assert seen.rows == {row, totals}
    # What was redrawn is right: the month paid, the member's debt, the month's tally.
    assert page.model.data(page.model.index(row, FIRST_MONTH + 8)) == "15.930"
    assert page.model.data(page.model.index(totals, FIRST_MONTH + 8)) == "1/5"
    assert page.model.data(page.model.index(row, COL_OWED)) == "31.860"  # October and November still owed
    november = next(r for r in page.book.month_rows() if r.month == Month(2026, 11))
    assert november.collected == sum(p.amount for p in fees.payments())  # Part II counts it, paid in November
    assert page.report_model.rowCount() == 5


def test_a_dialog_payment_and_a_cancellation_redraw_one_row_too(qtbot, page, members):
    first = members[0]
    seen = Signals(page.model)
    run_op(page, lambda: fees.record_payment(first.id, amount=31_860, month_from=Month(2026, 9),
                                             month_to=Month(2026, 10), today=TODAY))
    payment = fees.payments(first.id)[-1]
    run_op(page, lambda: fees.cancel_payment(payment.id, reason="Ghi nhầm"))
    assert seen.resets == 0 and seen.rows == {page.model.row_of(first.id), page.model.totals_row}
    assert page.model.data(page.model.index(page.model.totals_row, FIRST_MONTH + 8)) == "0/5"


def test_a_roster_change_or_a_remittance_reads_the_whole_year(qtbot, page, members):
    seen = Signals(page.model)
    member = members[1]
    renamed = dataclasses.replace(member_service.get_member(member.id), full_name="Nguyễn Văn Hùng Anh")
    run_op(page, lambda: member_service.update_member(member.id, renamed, reason="Sửa tên", today=TODAY))
    assert seen.resets == 1
    assert any("Nguyễn Văn Hùng Anh" in (page.model.headerData(r, Qt.Orientation.Vertical) or "")
               for r in range(len(page.model.members)))
    run_op(page, lambda: fees.add_remittance(Month(2026, 11), amount=10_000, paid_on=TODAY, today=TODAY))
    assert seen.resets == 2


def test_a_hidden_page_refreshes_when_it_is_shown_again(qtbot, members):
    holder = QWidget()
    qtbot.addWidget(holder)
    stack = QStackedWidget(holder)
    other, page = QWidget(), FeesPage(today=TODAY)
    stack.addWidget(other)
    stack.addWidget(page)
    stack.setCurrentWidget(page)
    holder.show()
    qtbot.waitExposed(holder)
    stack.setCurrentWidget(other)
    member = members[3]
    row = page.model.row_of(member.id)
    seen = Signals(page.model)
    run_op(holder, lambda: fees.pay_due(member.id, Month(2026, 9), today=TODAY))
    assert page.refresh_pending and seen.rows == set()
    stack.setCurrentWidget(page)
    assert not page.refresh_pending
    assert seen.resets == 0 and seen.rows == {row, page.model.totals_row}
    assert page.model.data(page.model.index(row, FIRST_MONTH + 8)) == "15.930"


def test_the_totals_row_cannot_be_paid_or_typed_into(qtbot, page, members):
    totals = page.model.index(page.model.totals_row, FIRST_MONTH + 8)
    assert not page.model.flags(totals) & Qt.ItemFlag.ItemIsEditable
    page.table.setFocus()
    page.table.setCurrentIndex(totals)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert "Hãy chọn một ô tháng" in page.message.text()
    assert page.model.headerData(page.model.totals_row, Qt.Orientation.Vertical) == "Cộng"
