"""Dialogs keep typed work and never save half a form: closing asks, Enter moves on until the form is ready."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QMessageBox  # noqa: E402

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
    QTimer.singleShot(0, click)
    trigger()
    qtbot.wait(50)
    return seen[0] if seen else None


def fill_name(qtbot, dialog) -> QLineEdit:
    name = dialog.widgets["full_name"]
    name.setFocus()
    type_text(qtbot, name, "Đặng Văn Đông")
    return name


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
    assert dialog.isVisible() and dialog._field_errors["birth_date"].isVisible()
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
    assert dialog.isVisible() and dialog._field_errors["birth_date"].isVisible()
    assert members.list_members(include_archived=True) == []


def test_enter_in_the_notes_is_a_new_line_and_ctrl_enter_saves_from_there(qtbot, dialog):
    notes = dialog.widgets["notes"]
    notes.setFocus()
    type_text(qtbot, notes, "dòng một")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    type_text(qtbot, notes, "dòng hai")
    assert dialog.isVisible() and notes.toPlainText() == "dòng một\ndòng hai"
    qtbot.keyClick(notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog._field_errors["full_name"].isVisible()  # Ctrl+Enter still checks
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
    assert answer(qtbot, dialog.reject, "Lưu") is None and not dialog.isVisible()
