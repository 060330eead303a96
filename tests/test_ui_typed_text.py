"""Nothing typed is lost: meeting text saved on leaving it, kept as a draft through a kill, shown back on start."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from app.domain.meetings import Meeting  # noqa: E402
from app.domain.members import Member  # noqa: E402
from app.services import drafts  # noqa: E402
from app.services import meetings as svc  # noqa: E402
from app.services import members as member_service  # noqa: E402
from app.storage.db import close_database, open_database  # noqa: E402
from conftest_ui import qapp, type_text, ui_db  # noqa: E402,F401
from test_ui_meetings import TODAY, _page  # noqa: E402
from ui.meetings.page import MeetingsPage  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TYPED = "Đồng chí Lan đề nghị sửa đường liên thôn trước Tết"


def _cell_with_two_meetings() -> tuple[int, int]:
    for i, name in enumerate(("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cúc")):
        member_service.add_member(Member(full_name=name, admission_date=dt.date(2000, 1, 1 + i),
                                         official_date=dt.date(2001, 1, 1 + i)), today=TODAY)
    first = svc.add_meeting(Meeting(date=dt.date(2026, 10, 5), place="Nhà văn hóa"))
    second = svc.add_meeting(Meeting(date=dt.date(2026, 11, 5), place="Nhà văn hóa"))
    return first.id, second.id


def _type_minutes(qtbot, page: MeetingsPage, text: str) -> None:
    page.tabs.setCurrentWidget(page.content)
    box = page.content.texts["discussion"]
    box.setFocus()
    type_text(qtbot, box, text)


def test_minutes_survive_choosing_another_meeting_before_saving(qtbot, ui_db):
    first, second = _cell_with_two_meetings()
    page = _page(qtbot)
    page.open_meeting(first)
    _type_minutes(qtbot, page, TYPED)
    assert svc.get_meeting(first).discussion == ""  # not saved yet: only typed
    page.list.selectRow(page.model.row_of(second))
    assert page.current_meeting_id() == second
    assert svc.get_meeting(first).discussion == TYPED
    assert drafts.all_drafts() == []  # saved, so no draft is left


def test_leaving_the_text_box_saves_it(qtbot, ui_db):
    first, _second = _cell_with_two_meetings()
    page = _page(qtbot)
    page.open_meeting(first)
    _type_minutes(qtbot, page, TYPED)
    page.content.texts["conclusions"].setFocus()
    qtbot.waitUntil(lambda: svc.get_meeting(first).discussion == TYPED)
    # The box the secretary moved to keeps its focus and its place: the page did not reload under her.
    assert page.content.texts["conclusions"].hasFocus()


def test_the_preview_shows_what_is_on_screen(qtbot, ui_db):
    first, _second = _cell_with_two_meetings()
    page = _page(qtbot)
    page.open_meeting(first)
    _type_minutes(qtbot, page, TYPED)
    page.preview_meeting("minutes")
    assert svc.get_meeting(first).discussion == TYPED


def test_a_typed_text_that_cannot_be_saved_stays_as_a_draft_and_comes_back(qtbot, ui_db):
    first, second = _cell_with_two_meetings()
    page = _page(qtbot)
    page.open_meeting(first)
    page.tabs.setCurrentWidget(page.info)
    page.info.start.setText("25:99")  # not a time: the tab cannot be saved
    page.list.selectRow(page.model.row_of(second))
    assert drafts.get(drafts.meeting_key(first, "info")).fields["start"] == "25:99"
    page.list.selectRow(page.model.row_of(first))
    assert page.info.start.text() == "25:99" and page.info.note.isVisibleTo(page)


def test_switching_page_in_the_window_saves_the_minutes(qtbot, ui_db):
    from ui.main_window import MEETINGS, ROSTER, MainWindow

    first, _second = _cell_with_two_meetings()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(MEETINGS)
    window.meetings.open_meeting(first)
    _type_minutes(qtbot, window.meetings, TYPED)
    window.nav.setCurrentRow(ROSTER)
    assert svc.get_meeting(first).discussion == TYPED


_KILLED_WHILE_TYPING = textwrap.dedent("""
    import datetime as dt, os, signal, sys
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from app.services import drafts
    from app.storage.db import open_database
    from ui.application import create_app
    from ui.meetings.page import MeetingsPage

    app = create_app()
    open_database(sys.argv[1])
    page = MeetingsPage(today=dt.date(2026, 11, 23))
    page.show()
    page.open_meeting(int(sys.argv[2]))
    page.tabs.setCurrentWidget(page.content)
    box = page.content.texts["discussion"]
    box.setFocus()
    for ch in sys.argv[3]:  # key events carrying the text, as an input method delivers Vietnamese letters
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(box, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
    key = drafts.meeting_key(int(sys.argv[2]))
    while drafts.get(key) is None:  # the draft is written a moment after the last keystroke
        app.processEvents()
        QTest.qWait(50)
    print("draft kept", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_text_typed_before_a_kill_is_offered_back_on_the_next_start(qtbot, ui_db):
    first, _second = _cell_with_two_meetings()
    close_database()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", _KILLED_WHILE_TYPING, str(ui_db), str(first), TYPED],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == -signal.SIGKILL and "draft kept" in result.stdout, result.stderr[-800:]
    open_database(ui_db)
    assert svc.get_meeting(first).discussion == ""  # the kill came before any save

    from ui.main_window import MEETINGS, MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    # Once the window is up it opens the meeting the draft belongs to, on the tab it was typed in.
    qtbot.waitUntil(lambda: MEETINGS in window._built and window.meetings.current_meeting_id() == first)
    page = window.meetings
    assert page.tabs.currentWidget() is page.content
    assert page.current_meeting_id() == first
    assert page.content.texts["discussion"].toPlainText() == TYPED
    assert page.content.note.isVisibleTo(page)
    # The page reading the meeting again (it saves the text put back) keeps the note in sight.
    page.reload()
    assert page.content.texts["discussion"].toPlainText() == TYPED
    assert page.content.note.isVisibleTo(page)
    assert "gõ dở" in window.statusBar().currentMessage()
    page.content.save()
    assert svc.get_meeting(first).discussion == TYPED and drafts.all_drafts() == []


def test_the_register_of_documents_issued_is_previewed_and_saved_under_its_own_name(qtbot, ui_db, tmp_path):
    first, _second = _cell_with_two_meetings()
    page = _page(qtbot)
    page.open_meeting(first)
    page.preview_document_register()
    assert page._printable == ("document_register", None) and page.save_pdf_button.isEnabled()
    assert page._suggested_name() == f"so-van-ban-di-{TODAY.isoformat()}.pdf"
    written = page._write_current(tmp_path / "so.pdf")
    assert written is not None and written.read_bytes().startswith(b"%PDF")
