"""The đối chiếu dialog: the differences in a table, a tick for each value that can be taken, one write."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import openpyxl  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402

from app.domain.members import Member  # noqa: E402
from app.services import members  # noqa: E402
from conftest_ui import qapp  # noqa: E402,F401
from tests.conftest import TODAY  # noqa: E402
from ui import ops  # noqa: E402
from ui.roster.reconcile_dialog import COL_FIELD, COL_MEMBER, COL_OURS, COL_THEIRS, ReconcileDialog  # noqa: E402

HEADERS = ["STT", "Họ và tên", "Số thẻ", "Số CCCD", "Ngày sinh", "Ngày kết nạp", "Trạng thái"]


def add(name: str, **values) -> Member:
    return members.add_member(Member(full_name=name, **values), today=TODAY).member


@pytest.fixture
def their_list(cell_db, qapp, tmp_path):  # noqa: F811
    an = add("Nguyễn Văn An", birth_date=dt.date(1980, 1, 2), admission_date=dt.date(2010, 3, 4),
             card_number="11112222", citizen_id="001080001234")
    binh = add("Lê Thị Bình", birth_date=dt.date(1975, 5, 6))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append([1, "Nguyễn Văn An", "11112223", "001080001234", "02/01/1980", "05/03/2010", "Chính thức"])
    sheet.append([2, "Trần Văn Mới", "", "", "01/01/1990", "", ""])
    path = tmp_path / "cap-tren.xlsx"
    book.save(path)
    return path, an, binh


def open_dialog(qtbot, path) -> ReconcileDialog:
    dialog = ReconcileDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.general_error.isVisible(), timeout=10_000)
    return dialog


def rows(dialog: ReconcileDialog) -> list[tuple[str, str, bool]]:
    table = dialog.table
    return [(table.item(r, COL_MEMBER).text(), table.item(r, COL_FIELD).text(),
             bool(table.item(r, COL_FIELD).flags() & Qt.ItemFlag.ItemIsUserCheckable)) for r in range(table.rowCount())]


def test_the_dialog_lists_every_difference_with_a_tick_only_where_a_value_can_be_taken(qtbot, their_list):
    path, an, binh = their_list
    dialog = open_dialog(qtbot, path)
    assert dialog.summary.text() == dialog.report.summary()
    assert dialog.ok_button.text() == "Lấy giá trị của cấp trên cho các ô đã chọn"
    assert rows(dialog) == [
        ("Nguyễn Văn An", "Số thẻ đảng viên", True),
        ("Nguyễn Văn An", "Ngày vào Đảng (quyết định kết nạp)", True),
        ("Nguyễn Văn An", "Tình trạng", False),  # a status change needs its date and reason
        ("", "", False),  # Trần Văn Mới: missing here
        ("Lê Thị Bình", "", False),  # missing there
    ]
    assert (dialog.table.item(0, COL_OURS).text(), dialog.table.item(0, COL_THEIRS).text()) == ("11112222", "11112223")
    assert "Trần Văn Mới" in dialog.table.item(3, COL_THEIRS).text()


def test_applying_a_ticked_value_changes_that_field_only_and_tells_the_pages(qtbot, their_list):
    path, an, _binh = their_list
    dialog = open_dialog(qtbot, path)
    heard = []
    ops.hub().changed.connect(lambda changes, source: heard.append(changes))
    dialog.check(0)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.general_error.text()
    saved = members.get_member(an.id)
    assert saved.card_number == "11112223" and saved.admission_date == dt.date(2010, 3, 4)
    assert [s.id for s in dialog.saved] == [an.id]
    assert heard and an.id in heard[-1].members
    assert members.member_history(an.id)[-1]["reason"] == "Đối chiếu với danh sách của cấp trên"


def test_nothing_ticked_changes_nothing_and_says_so(qtbot, their_list):
    path, an, _binh = their_list
    dialog = open_dialog(qtbot, path)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Chưa chọn ô nào" in dialog.general_error.text()
    assert members.get_member(an.id).card_number == "11112222"


def test_the_roster_page_has_the_action(qtbot, their_list):
    from ui.roster.page import RosterPage

    page = RosterPage()
    qtbot.addWidget(page)
    assert page.reconcile_button.text() == "Đối chiếu với danh sách cấp trên…"
