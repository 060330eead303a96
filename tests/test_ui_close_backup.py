"""Closing the window when its backup fails: it says so and asks «Thử lại», «Chọn thư mục khác…» or «Đóng không
sao lưu»; Esc keeps the window open. The daily backup failing is a note in the status bar, not a box."""
from __future__ import annotations

import errno
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox  # noqa: E402

from app.services import safety  # noqa: E402
from app.storage import backup  # noqa: E402
from conftest_ui import add, qapp, run_modals, ui_db  # noqa: E402,F401
from ui.main_window import MainWindow  # noqa: E402

BUTTONS = ["Chọn thư mục khác…", "Không đóng", "Thử lại", "Đóng không sao lưu"]


@pytest.fixture
def window(qtbot, ui_db):
    add("Trần Thị Lan")
    widget = MainWindow()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def calls(monkeypatch) -> list:
    """safety.backup_now fails once with a full disk, then works; each call's folder is kept."""
    made: list = []
    real = safety.backup_now

    def first_fails(kind: str = "thu-cong", **kwargs):
        made.append(kwargs.get("folder"))
        if len(made) == 1:
            raise OSError(errno.ENOSPC, "No space left on device", "/media/usb/sao-luu/chibo.sqlite")
        return real(kind, **kwargs)

    monkeypatch.setattr(safety, "backup_now", first_fails)
    return made


def click(name: str):
    def step(box: QMessageBox) -> None:
        assert sorted(b.text() for b in box.buttons()) == sorted(BUTTONS)
        assert "Không sao lưu được khi đóng" in box.text()
        assert "hết chỗ trống" in box.informativeText() and "/media/usb/sao-luu/chibo.sqlite" in box.informativeText()
        next(b for b in box.buttons() if b.text() == name).click()
    return step


def closing_backups(ui_db) -> list:
    return [p for _t, p in backup.list_backups(ui_db.parent / "sao-luu", ui_db)]


def test_try_again_makes_the_backup_and_closes(qtbot, window, calls, ui_db):
    run_modals(qtbot, window.close, click("Thử lại"))
    assert not window.isVisible()
    assert len(calls) == 2
    made = closing_backups(ui_db)
    assert len(made) == 1 and "khi-dong" in made[0].name


def test_another_folder_takes_the_backup_there_and_closes(qtbot, window, calls, ui_db, monkeypatch, tmp_path):
    folder = tmp_path / "o-khac"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(folder)))
    run_modals(qtbot, window.close, click("Chọn thư mục khác…"))
    assert not window.isVisible()
    made = list(folder.glob("*.sqlite"))
    assert len(made) == 1 and "khi-dong" in made[0].name and calls[1] == folder
    assert backup.inspect(made[0]).members == 1


def test_a_cancelled_folder_chooser_asks_again(qtbot, window, calls, ui_db, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: ""))
    run_modals(qtbot, window.close, click("Chọn thư mục khác…"), click("Đóng không sao lưu"))
    assert not window.isVisible() and len(calls) == 1


def test_close_without_backup_closes_and_makes_none(qtbot, window, calls, ui_db):
    run_modals(qtbot, window.close, click("Đóng không sao lưu"))
    assert not window.isVisible()
    assert len(calls) == 1 and closing_backups(ui_db) == []


def test_escape_keeps_the_window_open(qtbot, window, calls, ui_db):
    def escape(box: QMessageBox) -> None:
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    run_modals(qtbot, window.close, escape)
    assert window.isVisible()
    assert len(calls) == 1 and closing_backups(ui_db) == []


def test_a_failing_daily_backup_is_a_note_not_a_box(qtbot, window, monkeypatch):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "/media/usb/sao-luu")

    monkeypatch.setattr(safety, "daily_backup_if_due", full)
    window._daily_backup()
    assert QApplication.activeModalWidget() is None
    note = window.statusBar().currentMessage()
    assert "Chưa sao lưu hằng ngày được" in note and "hết chỗ trống" in note
