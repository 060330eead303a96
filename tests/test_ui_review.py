"""The Đánh giá page and the meeting's «Nhiệm vụ» tab, driven by keys and clicks; each test checks what the
services hold afterwards."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from app.domain.meetings import Meeting  # noqa: E402
from app.domain.members import Member  # noqa: E402
from app.domain.review import Grade, TaskStatus  # noqa: E402
from app.services import (
    drafts,  # noqa: E402
    review,  # noqa: E402
    review_tasks,  # noqa: E402
)
from app.services import meetings as meeting_service  # noqa: E402
from app.services import members as member_service  # noqa: E402
from conftest_ui import qapp, type_text, ui_db  # noqa: E402,F401
from ui.review import fields  # noqa: E402
from ui.review.editor import draft_key  # noqa: E402
from ui.review.model import COL_NAME, COL_PROPOSED, COL_STATE, COL_TOTAL, ReviewTableModel  # noqa: E402
from ui.review.page import ReviewPage  # noqa: E402

TODAY = dt.date(2026, 11, 23)
YEAR = 2026
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cúc", "Phạm Thị Dung", "Hoàng Văn Em", "Đỗ Thị Giang")


@pytest.fixture
def season(ui_db) -> list[int]:
    """A cell of six members admitted long ago, and the 2026 season opened."""
    ids = []
    for i, name in enumerate(NAMES):
        member = Member(full_name=name, admission_date=dt.date(2000, 1, 1 + i), official_date=dt.date(2001, 1, 1 + i))
        ids.append(member_service.add_member(member, today=TODAY).member.id)
    review.open_season(YEAR, review_date=dt.date(YEAR, 12, 15))
    return ids


def _page(qtbot) -> ReviewPage:
    page = ReviewPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    return page


def _row_of(page: ReviewPage, member_id: int) -> int:
    return page.model.row_of(member_id)


def _open(qtbot, page: ReviewPage, member_id: int):
    """Select the member's line and press Enter, as the secretary would."""
    page.table.setFocus()
    page.table.selectRow(_row_of(page, member_id))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.editor and page.editor.member_id == member_id
    return page.editor


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.clear()
    type_text(qtbot, widget, text)


def test_the_page_lists_the_members_with_the_stage_each_has_reached(qtbot, season, qtmodeltester):
    review.set_review(YEAR, season[0], general_score="25", task_score="60", self_grade="tot", proposed_grade="tot")
    review.set_review(YEAR, season[1], general_score="20", task_score="50", self_grade="tot")
    page = _page(qtbot)
    qtmodeltester.check(page.model)
    model: ReviewTableModel = page.model
    shown = {model.index(r, COL_NAME).data(): model.index(r, COL_STATE).data() for r in range(model.rowCount())}
    assert set(shown) == set(NAMES)
    assert shown["Nguyễn Văn An"] == "Chi bộ đã đề xuất"
    assert shown["Trần Thị Bình"] == "Đã tự đánh giá"
    assert shown["Lê Văn Cúc"] == "Chưa tự đánh giá"
    first = _row_of(page, season[0])
    assert model.index(first, COL_TOTAL).data() == "85" and model.index(first, COL_PROPOSED).data() == "Tốt"


def test_scores_typed_in_the_editor_are_stored_and_the_list_follows(qtbot, season):
    page = _page(qtbot)
    editor = _open(qtbot, page, season[2])
    editor.tabs.setCurrentIndex(1)
    _type(qtbot, editor.widgets["general_score"], "26,5")
    _type(qtbot, editor.widgets["task_score"], "60")
    # The grade the scores give shows as they are typed, before anything is saved.
    assert "Tổng điểm 86,5" in editor.computed.text() and "Hoàn thành tốt nhiệm vụ" in editor.computed.text()
    assert review.review_row(YEAR, season[2]).total is None
    qtbot.keyClick(editor.widgets["task_score"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = review.review_row(YEAR, season[2])
    assert str(stored.total) == "86.5" and stored.state == "Đã tự đánh giá"
    # The list heard the change through the runner and shows the new line.
    row = _row_of(page, season[2])
    assert page.model.index(row, COL_TOTAL).data() == "86,5"
    assert page.model.index(row, COL_STATE).data() == "Đã tự đánh giá"
    assert drafts.get(draft_key(YEAR, season[2])) is None


def test_a_proposal_above_the_score_without_a_reason_is_refused_under_its_field(qtbot, season):
    review.set_review(YEAR, season[0], general_score="20", task_score="40")  # 60: Hoàn thành nhiệm vụ
    page = _page(qtbot)
    editor = _open(qtbot, page, season[0])
    fields.set_grade(editor.widgets["proposed_grade"], Grade.GOOD)
    assert editor.save() is False
    error = editor.errors["review.proposed_grade"]
    assert error.isVisibleTo(editor) and "ghi lý do" in error.text()
    assert editor.widgets["proposed_reason"].hasFocus()
    assert review.review_row(YEAR, season[0]).data.proposed_grade is None
    # The reason written, the same proposal is stored.
    _type(qtbot, editor.widgets["proposed_reason"], "Có thành tích đột xuất trong phòng chống bão")
    assert editor.save() is True
    assert review.review_row(YEAR, season[0]).data.proposed_grade is Grade.GOOD


def test_the_quota_turns_red_once_an_excellent_proposal_goes_past_it(qtbot, season):
    for member_id in season[:4]:  # four Hoàn thành tốt allow no Hoàn thành xuất sắc (20 % of 4, rounded down)
        review.set_review(YEAR, member_id, general_score="25", task_score="60", proposed_grade="tot")
    page = _page(qtbot)
    assert page.quota_label.property("over_quota") is False
    assert "Hoàn thành xuất sắc 0 / tối đa 0" in page.quota_label.text()
    editor = _open(qtbot, page, season[4])
    editor.tabs.setCurrentIndex(1)
    _type(qtbot, editor.widgets["general_score"], "29")
    _type(qtbot, editor.widgets["task_score"], "66")
    editor.widgets["exceeded"].setCurrentIndex(editor.widgets["exceeded"].findData(True))
    fields.set_grade(editor.widgets["proposed_grade"], Grade.EXCELLENT)
    assert editor.save() is True
    assert page.quota_label.property("over_quota") is True
    assert "Hoàn thành xuất sắc 1 / tối đa 0 (20 % của 4 Hoàn thành tốt)" in page.quota_label.text()
    assert "#b00020" in page.quota_label.styleSheet()
    assert any("vượt tỷ lệ" in page.warnings.item(i).text() for i in range(page.warnings.count()))


def test_the_tally_refuses_more_votes_than_members_present(qtbot, season):
    review.set_review(YEAR, season[0], general_score="25", task_score="60")
    page = _page(qtbot)
    editor = _open(qtbot, page, season[0])
    editor.tabs.setCurrentIndex(2)
    editor.tally.present.setValue(5)
    editor.tally.votes[Grade.GOOD].setValue(4)
    assert editor.tally.total.text() == "Tổng số phiếu: 4 / có mặt 5" and editor.tally.problem() is None
    editor.tally.votes[Grade.PASSED].setValue(2)
    assert editor.tally.total.text() == "Tổng số phiếu: 6 / có mặt 5"
    assert "#b00020" in editor.tally.total.styleSheet()
    assert editor.save() is False
    assert editor.tally_error.isVisibleTo(editor) and "nhiều hơn số có mặt" in editor.tally_error.text()
    assert review.review_row(YEAR, season[0]).data.votes == {}
    editor.tally.votes[Grade.PASSED].setValue(1)
    assert editor.save() is True
    stored = review.review_row(YEAR, season[0]).data
    assert stored.votes == {Grade.GOOD: 4, Grade.PASSED: 1} and stored.voters == 5


def test_a_switch_of_page_mid_typing_keeps_the_text_as_a_draft_and_puts_it_back(qtbot, season):
    from ui.main_window import REVIEW, ROSTER, MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(REVIEW)
    page = window.page(REVIEW)
    editor = _open(qtbot, page, season[1])
    editor.tabs.setCurrentIndex(1)
    typed = "Gương mẫu trong vận động nhân dân hiến đất làm đường"
    _type(qtbot, editor.widgets["strengths"], typed)
    window.nav.setCurrentRow(ROSTER)
    draft = drafts.get(draft_key(YEAR, season[1]))
    assert draft is not None and draft.fields["strengths"] == typed
    assert review.review_row(YEAR, season[1]).data.strengths == ""  # kept, not saved: a review is saved on «Lưu»
    window.nav.setCurrentRow(REVIEW)
    assert page.editor.widgets["strengths"].toPlainText() == typed
    # A page built again (after a restart) puts the draft back when the member is opened.
    again = _page(qtbot)
    editor = _open(qtbot, again, season[1])
    assert editor.widgets["strengths"].toPlainText() == typed and editor.note.isVisibleTo(editor)
    assert editor.save() is True
    assert review.review_row(YEAR, season[1]).data.strengths == typed
    assert drafts.get(draft_key(YEAR, season[1])) is None


def test_a_review_typed_before_a_kill_is_opened_again_at_the_next_start(qtbot, season):
    """With no meeting's text left, the start opens the member whose review was typed and not saved."""
    from ui.main_window import REVIEW, MainWindow

    typed = "Tích cực tham gia hòa giải ở cơ sở"
    drafts.keep(draft_key(YEAR, season[1]), {"strengths": typed})
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.offer_drafts() == []
    page = window.page(REVIEW)
    assert window.nav.currentRow() == REVIEW and page.stack.currentWidget() is page.editor
    assert page.editor.row.member_id == season[1] and page.editor.widgets["strengths"].toPlainText() == typed
    assert "bản kiểm điểm năm" in window.statusBar().currentMessage()


def test_escape_on_a_half_typed_review_asks_and_not_saving_drops_the_draft(qtbot, season):
    from PySide6.QtWidgets import QApplication, QMessageBox

    from conftest_ui import run_modals

    page = _page(qtbot)
    editor = _open(qtbot, page, season[3])
    editor.tabs.setCurrentIndex(1)
    _type(qtbot, editor.widgets["plan"], "Học xong lớp lý luận chính trị")
    editor.keep_draft()

    def not_saving(box: QMessageBox) -> None:
        assert "chưa được lưu" in box.text()
        next(b for b in box.buttons() if b.text() == "Không lưu").click()

    run_modals(qtbot, lambda: qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape), not_saving)
    assert page.stack.currentIndex() == 0
    assert drafts.get(draft_key(YEAR, season[3])) is None
    assert review.review_row(YEAR, season[3]).data.plan == ""


@pytest.fixture
def two_meetings(season) -> tuple[int, int, int]:
    """A task given at the October meeting for October, and the November meeting that looks back on it."""
    october = meeting_service.add_meeting(Meeting(date=dt.date(YEAR, 10, 5), place="Nhà văn hóa"))
    november = meeting_service.add_meeting(Meeting(
        date=dt.date(YEAR, 11, 5), place="Nhà văn hóa",
        assignments="Đ/c Lê Văn Cúc: vận động 5 hộ nộp quỹ phòng chống thiên tai (tháng 12)"))
    task = review_tasks.add_task(season[0], "Dọn vệ sinh nhà văn hóa", due_month="2026-10", meeting_id=october.id)
    return october.id, november.id, task.id


def _meetings_page(qtbot):
    from ui.meetings.page import MeetingsPage

    page = MeetingsPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return page


def test_the_meeting_tasks_tab_confirms_the_status_of_an_earlier_task(qtbot, two_meetings):
    _october, november, task_id = two_meetings
    page = _meetings_page(qtbot)
    page.open_meeting(november, page.tasks_panel)
    panel = page.tasks_panel
    assert [item.task.id for item in panel.pending] == [task_id]
    combo = panel.confirm_table.cellWidget(0, 2)
    assert combo.currentText() == TaskStatus.ON_TIME.label  # filled in beforehand: due this month or last
    combo.setCurrentText(TaskStatus.LATE.label)
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    task = review_tasks.get_task(task_id)
    assert task.status is TaskStatus.LATE and task.checked_meeting_id == november


def test_the_meeting_tasks_tab_takes_the_tasks_from_the_assignments(qtbot, two_meetings, season):
    _october, november, _task_id = two_meetings
    page = _meetings_page(qtbot)
    page.open_meeting(november, page.tasks_panel)
    qtbot.mouseClick(page.tasks_panel.assignments_button, Qt.MouseButton.LeftButton)
    given = review_tasks.tasks(meeting_id=november)
    assert [(t.member_id, t.title, str(t.due_month)) for t in given] == [
        (season[2], "vận động 5 hộ nộp quỹ phòng chống thiên tai", "2026-12")]
    assert page.tasks_panel.given_table.rowCount() == 1
    assert "Lê Văn Cúc" in page.tasks_panel.given_table.item(0, 0).text()


def test_every_form_is_saved_in_one_pdf_with_the_progress_counted_form_by_form(qtbot, season, tmp_path,
                                                                               monkeypatch):
    import ui.files
    from ui.review import papers

    target = tmp_path / "tat-ca.pdf"
    steps, told = [], []

    class Counted(papers._Progress):
        def __init__(self):
            super().__init__()
            self.step.connect(lambda done, total: steps.append((done, total)))

    monkeypatch.setattr(ui.files, "ask_save_path", lambda *args, **kwargs: target)
    monkeypatch.setattr(papers, "_Progress", Counted)
    monkeypatch.setattr(papers, "show_info", lambda _parent, text: told.append(text))
    page = _page(qtbot)
    page.print_button.menu().actions()[0].trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=60_000)
    assert target.read_bytes()[:5] == b"%PDF-" and str(target) in told[0]
    assert steps and steps[-1] == (len(NAMES), len(NAMES))


def test_the_cells_own_rating_refuses_a_score_out_of_range_under_its_field(qtbot, season):
    from ui.review.dialogs import CellRatingDialog

    review.set_review(YEAR, season[0], general_score="25", task_score="60", proposed_grade="tot")
    dialog = CellRatingDialog(YEAR)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Hoàn thành tốt nhiệm vụ 1;" in dialog.counts.text()
    _type(qtbot, dialog.general, "35")
    _type(qtbot, dialog.tasks, "60")
    assert dialog.save() is False
    assert dialog._field_errors["review.cell_general"].isVisibleTo(dialog)
    assert review.get_season(YEAR).cell.general is None
    _type(qtbot, dialog.general, "27")
    assert "Hoàn thành tốt nhiệm vụ" in dialog.computed.text()
    assert dialog.save() is True
    assert str(review.get_season(YEAR).cell.total) == "87"
