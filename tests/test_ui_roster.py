"""The Đảng viên page driven with clicks and keys; each test checks what the database holds afterwards."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402

from app.domain.members import MemberStatus, Sex  # noqa: E402
from app.services import members  # noqa: E402
from conftest_ui import add, qapp, run_modals, type_text, ui_db  # noqa: E402,F401
from ui.roster.history_dialog import HistoryDialog  # noqa: E402
from ui.roster.member_dialog import MemberDialog  # noqa: E402
from ui.roster.model import COL_BIRTH, COL_NAME, RowRole  # noqa: E402
from ui.roster.page import RosterPage  # noqa: E402
from ui.roster.status_dialog import StatusDialog  # noqa: E402


@pytest.fixture
def page(qtbot, ui_db):
    widget = RosterPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def shown_names(page: RosterPage) -> list[str]:
    return [page.proxy.index(r, COL_NAME).data() for r in range(page.proxy.rowCount())]


def click_save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def type_into(qtbot, widget, text: str) -> None:
    widget.clear()
    type_text(qtbot, widget, text)


def test_add_member_through_the_dialog(qtbot, page):
    def fill(dialog):
        assert isinstance(dialog, MemberDialog)
        for name, text in (("full_name", "Đặng Văn Đông"), ("birth_date", "05/02/1980"),
                           ("admission_date", "10/03/2010"), ("official_date", "10/03/2011"),
                           ("card_number", "12345678")):
            type_into(qtbot, dialog.widgets[name], text)
        dialog.widgets["sex"].setCurrentIndex(dialog.widgets["sex"].findText(Sex.MALE.label))
        click_save(qtbot, dialog)
        assert not dialog.isVisible()

    run_modals(qtbot, lambda: qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton), fill)

    [entry] = members.list_members()
    saved = entry.member
    assert (saved.full_name, saved.birth_date, saved.admission_date, saved.official_date, saved.card_number) == (
        "Đặng Văn Đông", dt.date(1980, 2, 5), dt.date(2010, 3, 10), dt.date(2011, 3, 10), "12345678")
    assert saved.sex is Sex.MALE and saved.status is MemberStatus.OFFICIAL
    assert shown_names(page) == ["Đặng Văn Đông"]
    assert page.selected_member().id == saved.id


def test_search_as_you_type_without_diacritics(qtbot, page):
    add("Đặng Văn Đông", card_number="12345678")
    add("Đặng Thị Đào")
    add("Nguyễn Văn Dũng")
    page.reload()
    assert len(shown_names(page)) == 3
    qtbot.keyClicks(page.search, "dang van dong")
    assert shown_names(page) == ["Đặng Văn Đông"]
    page.search.clear()
    qtbot.keyClicks(page.search, "1234")
    assert shown_names(page) == ["Đặng Văn Đông"]
    page.search.clear()
    assert len(shown_names(page)) == 3


def test_status_filter_hides_a_member_who_moved_away(qtbot, page):
    staying = add("Lê Văn Sơn", admission_date=dt.date(2000, 1, 1))
    leaving = add("Trần Thị Hà", admission_date=dt.date(2001, 1, 1))
    members.change_status(leaving.id, MemberStatus.TRANSFERRED_OUT, effective_date=dt.date(2024, 5, 1),
                          reason="chuyển về phường")
    page.reload()
    assert shown_names(page) == [staying.full_name]
    page.status_filter.setCurrentIndex(page.status_filter.findText("Tất cả"))
    assert sorted(shown_names(page)) == sorted([staying.full_name, leaving.full_name])
    page.status_filter.setCurrentIndex(page.status_filter.findText(MemberStatus.TRANSFERRED_OUT.label))
    assert shown_names(page) == [leaving.full_name]


def test_a_filter_never_moves_the_selection_to_another_member(qtbot, page):
    add("Đặng Văn Đông")
    other = add("Nguyễn Văn An")
    page.reload()
    page.select_member(other.id)
    qtbot.keyClicks(page.search, "dong")
    assert page.selected_member() is None
    assert not page.edit_button.isEnabled()
    page.search.clear()
    page.select_member(other.id)
    qtbot.keyClicks(page.search, "an")
    assert page.selected_member().id == other.id


def test_edit_with_enter_key_changes_the_database(qtbot, page):
    member = add("Phạm Văn Bình", occupation="nông dân")
    add("Lê Thị Ánh")
    page.reload()
    page.select_member(member.id)

    def edit(dialog):
        assert dialog.widgets["full_name"].text() == "Phạm Văn Bình"
        type_into(qtbot, dialog.widgets["occupation"], "giáo viên")
        type_into(qtbot, dialog.reason, "sửa theo lý lịch")
        click_save(qtbot, dialog)

    run_modals(qtbot, lambda: qtbot.keyClick(page.table, Qt.Key.Key_Return), edit)
    assert members.get_member(member.id).occupation == "giáo viên"
    assert page.selected_member().id == member.id
    row = page.proxy.row_of(member.id)
    assert page.proxy.index(row, COL_NAME).data(RowRole).occupation == "giáo viên"


def test_double_click_opens_the_record(qtbot, page):
    member = add("Phạm Văn Bình")
    page.reload()
    rect = page.table.visualRect(page.proxy.index(page.proxy.row_of(member.id), COL_NAME))

    def double_click():
        # QTest's double-click event alone has no press before it; a real double-click does.
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    opened = run_modals(qtbot, double_click, lambda dialog: dialog.reject())
    assert isinstance(opened[0], MemberDialog) and opened[0].member_id == member.id


def test_a_bad_date_is_named_and_nothing_is_stored(qtbot, ui_db):
    dialog = MemberDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.widgets["full_name"], "Đặng Văn Đông")
    qtbot.keyClicks(dialog.widgets["birth_date"], "31/02/1980")
    click_save(qtbot, dialog)
    assert dialog.isVisible()
    error = dialog._field_errors["member.birth_date"]
    assert error.isVisible() and "Ngày sinh" in error.text() and "31/02/1980" in error.text()
    assert members.list_members(include_archived=True) == []


def test_service_validation_shows_next_to_the_field(qtbot, ui_db):
    dialog = MemberDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.widgets["full_name"], "Đặng Văn Đông")
    qtbot.keyClicks(dialog.widgets["official_date"], "10/03/2011")
    click_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog._field_errors["member.admission_date"].isVisible()
    assert members.list_members(include_archived=True) == []


def test_warnings_are_shown_after_saving(qtbot, page):
    texts = []

    def fill(dialog):
        type_into(qtbot, dialog.widgets["full_name"], "Đông")  # one word: a warning, not an error
        type_into(qtbot, dialog.widgets["birth_date"], "05/02/1980")
        type_into(qtbot, dialog.widgets["admission_date"], "10/03/2010")
        click_save(qtbot, dialog)

    def read_note(box):
        texts.append(box.text())
        box.accept()

    run_modals(qtbot, page.add_member, fill, read_note)
    assert [e.member.full_name for e in members.list_members()] == ["Đông"]
    assert "ít nhất hai chữ" in texts[0]


def test_archive_keeps_the_record_and_restore_brings_it_back(qtbot, page):
    member = add("Hoàng Văn Khải")
    page.reload()
    page.select_member(member.id)

    def archive(dialog):
        assert any("không bị xóa" in label.text() for label in dialog.findChildren(QLabel))
        type_into(qtbot, dialog.reason, "nhập trùng")
        click_save(qtbot, dialog)

    run_modals(qtbot, lambda: qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton), archive)
    assert shown_names(page) == []
    assert members.list_members() == []
    [kept] = members.list_members(include_archived=True)
    assert kept.member.id == member.id and kept.member.archived
    assert members.member_history(member.id)[-1]["reason"] == "nhập trùng"

    page.show_archived.setChecked(True)
    assert shown_names(page) == [member.full_name]
    page.select_member(member.id)
    assert page.archive_button.text() == "Khôi phục"
    run_modals(qtbot, page.archive_or_restore, lambda dialog: click_save(qtbot, dialog))
    assert not members.get_member(member.id).archived


def test_status_dialog_records_the_change(qtbot, ui_db):
    member = add("Lê Văn Sơn", admission_date=dt.date(2000, 1, 1), official_date=dt.date(2001, 1, 1))
    dialog = StatusDialog(member)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.status.setCurrentIndex(dialog.status.findData(MemberStatus.TRANSFERRED_OUT))
    type_into(qtbot, dialog.date, "01/05/2024")
    click_save(qtbot, dialog)
    assert dialog.isVisible() and dialog._field_errors["member.reason"].isVisible()  # the reason is required
    type_text(qtbot, dialog.reason, "chuyển sinh hoạt về phường Tân Mai")
    click_save(qtbot, dialog)
    assert not dialog.isVisible()
    last = members.status_history(member.id)[-1]
    assert (last.status, last.effective_date, last.reason) == (
        MemberStatus.TRANSFERRED_OUT, dt.date(2024, 5, 1), "chuyển sinh hoạt về phường Tân Mai")


def test_history_dialog_lists_status_and_changes(qtbot, ui_db):
    member = add("Lê Văn Sơn", occupation="nông dân", admission_date=dt.date(2000, 1, 1))
    changed = members.get_member(member.id)
    changed.occupation = "giáo viên"
    members.update_member(member.id, changed, "sửa theo lý lịch")
    dialog = HistoryDialog(members.get_member(member.id))
    qtbot.addWidget(dialog)
    statuses = dialog.status_table
    assert statuses.rowCount() == 1 and statuses.item(0, 1).text() == MemberStatus.PROBATIONARY.label
    changes = dialog.changes_table
    rows = [[changes.item(r, c).text() for c in range(changes.columnCount())] for r in range(changes.rowCount())]
    assert rows[0][1] == "Tạo hồ sơ"
    assert rows[-1][1:] == ["Sửa hồ sơ", "Nghề nghiệp: nông dân → giáo viên", "sửa theo lý lịch"]


def test_columns_sort_by_the_domain_keys(qtbot, page):
    for name, born in (("Phạm Văn Bình", 1970), ("Nguyễn Văn Ất", 1990), ("Trần Văn An", 1980),
                       ("Lê Thị Ánh", 1960)):
        add(name, birth_date=dt.date(born, 1, 1))
    page.reload()
    assert [n.split()[-1] for n in shown_names(page)] == ["An", "Ánh", "Ất", "Bình"]
    page.table.sortByColumn(COL_BIRTH, Qt.SortOrder.DescendingOrder)
    assert [page.proxy.index(r, COL_BIRTH).data()[-4:] for r in range(4)] == ["1990", "1980", "1970", "1960"]


def test_the_occupation_typed_suggests_the_statistics_group_until_one_is_chosen(qtbot, ui_db):
    dialog = MemberDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    group = dialog.widgets["occupation_group"]
    type_text(qtbot, dialog.widgets["occupation"], "Hưu trí")
    assert group.currentData() == "nghi-huu"
    dialog.widgets["occupation"].clear()
    type_text(qtbot, dialog.widgets["occupation"], "Giáo viên")
    assert group.currentData() == "vien-chuc"
    group.setCurrentIndex(group.findData("khac"))
    group.activated.emit(group.currentIndex())
    type_text(qtbot, dialog.widgets["occupation"], " nông dân")
    assert group.currentData() == "khac"
    assert dialog.widgets["education"].completer().model().rowCount() == 3
