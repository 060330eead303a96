"""Fixtures and helpers for the window tests: the app with its bundled font, a fresh cell, modal dialogs."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QSettings, QStandardPaths, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.domain.cell import CellInfo  # noqa: E402
from app.domain.members import Member  # noqa: E402
from app.services import cell as cell_service  # noqa: E402
from app.services import members as member_service  # noqa: E402
from app.storage.db import close_database, open_database  # noqa: E402


def _discard_if_a_dialog(widget: QWidget) -> None:
    """What a test leaves open is closed as «Không lưu» would: a dialog with typed changes would otherwise ask
    «Chưa lưu» when pytest-qt closes it after the test, and wait for an answer no one gives."""
    from ui.dialogs import BaseDialog

    if isinstance(widget, BaseDialog) and widget.isVisible():
        widget.reject()


def _add_widget(self, widget, *, before_close_func=None):
    _qtbot_add_widget(self, widget, before_close_func=before_close_func or _discard_if_a_dialog)


from pytestqt.qtbot import QtBot  # noqa: E402

_qtbot_add_widget = QtBot.addWidget
QtBot.addWidget = _add_widget


@pytest.fixture(scope="session")
def qapp():
    """pytest-qt's qapp, but made by create_app so the tests see the bundled Noto Sans."""
    # Saved dialog sizes go to a throw-away test location, not the developer's own settings.
    QStandardPaths.setTestModeEnabled(True)
    from ui.application import create_app

    app = create_app()
    QSettings("chibo", "chibo").clear()
    return app


@pytest.fixture
def ui_db(tmp_path: Path, qapp) -> Path:
    """A fresh database holding only the cell."""
    path = tmp_path / "t.sqlite"
    open_database(path)
    cell_service.save_cell(CellInfo(name="Chi bộ Thôn Đông", superior_name="Đảng bộ xã Hòa Bình"))
    yield path
    close_database()


def add(name: str, **values) -> Member:
    return member_service.add_member(Member(full_name=name, **values)).member


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type like a keyboard would. QTest.keyClicks aborts on non-ASCII characters, so Vietnamese
    letters are sent as key events carrying the text, which is what an input method delivers."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClick(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def run_modals(qtbot, open_dialogs: Callable[[], object], *steps: Callable[[QWidget], None],
               timeout_ms: int = 5000) -> list[QWidget]:
    """Call open_dialogs(), which shows modal dialogs one after another; steps[i] handles the i-th.

    Each step should close its dialog (click Lưu, Hủy, Đóng…); one left open is rejected after the
    step so a failing test stops instead of hanging.
    """
    seen: list[QWidget] = []
    errors: list[BaseException] = []
    finished = []

    def poll() -> None:
        if finished:
            return
        widget = QApplication.activeModalWidget()
        if widget is None or (seen and widget is seen[-1]):
            QTimer.singleShot(10, poll)
            return
        seen.append(widget)
        try:
            steps[len(seen) - 1](widget)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test once the dialog is closed
            errors.append(exc)
        if widget.isVisible():
            widget.reject() if hasattr(widget, "reject") else widget.close()
        if len(seen) < len(steps) and not errors:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QApplication.activeModalWidget() and QApplication.activeModalWidget().close())
    guard.start(timeout_ms)
    try:
        open_dialogs()
    finally:
        finished.append(True)
        guard.stop()
    if errors:
        raise errors[0]
    assert len(seen) == len(steps), f"expected {len(steps)} dialogs, saw {len(seen)}"
    return seen
