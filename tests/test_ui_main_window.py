"""The main window on a demo cell, its navigation, the cell dialog and the start-up path."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QComboBox, QLabel  # noqa: E402

from app.domain.cell import CellLevel  # noqa: E402
from app.services import cell as cell_service  # noqa: E402
from app.services import members  # noqa: E402
from app.storage.db import close_database, open_database  # noqa: E402
from conftest_ui import qapp, type_text, ui_db  # noqa: E402,F401
from ui.first_run import CellDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.widgets import ComingSoon  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def demo_db(tmp_path, qapp):
    from app.services import demo

    open_database(tmp_path / "demo.sqlite")
    demo.build_demo()
    yield
    close_database()


def test_main_window_opens_on_the_demo_cell(qtbot, demo_db):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    info = cell_service.get_cell()
    assert info.name in window.windowTitle()
    active = len(members.list_members(statuses=None))
    shown = window.roster.proxy.rowCount()
    assert 0 < shown <= active
    assert str(shown) in window.count_label.text()


def test_navigation_switches_pages(qtbot, demo_db):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["Đảng viên", "Sinh hoạt", "Đảng phí", "Đánh giá", "Báo cáo", "Biểu mẫu", "Nhắc việc"]
    assert window.pages.currentWidget() is window.roster
    working = {1: window.meetings, 2: window.fees, 3: window.page(3), 4: window.page(4)}
    for row in range(1, window.nav.count()):
        rect = window.nav.visualItemRect(window.nav.item(row))
        qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        page = window.pages.currentWidget()
        if row in working:
            assert page is working[row]
            assert not window.count_label.isVisible()
            continue
        assert isinstance(page, ComingSoon)
        texts = " ".join(label.text() for label in page.findChildren(QLabel))
        assert labels[row] in texts and "phiên bản sau" in texts
        assert not window.count_label.isVisible()
    window.nav.setCurrentRow(0)
    assert window.pages.currentWidget() is window.roster and window.count_label.isVisible()


def test_first_run_dialog_saves_the_cell(qtbot, tmp_path, qapp):
    open_database(tmp_path / "new.sqlite")
    try:
        assert cell_service.get_cell() is None
        dialog = CellDialog(first_run=True)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog._field_errors["cell.name"].isVisible()  # the name is required
        type_text(qtbot, dialog.edits["name"], "Chi bộ thôn Tây")
        type_text(qtbot, dialog.edits["superior_name"], "Đảng bộ xã Hòa Bình")
        dialog.superior_level.setCurrentText("Đảng ủy xã")
        dialog.cell_level.setCurrentIndex(dialog.cell_level.findData(CellLevel.GRASSROOTS))
        type_text(qtbot, dialog.edits["term_label"], "2025–2030")
        type_text(qtbot, dialog.edits["secretary_name"], "lê văn sơn")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        saved = cell_service.get_cell()
        assert (saved.name, saved.superior_name, saved.superior_level, saved.cell_level, saved.term_label,
                saved.secretary_name) == ("Chi bộ thôn Tây", "Đảng bộ xã Hòa Bình", "Đảng ủy xã",
                                          CellLevel.GRASSROOTS, "2025–2030", "Lê Văn Sơn")
    finally:
        close_database()


def test_cell_dialog_edits_and_the_title_follows(qtbot, ui_db):
    window = MainWindow()
    qtbot.addWidget(window)
    dialog = CellDialog(parent=window)
    assert dialog.edits["name"].text() == "Chi bộ Thôn Đông"
    assert isinstance(dialog.superior_level, QComboBox) and dialog.superior_level.isEditable()
    dialog.edits["name"].setText("Chi bộ thôn Đông Bắc")
    dialog.accept()
    window.refresh_title()
    assert window.windowTitle().startswith("Chi bộ thôn Đông Bắc")
    assert window.cell_label.text() == "Chi bộ thôn Đông Bắc"


def _run_gui(args: list[str], env_extra: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env_extra}
    code = "import sys; from ui.application import run_gui; sys.exit(run_gui(*sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_start_up_time_is_printed_and_the_window_quits(tmp_path, demo_db):
    db = tmp_path / "demo.sqlite"
    close_database()
    result = _run_gui([str(db), "vi"], {"CHIBO_QUIT_AFTER_SHOWN": "1",
                                        "XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.returncode == 0, result.stderr
    # How long it takes is bench/bench_roster.py's cold-start figure; here only that a time was printed.
    assert float(result.stdout.strip().splitlines()[-1]) > 0


def test_a_foreign_sqlite_file_is_refused_with_a_message(tmp_path, monkeypatch, qapp):
    import sqlite3

    foreign = tmp_path / "other-program.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    shown = []
    monkeypatch.setattr("ui.dialogs.show_error", lambda parent, text, title=None: shown.append(text))
    from ui.application import run_gui

    assert run_gui(foreign, "vi") == 1
    assert shown and "chương trình khác" in shown[0]


def test_an_unreadable_file_asks_for_a_passphrase_and_cancel_exits(tmp_path, monkeypatch, qapp):
    garbage = tmp_path / "encrypted-or-not.sqlite"
    garbage.write_bytes(b"\x00" * 64)
    asked = []
    monkeypatch.setattr("ui.application.ask_passphrase", lambda message: asked.append(message))
    from ui.application import run_gui

    assert run_gui(garbage, "vi") == 1
    assert asked and "mật khẩu" in asked[0]


def test_a_long_session_of_qt_calls_does_not_free_none():
    """PySide6 6.12 on CPython 3.11 drops a reference to None on every void call; pyproject keeps it out."""
    code = ("from ui.application import create_app\n"
            "from PySide6.QtWidgets import QLabel\n"
            "from PySide6.QtCore import QObject, Signal\n"
            "class Ping(QObject):\n    sent = Signal()\n"
            "app = create_app(); label = QLabel(); ping = Ping()\n"
            "for _ in range(100_000):\n    label.setText('Ẩ'); ping.sent.emit()\n"
            "print('ok')\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-500:]


def test_meetings_and_fees_pages_wait_until_first_opened(qtbot, demo_db):
    """Their first load reads a year of records; a large roster must not wait for it at start-up."""
    window = MainWindow()
    qtbot.addWidget(window)
    assert 1 not in window._built and 2 not in window._built
    window.nav.setCurrentRow(2)
    assert 2 in window._built and 1 not in window._built and window.pages.currentWidget() is window.fees
