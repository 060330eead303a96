"""Dialogs keep typed work and never save half a form: closing asks, Enter moves on until the form is ready."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QMessageBox  # noqa: E402

from app.domain.members import Member, MemberStatus  # noqa: E402
from app.services import members  # noqa: E402
from conftest_ui import qapp, type_text, ui_db  # noqa: E402,F401
from ui.dialogs import BaseDialog  # noqa: E402
from ui.roster.member_dialog import MemberDialog  # noqa: E402


@pytest.fixture
def dialog(qtbot, ui_db):
    widget = MemberDialog(None)
    # A dialog left with typed work would ask its question at teardown and wait for ever.
    qtbot.addWidget(widget, before_close_func=lambda w: w.mark_clean())
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def answer(qtbot, trigger, choice: str | None) -> list[str] | None:
    """Do trigger(); if a question box opens, click its button named choice; the box's button texts."""
    seen: list[list[str]] = []

    def click() -> None:
        if finished:
            return  # answer() has returned: a box of a later test is not this one's to click
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if not seen and len(pending) < 200:
                pending.append(True)
                QTimer.singleShot(10, click)
            return
        texts = {b.text(): b for b in box.buttons()}
        seen.append(sorted(texts))
        (texts[choice] if choice in texts else box.escapeButton()).click()

    pending: list[bool] = []
    finished = False
    QTimer.singleShot(0, click)
    trigger()
    qtbot.wait(50)
    finished = True
    return seen[0] if seen else None


def fill_name(qtbot, dialog) -> QLineEdit:
    name = dialog.widgets["full_name"]
    name.setFocus()
    type_text(qtbot, name, "Đặng Văn Đông")
    return name


def test_the_member_dialog_opens_in_the_name_field_ready_to_type(qtbot, dialog):
    # The fields scroll inside a frame; the frame must not take the focus, or the first letters go nowhere.
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
    assert dialog.focusWidget() is dialog.widgets["full_name"]


def test_a_dialog_with_nothing_changed_closes_at_once(qtbot, dialog):
    assert answer(qtbot, lambda: qtbot.keyClick(dialog.widgets["full_name"], Qt.Key.Key_Escape), "Lưu") is None
    assert not dialog.isVisible()


@pytest.mark.parametrize("how", ["esc", "close", "cancel"])
def test_closing_with_typed_work_asks_and_quay_lai_keeps_it(qtbot, dialog, how):
    name = fill_name(qtbot, dialog)
    close = {
        "esc": lambda: qtbot.keyClick(name, Qt.Key.Key_Escape),
        "close": dialog.close,
        "cancel": lambda: qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
                                           Qt.MouseButton.LeftButton),
    }[how]
    assert answer(qtbot, close, "Quay lại") == ["Không lưu", "Lưu", "Quay lại"]
    assert dialog.isVisible() and name.text() == "Đặng Văn Đông"
    if how != "cancel":  # a click on Hủy moved the focus to Hủy itself
        assert QApplication.focusWidget() is name
    assert members.list_members(include_archived=True) == []


def test_khong_luu_closes_and_stores_nothing(qtbot, dialog):
    name = fill_name(qtbot, dialog)
    answer(qtbot, lambda: qtbot.keyClick(name, Qt.Key.Key_Escape), "Không lưu")
    assert not dialog.isVisible()
    assert members.list_members(include_archived=True) == []


def test_luu_on_the_question_saves_and_closes_only_when_the_save_succeeds(qtbot, dialog):
    name = fill_name(qtbot, dialog)
    qtbot.keyClicks(dialog.widgets["birth_date"], "31/02/1980")
    answer(qtbot, lambda: qtbot.keyClick(name, Qt.Key.Key_Escape), "Lưu")
    # No such day: the save fails, the dialog stays with its red notes.
    assert dialog.isVisible() and dialog._field_errors["member.birth_date"].isVisible()
    assert members.list_members(include_archived=True) == []
    dialog.widgets["birth_date"].clear()
    for field, text in (("birth_date", "05/02/1980"), ("admission_date", "10/03/2010")):
        qtbot.keyClicks(dialog.widgets[field], text)
    answer(qtbot, lambda: qtbot.keyClick(name, Qt.Key.Key_Escape), "Lưu")
    assert not dialog.isVisible()
    assert [e.member.full_name for e in members.list_members()] == ["Đặng Văn Đông"]


def test_enter_in_the_sex_box_of_a_half_filled_member_moves_on_and_saves_nothing(qtbot, dialog):
    fill_name(qtbot, dialog)
    sex = dialog.widgets["sex"]
    sex.setFocus()
    qtbot.keyClick(sex, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert QApplication.focusWidget() is not sex
    assert members.list_members(include_archived=True) == []


def test_enter_moves_field_by_field_then_saves_once_the_required_fields_are_filled(qtbot, dialog):
    name = fill_name(qtbot, dialog)
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.widgets["sex"] and dialog.isVisible()
    birth = dialog.widgets["birth_date"]
    qtbot.keyClicks(birth, "31/02/1980")  # not a real day: not ready, Enter still moves on
    birth.setFocus()
    qtbot.keyClick(birth, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.isVisible() and QApplication.focusWidget() is not birth
    birth.clear()
    qtbot.keyClicks(birth, "05/02/1980")
    admitted = dialog.widgets["admission_date"]
    qtbot.keyClicks(admitted, "10/03/2010")
    admitted.setFocus()
    qtbot.keyClick(admitted, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    [entry] = members.list_members()
    assert (entry.member.birth_date, entry.member.admission_date) == (dt.date(1980, 2, 5), dt.date(2010, 3, 10))


def test_enter_on_the_luu_button_saves_through_the_checks(qtbot, dialog):
    fill_name(qtbot, dialog)
    qtbot.keyClicks(dialog.widgets["birth_date"], "31/02/1980")
    dialog.ok_button.setFocus()
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)
    # Tried, and refused with reasons (Enter moving on would have shown none).
    assert dialog.isVisible() and dialog._field_errors["member.birth_date"].isVisible()
    assert members.list_members(include_archived=True) == []


def test_enter_in_the_notes_is_a_new_line_and_ctrl_enter_saves_from_there(qtbot, dialog):
    notes = dialog.widgets["notes"]
    notes.setFocus()
    type_text(qtbot, notes, "dòng một")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    type_text(qtbot, notes, "dòng hai")
    assert dialog.isVisible() and notes.toPlainText() == "dòng một\ndòng hai"
    qtbot.keyClick(notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog._field_errors["member.full_name"].isVisible()  # Ctrl+Enter still checks
    for field, text in (("full_name", "Đặng Văn Đông"), ("birth_date", "05/02/1980"),
                        ("admission_date", "10/03/2010")):
        type_text(qtbot, dialog.widgets[field], text)
    notes.setFocus()
    qtbot.keyClick(notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    [entry] = members.list_members()
    assert entry.member.notes == "dòng một\ndòng hai"


class _Loaded(BaseDialog):
    """A dialog that fills its field after building it, as a dialog reading a record does."""

    required_fields = ("text",)

    def __init__(self, mark: bool):
        super().__init__("Thử")
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.text = self.add_field(form, "text", QLineEdit(), "Chữ")
        self.finish_layout()
        self.text.setText("đã có sẵn")
        if mark:
            self.mark_clean()


@pytest.mark.parametrize("mark", [True, False])
def test_values_loaded_before_the_dialog_is_shown_are_not_unsaved_work(qtbot, qapp, mark):
    dialog = _Loaded(mark)
    qtbot.addWidget(dialog, before_close_func=lambda w: w.mark_clean())
    dialog.show()
    assert not dialog.has_changes()
    assert dialog._captions["text"].text() == "Chữ *"
    dialog.text.setText("gõ thêm")
    assert dialog.has_changes()
    dialog.text.setText("đã có sẵn")
    assert not dialog.has_changes()


def test_a_typed_password_is_not_kept_as_unsaved_work(qtbot, qapp):
    from ui.safety.passphrase_dialog import PassphraseDialog

    dialog = PassphraseDialog("Mở dữ liệu", "Gõ mật khẩu")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "bi-mat")
    assert answer(qtbot, dialog.cancel, "Lưu") is None and not dialog.isVisible()


def test_reject_from_code_closes_without_asking(qtbot, dialog):
    fill_name(qtbot, dialog)
    assert answer(qtbot, dialog.reject, "Quay lại") is None and not dialog.isVisible()


# --- the status dialog ------------------------------------------------------------------------------

TODAY = dt.date(2026, 11, 23)


def status_dialog(qtbot, ceremony: dt.date, official: dt.date | None = None):
    from ui.roster.status_dialog import StatusDialog

    member = members.add_member(Member(full_name="Trần Văn Ất", birth_date=dt.date(1990, 4, 5),
                                       admission_date=ceremony - dt.timedelta(days=10), ceremony_date=ceremony,
                                       official_date=official), today=TODAY).member
    dialog = StatusDialog(member, today=TODAY)
    qtbot.addWidget(dialog, before_close_func=lambda w: w.mark_clean())
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog, member


def choose(dialog, status: MemberStatus) -> None:
    dialog.status.setCurrentIndex(dialog.status.findData(status))


def test_the_status_dialog_starts_with_nothing_chosen_and_says_so_on_save(qtbot, ui_db):
    dialog, member = status_dialog(qtbot, dt.date(2020, 1, 10), dt.date(2021, 1, 10))
    assert dialog.status.currentIndex() == 0 and dialog.status.currentText() == "— chọn tình trạng mới —"
    type_text(qtbot, dialog.reason, "chuyển sinh hoạt")
    qtbot.keyClick(dialog.status, Qt.Key.Key_Return)  # not ready: Enter moves on, saves nothing
    assert dialog.isVisible() and QApplication.focusWidget() is not dialog.status
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    error = dialog._field_errors["member.status"]
    assert dialog.isVisible() and error.isVisible() and "chọn tình trạng mới" in error.text()
    assert len(members.status_history(member.id)) == 2


def test_an_early_official_membership_is_refused_under_the_date_as_it_is_filled(qtbot, ui_db):
    dialog, member = status_dialog(qtbot, dt.date(2026, 1, 10))
    assert not dialog.rule_note.isVisible() and not dialog.vote_date.isVisible()
    choose(dialog, MemberStatus.OFFICIAL)
    assert dialog.vote_date.isVisible()
    assert "12 tháng dự bị" in dialog.rule_note.text() and "10/01/2027" in dialog.rule_note.text()
    error = dialog._field_errors["member.effective_date"]
    assert error.isVisible() and "chỉ được công nhận chính thức từ ngày 10/01/2027" in error.text()
    assert not dialog.general_error.isVisible()  # nothing was saved or tried yet
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and members.get_member(member.id).status is MemberStatus.PROBATIONARY


def test_official_membership_takes_the_end_of_probation_and_needs_the_vote_date(qtbot, ui_db):
    dialog, member = status_dialog(qtbot, dt.date(2025, 11, 10))
    choose(dialog, MemberStatus.OFFICIAL)
    assert dialog.date.text() == "10/11/2026"
    assert dialog._captions["member.vote_date"].text().endswith("*")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog._field_errors["member.vote_date"].isVisible()
    qtbot.keyClicks(dialog.vote_date, "18/11/2026")
    qtbot.keyClick(dialog.vote_date, Qt.Key.Key_Return)  # every required field filled: Enter saves
    assert not dialog.isVisible()
    last = members.status_history(member.id)[-1]
    assert (last.status, last.effective_date) == (MemberStatus.OFFICIAL, dt.date(2026, 11, 10))
    assert last.reason == "Chi bộ biểu quyết ngày 18/11/2026; Công nhận đảng viên chính thức"


def test_expelling_a_probationary_member_is_refused_as_soon_as_it_is_chosen(qtbot, ui_db):
    dialog, member = status_dialog(qtbot, dt.date(2026, 3, 1))
    choose(dialog, MemberStatus.EXPELLED)
    error = dialog._field_errors["member.status"]
    assert error.isVisible() and "không bị khai trừ" in error.text() and "xóa tên" in error.text()
    assert not dialog.vote_date.isVisible()


# --- a new member's start in the cell ---------------------------------------------------------------

def test_a_member_transferred_in_starts_on_the_arrival_day(qtbot, ui_db):
    from app.domain.members import JoinedCell

    dialog = MemberDialog(None, today=TODAY)
    qtbot.addWidget(dialog, before_close_func=lambda w: w.mark_clean())
    dialog.show()
    assert dialog._captions["member.admission_date"].text().endswith("*")
    assert not dialog.transfer_date.isVisible()
    qtbot.mouseClick(dialog.joined[JoinedCell.TRANSFERRED], Qt.MouseButton.LeftButton)
    assert dialog.transfer_date.isVisible() and dialog._captions["member.transfer_date"].text().endswith("*")
    assert not dialog._captions["member.admission_date"].text().endswith("*")
    for field, text in (("full_name", "Nguyễn Văn Hùng"), ("birth_date", "07/06/1985"),
                        ("admission_date", "01/03/2014"), ("official_date", "20/03/2015")):
        type_text(qtbot, dialog.widgets[field], text)
    birth = dialog.widgets["birth_date"]
    birth.setFocus()
    qtbot.keyClick(birth, Qt.Key.Key_Return)  # no arrival date yet: Enter moves on
    assert dialog.isVisible()
    type_text(qtbot, dialog.transfer_number, "125-GGT/ĐU")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    error = dialog._field_errors["member.transfer_date"]
    assert dialog.isVisible() and error.isVisible() and "ngày chuyển đến" in error.text()
    qtbot.keyClicks(dialog.transfer_date, "01/10/2026")
    dialog.transfer_date.setFocus()
    qtbot.keyClick(dialog.transfer_date, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    [start] = members.status_history(dialog.member_id)
    assert (start.status, start.effective_date, start.reason) == (
        MemberStatus.OFFICIAL, dt.date(2026, 10, 1), "Chuyển đến, giấy giới thiệu số 125-GGT/ĐU ngày 01/10/2026")


def test_a_member_admitted_here_needs_the_birth_and_admission_dates_all_said_at_once(qtbot, ui_db):
    dialog = MemberDialog(None, today=TODAY)
    qtbot.addWidget(dialog, before_close_func=lambda w: w.mark_clean())
    dialog.show()
    type_text(qtbot, dialog.widgets["full_name"], "Nguyễn Văn Hùng")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert all(dialog._field_errors[key].isVisible() for key in ("member.birth_date", "member.admission_date"))
    assert members.list_members(include_archived=True) == []


# --- Hủy of the archive and cell dialogs --------------------------------------------------------------

def _shown(qtbot, dialog):
    qtbot.addWidget(dialog, before_close_func=lambda w: w.mark_clean())
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _cancel(qtbot, dialog):
    return lambda: qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
                                    Qt.MouseButton.LeftButton)


def test_huy_of_the_archive_dialog_asks_when_a_reason_was_typed(qtbot, ui_db):
    from ui.roster.archive_dialog import ArchiveDialog

    member = members.add_member(Member(full_name="Hoàng Văn Khải", admission_date=dt.date(2000, 1, 1)),
                                today=TODAY).member
    dialog = _shown(qtbot, ArchiveDialog(member))
    assert answer(qtbot, _cancel(qtbot, dialog), "Lưu trữ") is None and not dialog.isVisible()  # nothing typed
    dialog = _shown(qtbot, ArchiveDialog(member))
    type_text(qtbot, dialog.reason, "nhập trùng")
    assert answer(qtbot, _cancel(qtbot, dialog), "Quay lại") == ["Không lưu", "Lưu trữ", "Quay lại"]
    assert dialog.isVisible() and dialog.reason.text() == "nhập trùng"
    answer(qtbot, _cancel(qtbot, dialog), "Không lưu")
    assert not dialog.isVisible() and not members.get_member(member.id).archived
    dialog = _shown(qtbot, ArchiveDialog(member))
    type_text(qtbot, dialog.reason, "nhập trùng")
    answer(qtbot, lambda: qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape), "Lưu trữ")
    assert not dialog.isVisible() and members.get_member(member.id).archived
    assert members.member_history(member.id)[-1]["reason"] == "nhập trùng"


def test_huy_of_the_cell_dialog_asks_and_enter_in_its_level_box_moves_on_adding_nothing(qtbot, ui_db):
    from app.services import cell as cell_service
    from ui.first_run import CellDialog

    dialog = _shown(qtbot, CellDialog())
    assert answer(qtbot, _cancel(qtbot, dialog), "Lưu") is None and not dialog.isVisible()
    dialog = _shown(qtbot, CellDialog())
    name = dialog.edits["name"]
    name.selectAll()
    type_text(qtbot, name, "Chi bộ thôn Tây")
    level = dialog.superior_level
    level.setFocus()
    level.lineEdit().selectAll()
    type_text(qtbot, level.lineEdit(), "Đảng ủy phường")
    qtbot.keyClick(level.lineEdit(), Qt.Key.Key_Return)  # the form is ready: Enter saves
    assert not dialog.isVisible()
    assert (cell_service.get_cell().name, cell_service.get_cell().superior_level) == ("Chi bộ thôn Tây",
                                                                                    "Đảng ủy phường")
    dialog = _shown(qtbot, CellDialog())
    dialog.edits["superior_name"].clear()
    level = dialog.superior_level
    count = level.count()
    level.setFocus()
    level.lineEdit().selectAll()
    type_text(qtbot, level.lineEdit(), "Đảng ủy thị trấn")
    qtbot.keyClick(level.lineEdit(), Qt.Key.Key_Return)  # a required field emptied: Enter moves on
    assert dialog.isVisible() and QApplication.focusWidget() is dialog.cell_level
    assert level.count() == count  # and what was typed is not made a suggestion
    assert answer(qtbot, lambda: qtbot.keyClick(dialog.cell_level, Qt.Key.Key_Escape),
                  "Không lưu") == ["Không lưu", "Lưu", "Quay lại"]
    assert not dialog.isVisible() and cell_service.get_cell().superior_name == "Đảng bộ xã Hòa Bình"


@pytest.fixture
def large_text(qapp):
    from ui.application import apply_text_scale

    apply_text_scale(150)
    yield
    apply_text_scale(100)


def test_a_form_full_of_red_notes_stays_on_the_screen_with_its_buttons(qtbot, ui_db, large_text):
    dialog = MemberDialog(None, today=TODAY)
    qtbot.addWidget(dialog, before_close_func=lambda w: w.mark_clean())
    dialog.show()
    for field in ("birth_date", "admission_date", "ceremony_date", "official_date"):
        qtbot.keyClicks(dialog.widgets[field], "31/02/1980")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert all(dialog._field_errors[f"member.{name}"].isVisible()
               for name in ("birth_date", "admission_date", "official_date"))
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height()
    button = dialog.ok_button.mapTo(dialog, dialog.ok_button.rect().bottomRight())
    assert dialog.rect().contains(button)
