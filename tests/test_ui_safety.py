"""The An toàn dữ liệu dialog, restore and the idle lock, driven as the secretary would."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialogButtonBox, QMainWindow, QMessageBox, QWidget  # noqa: E402

from app.services import members, safety, settings  # noqa: E402
from app.storage import db as storage  # noqa: E402
from conftest import needs_sqlcipher  # noqa: E402
from conftest_ui import add, qapp, run_modals, ui_db  # noqa: E402,F401
from ui.safety.lock import IdleLock  # noqa: E402
from ui.safety.passphrase_dialog import PassphraseDialog  # noqa: E402
from ui.safety.restore_flow import restore_interactively  # noqa: E402
from ui.safety.safety_dialog import SafetyDialog  # noqa: E402


def _fill_passphrase(text: str, confirm: str | None = None):
    def step(dialog: PassphraseDialog) -> None:
        dialog.passphrase.setText(text)
        dialog.confirm.setText(confirm if confirm is not None else text)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    return step


def _click_default(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Ok).click()


def _yes(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Yes).click()


def test_dialog_says_plainly_when_data_is_not_encrypted_and_saves_backup_settings(qtbot, ui_db):
    dialog = SafetyDialog()
    qtbot.addWidget(dialog)
    assert "KHÔNG được mã hóa" in dialog.encryption_state.text()
    dialog.keep["backup.keep_daily"].setValue(3)
    dialog.second_folder.setText(str(ui_db.parent / "usb"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert settings.get("backup.keep_daily") == 3
    assert settings.get("backup.second_folder") == str(ui_db.parent / "usb")


@needs_sqlcipher
def test_turning_encryption_on_from_the_dialog(qtbot, ui_db):
    add("Trần Thị Lan")
    dialog = SafetyDialog()
    qtbot.addWidget(dialog)
    made = safety.backup_now()
    asked = []

    def encrypt_them_too(box: QMessageBox) -> None:
        asked.append(box.text())
        _button("Mã hóa các bản cũ")(box)

    boxes = run_modals(qtbot, dialog.encrypt, _fill_passphrase("mat-khau-dai-1"), encrypt_them_too, _click_default)
    assert "2 bản sao lưu cũ chưa mã hóa" in asked[0]
    assert "Đã mã hóa 2 bản sao lưu cũ" in boxes[2].text()
    assert storage.is_encrypted_file(ui_db) and storage.is_encrypted_file(made)
    assert "đang được mã hóa" in dialog.encryption_state.text()
    assert [e.member.full_name for e in members.list_members()] == ["Trần Thị Lan"]


def _button(text: str):
    def step(box: QMessageBox) -> None:
        next(b for b in box.buttons() if b.text() == text).click()
    return step


def test_a_guessable_passphrase_is_kept_only_after_the_warning(qtbot, ui_db):
    dialog = PassphraseDialog("t", "m", new=True)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText("matkhau123")
    dialog.confirm.setText("matkhau123")
    refused = run_modals(qtbot, lambda: dialog.save() and None, _button("Hủy"))
    assert "Vẫn dùng mật khẩu này?" in refused[0].text() and "dễ đoán" in refused[0].text()
    kept = []
    run_modals(qtbot, lambda: kept.append(dialog.save()), _button("Vẫn dùng"))
    assert kept == [True]
    dialog.passphrase.setText("Sông-Hồng-chảy-mãi")
    dialog.confirm.setText("Sông-Hồng-chảy-mãi")
    assert dialog.save() is True  # no question for a good one


def test_restoring_another_cells_backup_asks_naming_both_cells(qtbot, ui_db, tmp_path):
    from app.services import cell
    from tests.helpers import hostile_backups

    add("Trần Thị Lan")
    here = cell.get_cell().name
    other = hostile_backups.other_cell(safety.backup_now(), tmp_path / "khac.sqlite")
    add("Người Thêm Sau")
    parent = QWidget()
    qtbot.addWidget(parent)
    result = []
    boxes = run_modals(qtbot, lambda: result.append(restore_interactively(parent, other)), _button("Hủy"))
    assert result == [False] and "Chi bộ thôn Tây" in boxes[0].text() and here in boxes[0].text()
    assert len(members.list_members()) == 2
    run_modals(qtbot, lambda: result.append(restore_interactively(parent, other)), _yes, _yes, _click_default)
    assert result[-1] is True and [e.member.full_name for e in members.list_members()] == ["Trần Thị Lan"]


def test_mismatched_passphrases_are_refused_in_the_dialog(qtbot, ui_db):
    dialog = PassphraseDialog("t", "m", new=True)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText("mat-khau-dai-1")
    dialog.confirm.setText("mat-khau-dai-2")
    assert dialog.save() is False
    assert "không giống nhau" in dialog.general_error.text()


def test_restore_from_the_window_replaces_the_data_after_confirmation(qtbot, ui_db):
    add("Trần Thị Lan")
    made = safety.backup_now()
    add("Người Thêm Sau")
    parent = QWidget()
    qtbot.addWidget(parent)
    result = []
    run_modals(qtbot, lambda: result.append(restore_interactively(parent, made)), _yes, _click_default)
    assert result == [True]
    assert [e.member.full_name for e in members.list_members()] == ["Trần Thị Lan"]


def test_restore_of_a_foreign_file_is_refused_with_a_message(qtbot, ui_db, tmp_path):
    add("Trần Thị Lan")
    bad = tmp_path / "la.sqlite"
    bad.write_text("không phải dữ liệu")
    parent = QWidget()
    qtbot.addWidget(parent)
    # A file without SQLite's header may be an encrypted backup, so the passphrase is asked first.
    boxes = run_modals(qtbot, lambda: restore_interactively(parent, bad), _fill_passphrase("thu-mat-khau"),
                       _click_default)
    assert "Mật khẩu không đúng" in boxes[1].text() and "không phải của chibo" in boxes[1].text()
    assert [e.member.full_name for e in members.list_members()] == ["Trần Thị Lan"]


@needs_sqlcipher
def test_idle_lock_hides_the_window_until_the_right_passphrase(qtbot, ui_db):
    safety.encrypt_database("mat-khau-dai-1")
    settings.set_value("lock.idle_minutes", 5)
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window)
    assert lock.timer.isActive() and lock.timer.interval() == 5 * 60_000
    seen_hidden = []

    def wrong(dialog):
        seen_hidden.append(lock.cover is not None and lock.cover.isVisible()
                           and lock.cover.geometry() == window.rect())
        dialog.passphrase.setText("sai")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert dialog.isVisible() and "không đúng" in dialog.general_error.text()
        dialog.passphrase.setText("mat-khau-dai-1")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    run_modals(qtbot, lock.lock, wrong)
    assert seen_hidden == [True]
    assert lock.cover is None and not lock.locked


def test_no_lock_without_encryption(qtbot, ui_db):
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    qtbot.addWidget(window)
    lock = IdleLock(window)
    assert not lock.timer.isActive()


def test_closing_the_main_window_takes_a_backup(qtbot, ui_db):
    from app.storage import backup
    from ui.main_window import MainWindow

    add("Trần Thị Lan")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.close()
    made = [p for _t, p in backup.list_backups(ui_db.parent / "sao-luu", ui_db)]
    assert len(made) == 1 and "khi-dong" in made[0].name
    assert backup.inspect(made[0]).members == 1


def test_the_window_asks_before_restoring_a_backup_that_disagrees_with_its_history(qtbot, ui_db, tmp_path):
    from tests.helpers import hostile_backups

    add("Trần Thị Lan")
    edited = hostile_backups.tampered(safety.backup_now(), tmp_path / "sua.sqlite",
                                      "UPDATE member SET full_name = 'Kẻ Mạo Danh'")
    parent = QWidget()
    qtbot.addWidget(parent)
    result = []
    boxes = run_modals(qtbot, lambda: result.append(restore_interactively(parent, edited)), _yes, _button("Hủy"))
    assert result == [False] and "Kẻ Mạo Danh" in boxes[1].text() and "Vẫn khôi phục" in boxes[1].text() + "".join(
        b.text() for b in boxes[1].buttons())
    assert [e.member.full_name for e in members.list_members()] == ["Trần Thị Lan"]
    run_modals(qtbot, lambda: result.append(restore_interactively(parent, edited)), _yes, _yes, _click_default)
    assert result[-1] is True and [e.member.full_name for e in members.list_members()] == ["Kẻ Mạo Danh"]
