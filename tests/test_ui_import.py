"""The import dialog: a preview read off the GUI thread, «Nhập» only when nothing is rejected, then one write."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QThread, Qt  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402

from app.services import members, roster_io  # noqa: E402
from conftest_ui import add, qapp, ui_db  # noqa: E402,F401
from ui.roster.import_dialog import ImportDialog  # noqa: E402
from ui.tasks import run_task  # noqa: E402

GOOD_CSV = (
    "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ,Nghề nghiệp\n"
    "Đặng Văn Đông,05/02/1980,10/03/2010,12345678,nông dân\n"
    "Lê Thị Ánh,01/01/1975,02/09/2000,22223333,giáo viên\n"
)


def open_preview(qtbot, path) -> ImportDialog:
    dialog = ImportDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.preview is not None or dialog.general_error.isVisible(), timeout=10_000)
    return dialog


def tab_titles(dialog: ImportDialog) -> list[str]:
    return [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]


def test_preview_then_import_writes_the_members(qtbot, ui_db, tmp_path):
    source = tmp_path / "danh-sach.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    existing = add("Lê Thị Ánh", birth_date=dt.date(1975, 1, 1), card_number="22223333", occupation="nông dân")
    dialog = open_preview(qtbot, source)
    assert tab_titles(dialog) == ["Thêm mới (1)", "Cập nhật (1)", "Không đổi (0)", "Bị từ chối (0)"]
    assert dialog.summary.text() == dialog.preview.summary()
    assert dialog.ok_button.isEnabled() and dialog.ok_button.text() == "Nhập"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported or dialog.buttons.isEnabled(), timeout=10_000)
    assert dialog.imported, dialog.general_error.text()
    assert dialog.result() == QDialog.DialogCode.Accepted
    names = sorted(e.member.full_name for e in members.list_members())
    assert names == ["Lê Thị Ánh", "Đặng Văn Đông"]
    assert members.get_member(existing.id).occupation == "giáo viên"


def test_a_rejected_row_blocks_the_import_and_is_listed(qtbot, ui_db, tmp_path):
    source = tmp_path / "loi.csv"
    source.write_text(GOOD_CSV + "Trần Văn Ba,31/02/1980,,,\n", encoding="utf-8")
    dialog = open_preview(qtbot, source)
    assert not dialog.preview.ok
    assert not dialog.ok_button.isEnabled()
    assert dialog.tabs.currentIndex() == 3 and tab_titles(dialog)[3] == "Bị từ chối (1)"
    rejected = dialog.tabs.widget(3)
    assert rejected.item(0, 0).text() == "4" and rejected.item(0, 1).text()
    assert dialog.general_error.isVisible()
    assert members.list_members() == []


def test_an_unreadable_file_shows_the_service_message(qtbot, ui_db, tmp_path):
    source = tmp_path / "anh.png"
    source.write_bytes(b"\x89PNG not a roster")
    dialog = open_preview(qtbot, source)
    assert dialog.preview is None and not dialog.ok_button.isEnabled()
    assert "anh.png" in dialog.general_error.text()


def test_export_writes_a_file_the_importer_reads_back(qtbot, ui_db, tmp_path):
    add("Đặng Văn Đông", birth_date=dt.date(1980, 2, 5), card_number="12345678")
    target = tmp_path / "xuat.xlsx"
    results = []
    run_task(None, "…", lambda: roster_io.export_roster(target), results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results == [1] and target.exists()
    assert len(roster_io.preview_import(target).unchanged) == 1


def test_tasks_run_off_the_gui_thread_and_report_errors(qtbot, qapp):
    threads, errors = [], []
    gui = QThread.currentThread()
    run_task(None, "…", lambda: threads.append(QThread.currentThread()), lambda _r: None)
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    assert threads[0] is not gui

    def fail():
        raise roster_io.ServiceError("Không đọc được tệp.")

    done = []
    run_task(None, "…", fail, done.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["Không đọc được tệp."] and done == []


@pytest.fixture(autouse=True)
def _no_stray_tasks(qtbot):
    yield
    from ui import tasks

    qtbot.waitUntil(lambda: not tasks._running, timeout=10_000)
