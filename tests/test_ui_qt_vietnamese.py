"""Qt's own words (standard buttons, text-box menus, file and print dialogs) are Vietnamese, from i18n/qt_vi.ts."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, QTimer, QTranslator  # noqa: E402
from PySide6.QtGui import QContextMenuEvent  # noqa: E402
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo  # noqa: E402
from PySide6.QtWidgets import (QApplication, QFileDialog, QLineEdit, QMenu, QMessageBox,  # noqa: E402
                               QPlainTextEdit, QPushButton, QSpinBox)

from conftest_ui import qapp  # noqa: E402,F401
from ui.qt_language import install_qt_translations, qt_catalogue_path  # noqa: E402
from visible_text import english_words, visible_texts, wait_for_file_rows  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "i18n" / "qt_vi.ts"
SB = QMessageBox.StandardButton


def _messages() -> list[tuple[str, str, str | None, str]]:
    """(context, source, comment, translation) of every message in the .ts."""
    found = []
    for context in ET.parse(SOURCE).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found.append((name, message.findtext("source"), message.findtext("comment"),
                          message.findtext("translation")))
    return found


def _lrelease() -> Path | None:
    import PySide6

    candidates = [Path(sys.executable).parent / "pyside6-lrelease", Path(PySide6.__file__).parent / "lrelease",
                  Path(PySide6.__file__).parent / "lrelease.exe"]
    on_path = shutil.which("pyside6-lrelease")
    return next((c for c in candidates if c.is_file()), Path(on_path) if on_path else None)


def test_the_committed_catalogue_serves_every_translation_of_the_source():
    translator = QTranslator()
    assert translator.load(str(qt_catalogue_path()))
    messages = _messages()
    assert len(messages) > 250
    wrong = [(ctx, src, translator.translate(ctx, src, comment)) for ctx, src, comment, text in messages
             if translator.translate(ctx, src, comment) != text]
    assert wrong == [], "recompile: pyside6-lrelease i18n/qt_vi.ts -qm resources/i18n/qt_vi.qm"


def test_recompiling_the_source_gives_the_committed_catalogue(tmp_path):
    lrelease = _lrelease()
    if lrelease is None:
        pytest.skip("lrelease is not installed (it comes with PySide6-Essentials as pyside6-lrelease)")
    out = tmp_path / "qt_vi.qm"
    result = subprocess.run([str(lrelease), str(SOURCE), "-qm", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 unfinished" in result.stdout, result.stdout
    assert out.read_bytes() == qt_catalogue_path().read_bytes(), "the .qm is stale: recompile it"


def test_save_dialog_of_qt_itself_speaks_vietnamese(qtbot, tmp_path):
    # A bare QFileDialog, none of ui/files.py's own labels: only the catalogue translates it.
    (tmp_path / "nam-2026").mkdir()
    (tmp_path / "bien-ban-2026-11-05.pdf").write_bytes(b"%PDF-1.4\n")
    dialog = QFileDialog(None, "Lưu biên bản", str(tmp_path), "Tệp PDF (*.pdf)")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.show()
    qtbot.waitExposed(dialog)
    wait_for_file_rows(qtbot, dialog, 2)
    texts = visible_texts(dialog)
    assert {"&Tìm trong:", "Tê&n tệp:", "L&oại tệp:", "&Lưu", "Hủy", "Tên", "Kích thước", "Loại",
            "Ngày sửa", "Máy tính", "Thư mục", "Tài liệu PDF"} <= set(texts), texts
    assert english_words(texts) == {}


def test_message_box_buttons_and_details_are_vietnamese(qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "Chibo", "Lưu thay đổi?",
                      SB.Ok | SB.Cancel | SB.Yes | SB.No | SB.Save | SB.Discard | SB.Close | SB.Apply | SB.Open)
    qtbot.addWidget(box)
    box.setDetailedText("Chi tiết")
    box.show()
    qtbot.waitExposed(box)
    buttons = {b.text() for b in box.findChildren(QPushButton)}
    assert {"Đồng ý", "Hủy", "&Có", "&Không", "Lưu", "Không lưu", "Đóng", "Áp dụng", "Mở", "Xem chi tiết..."} \
        <= buttons, buttons
    assert english_words(visible_texts(box)) == {}


@pytest.mark.parametrize("editor_class", [QLineEdit, QPlainTextEdit])
def test_text_box_context_menu_is_vietnamese(qtbot, editor_class):
    editor = editor_class()
    qtbot.addWidget(editor)
    menu = editor.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert {"&Hoàn tác", "&Làm lại", "&Cắt", "&Sao chép", "&Dán", "Xóa", "Chọn tất cả"} <= set(texts), texts
    assert english_words(visible_texts(menu)) == {}
    menu.deleteLater()


def test_spin_box_menu_is_vietnamese(qtbot):
    spin = QSpinBox()
    qtbot.addWidget(spin)
    spin.show()
    qtbot.waitExposed(spin)
    seen: list[str] = []

    def read_and_close() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, read_and_close)
            return
        seen.extend(a.text().split("\t")[0] for a in menu.actions() if a.text())
        menu.close()

    QTimer.singleShot(0, read_and_close)
    # The spin box builds its menu inside its own context-menu event and runs it there.
    where = QPoint(2, 2)
    QApplication.sendEvent(spin, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, spin.mapToGlobal(where)))
    assert {"&Tăng lên", "&Giảm xuống", "&Chọn tất cả"} <= set(seen), seen
    assert english_words(seen) == {}


def test_print_dialog_is_vietnamese(qtbot):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    options = next(b for b in dialog.findChildren(QPushButton) if b.text().startswith("&Tùy chọn"))
    options.click()  # the Copies and Options pages
    printers = tuple(QPrinterInfo.availablePrinterNames())
    texts = visible_texts(dialog, skip=printers)
    assert {"In", "Máy in", "&Tên:", "Số bản:", "Phạm vi in", "In tất cả", "Các trang từ", "In theo bộ",
            "In ngược thứ tự", "In ra tệp (PDF)"} <= set(texts), texts
    print_words = ("Print", "Printer", "Properties", "Location", "Copies", "Collate", "Reverse", "Options",
                   "Pages", "Current", "Selection", "Cancel", "Color", "Preview")
    assert english_words(texts, print_words) == {}


def test_another_language_takes_qt_back_to_english_and_vietnamese_returns(qtbot):
    editor = QLineEdit()
    qtbot.addWidget(editor)
    try:
        assert install_qt_translations(QApplication.instance(), "en") is False
        menu = editor.createStandardContextMenu()
        assert menu.actions()[0].text().startswith("&Undo")
    finally:
        assert install_qt_translations(QApplication.instance(), "vi") is True
    assert editor.createStandardContextMenu().actions()[0].text().startswith("&Hoàn tác")
