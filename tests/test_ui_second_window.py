"""A second window on a file another chibo window is editing: the question, read-only mode, its title and drafts."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from app.domain.cell import CellInfo  # noqa: E402
from app.services import cell as cell_service  # noqa: E402
from app.services import drafts  # noqa: E402
from app.services import meetings as meeting_service  # noqa: E402
from app.storage import db as storage  # noqa: E402
from app.storage import lock  # noqa: E402
from conftest_ui import qapp, run_modals, type_text, ui_db  # noqa: E402,F401
from test_lock import _foreign_record, end, ready_child  # noqa: E402
from test_ui_meetings import _page  # noqa: E402
from test_ui_typed_text import TYPED, _cell_with_two_meetings  # noqa: E402
from ui import application  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.ops import error_text  # noqa: E402
from ui.safety.second_window import banner  # noqa: E402


def _window() -> MainWindow:
    """The main window, never shown nor closed: closing it takes the closing backup, not what is tested here."""
    window = MainWindow()
    window.daily_timer.stop()
    window.deleteLater()
    return window


def _click(text: str, seen: dict):
    def step(box: QMessageBox) -> None:
        seen["text"], seen["buttons"] = box.text(), sorted(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text() == text).click()
    return step


def test_a_second_window_is_asked_and_opens_only_to_look(qtbot, ui_db: Path):
    first, _second = _cell_with_two_meetings()
    storage.close_database()
    child = ready_child(ui_db, role="window")
    seen: dict = {}
    try:
        opened = []
        run_modals(qtbot, lambda: opened.append(application._open(ui_db)), _click("Mở chỉ để xem", seen))
        assert opened == [True] and storage.current().read_only
        assert f"tiến trình {child.pid}, mở cửa sổ từ " in seen["text"]
        assert seen["buttons"] == ["Mở chỉ để xem", "Thoát"]  # that window is surely open: no editing beside it

        window = _window()
        assert window.windowTitle() == "Chi bộ Thôn Đông — chibo (chỉ xem)"
        assert not banner(window).isHidden()

        try:
            cell_service.save_cell(CellInfo(name="Đổi tên", superior_name="Đảng bộ xã Hòa Bình"))
        except storage.ReadOnlyFile as exc:
            refused = error_text(exc)
        assert refused.startswith("Tệp đang mở chỉ để xem (máy ") and "thay đổi không được lưu" in refused
        assert cell_service.get_cell().name == "Chi bộ Thôn Đông"

        # Typing into a meeting keeps the draft in memory: no error under the text box at each pause.
        page = _page(qtbot)
        page.open_meeting(first)
        page.tabs.setCurrentWidget(page.content)
        box = page.content.texts["discussion"]
        box.setFocus()
        type_text(qtbot, box, TYPED)
        page.content.keep_draft()
        assert page.content.errors.isHidden()
        assert drafts.get(drafts.meeting_key(first, "content")).fields["discussion"] == TYPED
    finally:
        storage.close_database()
        end(child)
    storage.open_database(ui_db, read_only=False)
    assert meeting_service.get_meeting(first).discussion == "" and drafts.all_drafts() == []


def test_quitting_at_the_question_opens_nothing(qtbot, ui_db: Path):
    storage.close_database()
    child = ready_child(ui_db, role="window")
    try:
        opened = []
        run_modals(qtbot, lambda: opened.append(application._open(ui_db)), _click("Thoát", {}))
        assert opened == [False] and lock.registered(ui_db) is None
    finally:
        end(child)


def test_a_viewer_or_a_command_elsewhere_asks_nothing(qtbot, ui_db: Path):
    storage.close_database()
    viewer = ready_child(ui_db, role="window", read_only=True)
    command = ready_child(ui_db, role="command backup")
    try:
        assert application._open(ui_db) and not storage.current().read_only
        assert lock.registered(ui_db).role == "window"
    finally:
        storage.close_database()
        end(viewer)
        end(command)


def test_a_record_from_another_computer_may_be_taken_over_after_a_warning(qtbot, ui_db: Path):
    storage.close_database()
    _foreign_record(ui_db)
    seen: dict = {}
    opened = []
    run_modals(qtbot, lambda: opened.append(application._open(ui_db)), _click("Vẫn mở để sửa", seen))
    assert seen["buttons"] == ["Mở chỉ để xem", "Thoát", "Vẫn mở để sửa"]
    assert opened == [True] and not storage.current().read_only
    assert lock.others(ui_db) == []
    window = _window()
    assert window.windowTitle() == "Chi bộ Thôn Đông — chibo"
    assert banner(window) is None


def test_a_read_only_window_closes_without_a_backup_or_a_question(qtbot, ui_db: Path):
    from app.services import safety

    _cell_with_two_meetings()
    folder = safety.backup_folder()
    storage.close_database()
    child = ready_child(ui_db, role="window")
    try:
        storage.open_database(ui_db, role="window", read_only=True)
        window = MainWindow()
        window.show()
        assert safety.daily_backup_if_due() is None
        assert window.close()  # a failed backup would ask (a modal box) and keep the window open
        assert not folder.exists() or list(folder.iterdir()) == []
    finally:
        storage.close_database()
        end(child)
