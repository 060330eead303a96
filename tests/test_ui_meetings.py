"""The Sinh hoạt page driven by keys and clicks; each test checks what the database holds afterwards."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from app.domain.meetings import Mark, Meeting, MeetingKind  # noqa: E402
from app.domain.members import Member  # noqa: E402
from app.services import documents  # noqa: E402
from app.services import meetings as svc  # noqa: E402
from app.services import members as member_service  # noqa: E402
from app.storage.meeting_models import Attendance  # noqa: E402
from app.storage.meeting_models import Meeting as MeetingRow  # noqa: E402
from conftest import needs_qtpdf  # noqa: E402
from conftest_ui import qapp, run_modals, type_text, ui_db  # noqa: E402,F401
from ui.meetings.attendance import AttendanceModel  # noqa: E402
from ui.meetings.list_model import MeetingListModel  # noqa: E402
from ui.meetings.page import MeetingsPage  # noqa: E402

TODAY = dt.date(2026, 11, 23)
MEETING_DAY = dt.date(2026, 11, 5)
_GIVEN = "An Bình Cúc Dũng Đào Giang Hà Hương Khánh Lâm Mai Nam Oanh Phúc Quân Sơn Tâm Uyên Vân Xuân".split()


def _members(count: int) -> list[int]:
    ids = []
    for i in range(count):
        name = f"{('Nguyễn Văn', 'Trần Thị', 'Lê Đức', 'Phạm Ngọc')[i % 4]} {_GIVEN[i % len(_GIVEN)]} {'' if i < 20 else 'Hai'}"
        member = Member(full_name=name.strip(), admission_date=dt.date(2000, 1, 1) + dt.timedelta(days=i),
                        official_date=dt.date(2001, 1, 1) + dt.timedelta(days=i))
        ids.append(member_service.add_member(member, today=TODAY).member.id)
    return ids


def _page(qtbot) -> MeetingsPage:
    page = MeetingsPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    # Focus moves (list → reason box → list) only happen in the active window.
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    return page


@pytest.fixture
def cell_with_meeting(ui_db):
    ids = _members(6)
    meeting = svc.add_meeting(Meeting(date=MEETING_DAY, start=dt.time(19, 30), end=dt.time(21, 15),
                                      place="Nhà văn hóa thôn"))
    return ids, meeting


def _roll_order(page: MeetingsPage) -> list[int]:
    return [a.member_id for a in page.roll.model.attendees]


def _stored() -> dict[int, tuple[str, str]]:
    return {row.member_id: (row.mark, row.reason) for row in Attendance.select()}


def test_the_roll_is_taken_with_the_keyboard(qtbot, cell_with_meeting):
    _ids, meeting = cell_with_meeting
    page = _page(qtbot)
    order = _roll_order(page)
    view = page.roll.view
    view.setFocus()
    view.select_row(0)
    qtbot.keyClick(view, Qt.Key.Key_C)
    qtbot.keyClick(view, Qt.Key.Key_1)
    qtbot.keyClick(view, Qt.Key.Key_P)
    assert page.roll.reason.hasFocus()
    type_text(qtbot, page.roll.reason, "Ốm nằm viện")
    qtbot.keyClick(page.roll.reason, Qt.Key.Key_Return)
    assert view.hasFocus() and view.current_row() == 3
    qtbot.keyClick(view, Qt.Key.Key_K)
    qtbot.keyClick(view, Qt.Key.Key_2)
    qtbot.keyClick(page.roll.reason, Qt.Key.Key_Return)  # no reason given: move on all the same
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert _stored() == {
        order[0]: ("present", ""), order[1]: ("present", ""), order[2]: ("excused", "Ốm nằm viện"),
        order[3]: ("absent", ""), order[4]: ("excused", ""), order[5]: ("absent", ""),
    }
    counts = svc.counts(meeting.id)
    assert (counts.present, counts.excused, counts.absent, counts.unmarked) == (2, 2, 2, 0)
    assert "Có mặt 2" in page.roll.counts_label.text() and "Vắng không lý do 2" in page.roll.counts_label.text()
    assert page.model.data(page.model.index(0, 3)) == "2/6"


def test_going_back_up_corrects_a_mark_and_delete_clears_it(qtbot, cell_with_meeting):
    page = _page(qtbot)
    order = _roll_order(page)
    view = page.roll.view
    view.setFocus()
    view.select_row(0)
    qtbot.keyClick(view, Qt.Key.Key_K)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_C)
    assert _stored() == {order[0]: ("present", "")}
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert _stored() == {}


def test_forty_names_are_ticked_with_one_key_each(qtbot, ui_db):
    # How long the forty keys take is measured by bench/bench_roll_call.py, not asserted here.
    _members(40)
    meeting = svc.add_meeting(Meeting(date=MEETING_DAY))
    page = _page(qtbot)
    order = _roll_order(page)
    view = page.roll.view
    view.setFocus()
    view.select_row(0)
    for i in range(40):
        qtbot.keyClick(view, Qt.Key.Key_K if i == 7 else Qt.Key.Key_C)
    counts = svc.counts(meeting.id)
    assert (counts.total, counts.present, counts.absent, counts.unmarked) == (40, 39, 1, 0)
    assert _stored() == {member: ("absent" if i == 7 else "present", "") for i, member in enumerate(order)}
    assert view.current_row() == 39


def test_the_rest_present_button_and_the_warnings_panel(qtbot, cell_with_meeting):
    _ids, meeting = cell_with_meeting
    page = _page(qtbot)
    texts = lambda: [page.warnings.item(i).text() for i in range(page.warnings.count())]  # noqa: E731
    assert any("Còn 6 đồng chí chưa điểm danh" in t for t in texts())
    qtbot.mouseClick(page.roll.rest_button, Qt.MouseButton.LeftButton)
    assert svc.counts(meeting.id).present == 6
    qtbot.waitUntil(lambda: not any("chưa điểm danh" in t for t in texts()))
    assert not page.roll.rest_button.isEnabled()


def test_a_new_meeting_through_the_dialog(qtbot, ui_db):
    _members(3)
    page = _page(qtbot)

    def bad_then_good(dialog):
        dialog.kind.setCurrentIndex(list(MeetingKind).index(MeetingKind.COMBINED))
        dialog.date.setText("05/12/2026")
        dialog.start.setText("20:00")
        dialog.end.setText("19:00")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and MeetingRow.select().count() == 0
        assert "phải sau giờ bắt đầu" in dialog._field_errors["meeting.end"].text()
        dialog.end.setText("22:00")
        type_text(qtbot, dialog.place, "Hội trường thôn")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()

    run_modals(qtbot, lambda: qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton), bad_then_good)
    [meeting] = svc.meetings_in(2026)
    assert (meeting.kind, meeting.date, meeting.start, meeting.end, meeting.place) == (
        MeetingKind.COMBINED, dt.date(2026, 12, 5), dt.time(20, 0), dt.time(22, 0), "Hội trường thôn")
    # The roll is where the keyboard goes next (the window gets focus back when the dialog closes).
    assert page.current_meeting_id() == meeting.id and page.focusWidget() is page.roll.view


def test_the_info_tab_saves_chair_times_and_refuses_a_bad_end(qtbot, cell_with_meeting):
    ids, meeting = cell_with_meeting
    page = _page(qtbot)
    info = page.info
    page.tabs.setCurrentWidget(info)
    chair_name = member_service.get_member(ids[2]).full_name
    info.chair.setCurrentIndex(info.chair.findText(chair_name))
    info.end.setText("19:00")
    qtbot.mouseClick(info.save_button, Qt.MouseButton.LeftButton)
    assert info.errors.isVisible() and "Giờ kết thúc" in info.errors.text()
    assert svc.get_meeting(meeting.id).chair_id is None and svc.get_meeting(meeting.id).end == dt.time(21, 15)
    info.end.setText("21:30")
    info.posted.setChecked(True)
    qtbot.mouseClick(info.save_button, Qt.MouseButton.LeftButton)
    saved = svc.get_meeting(meeting.id)
    assert (saved.chair_id, saved.end, saved.posted_to_handbook) == (ids[2], dt.time(21, 30), True)


def test_the_content_tab_saves_texts_and_votes(qtbot, cell_with_meeting):
    _ids, meeting = cell_with_meeting
    page = _page(qtbot)
    content = page.content
    page.tabs.setCurrentWidget(content)
    content.texts["assessment"].setPlainText("Chi bộ hoàn thành tốt nhiệm vụ.\nNhân dân đồng thuận.")
    content.votes["votes_for"].setValue(5)
    content.votes["votes_against"].setValue(0)
    qtbot.mouseClick(content.save_button, Qt.MouseButton.LeftButton)
    saved = svc.get_meeting(meeting.id)
    assert saved.assessment == "Chi bộ hoàn thành tốt nhiệm vụ.\nNhân dân đồng thuận."
    assert (saved.votes_for, saved.votes_against, saved.votes_other) == (5, 0, None)


@needs_qtpdf
def test_preview_gives_no_number_and_saving_gives_one(qtbot, cell_with_meeting, tmp_path):
    _ids, meeting = cell_with_meeting
    page = _page(qtbot)
    page.preview_meeting("minutes")
    assert page.preview.document.pageCount() >= 1
    assert documents.number_of(documents.MINUTES, meeting.id) is None

    # Nothing is typed yet: the window names the sections that will print as dotted lines, and asks.
    assert "còn trống: Chương trình" in page.preview.caption.text()
    asked, saved = [], []
    run_modals(qtbot, lambda: saved.append(page.save_current(tmp_path / "khong")),
               lambda box: (asked.append(box.text()), box.button(QMessageBox.StandardButton.No).click()))
    assert saved == [None] and not (tmp_path / "khong.pdf").exists()
    assert "Chương trình" in asked[0] and "Tự đánh giá chất lượng kỳ sinh hoạt" in asked[0]
    assert documents.number_of(documents.MINUTES, meeting.id) is None
    saved = []
    run_modals(qtbot, lambda: saved.append(page.save_current(tmp_path / "bien-ban")),
               lambda box: box.button(QMessageBox.StandardButton.Yes).click(),
               lambda box: box.button(QMessageBox.StandardButton.Ok).click())
    assert saved[0] == tmp_path / "bien-ban.pdf" and saved[0].exists()
    assert documents.number_of(documents.MINUTES, meeting.id) == 1
    page.preview_register()
    assert page.preview.document.pageCount() >= 1


def _typed_meeting(day: dt.date) -> int:
    """A meeting with every section the minutes need typed, so printing asks nothing about them."""
    values = {name: f"Nội dung {name} đã ghi." for name in
              ("agenda", "assessment", "next_tasks", "assignments", "discussion", "self_assessment", "conclusions")}
    return svc.add_meeting(Meeting(date=day, start=dt.time(19, 30), end=dt.time(21, 15), **values)).id


def _button(box, text: str):
    return next(b for b in box.buttons() if b.text().startswith(text))


@needs_qtpdf
def test_an_old_meeting_with_no_number_left_in_date_order_is_asked_about(qtbot, cell_with_meeting, tmp_path):
    _ids, november = cell_with_meeting
    october = _typed_meeting(dt.date(2026, 10, 5))
    svc.update_meeting(november.id, {name: "Đã ghi." for name in (
        "agenda", "assessment", "next_tasks", "assignments", "discussion", "self_assessment", "conclusions")})
    documents.issue_number(documents.MINUTES, november.id, MEETING_DAY)  # November printed first: 01
    page = _page(qtbot)
    page.open_meeting(october)
    page.preview_meeting("minutes")
    asked, saved = [], []
    run_modals(qtbot, lambda: saved.append(page.save_current(tmp_path / "huy")),
               lambda box: (asked.append(box.text()), _button(box, "Hủy").click()))
    assert saved == [None] and documents.number_of(documents.MINUTES, october) is None
    assert "05/10/2026" in asked[0] and "Số 01-BB/CB (05/11/2026)" in asked[0]
    run_modals(qtbot, lambda: saved.append(page.save_current(tmp_path / "trong-so")),
               lambda box: _button(box, "In để trống số").click(),
               lambda box: box.button(QMessageBox.StandardButton.Ok).click())
    assert documents.number_of(documents.MINUTES, october) is None
    assert (tmp_path / "trong-so.pdf").exists() and "trống số" in page.preview.caption.text()
    run_modals(qtbot, lambda: saved.append(page.save_current(tmp_path / "so-02")),
               lambda box: _button(box, "Cấp Số 02-BB/CB").click(),
               lambda box: box.button(QMessageBox.StandardButton.Ok).click())
    assert documents.number_of(documents.MINUTES, october) == 2


def test_deleting_a_meeting_asks_first(qtbot, cell_with_meeting):
    page = _page(qtbot)
    run_modals(qtbot, lambda: page.delete_meeting(),
               lambda box: box.button(QMessageBox.StandardButton.No).click())
    assert MeetingRow.select().count() == 1
    run_modals(qtbot, lambda: page.delete_meeting(),
               lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    assert MeetingRow.select().count() == 0 and page.model.rowCount() == 0


def test_the_models_pass_the_qt_model_checks(qtmodeltester, cell_with_meeting):
    _ids, meeting = cell_with_meeting
    roll = AttendanceModel()
    roll.set_attendees(svc.attendees(meeting.id))
    qtmodeltester.check(roll)
    listing = MeetingListModel()
    listing.set_rows(svc.list_meetings(2026))
    qtmodeltester.check(listing)
    assert Mark.PRESENT.code == "C"
