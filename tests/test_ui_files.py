"""The one save dialog: Vietnamese, remembered folder, extension added, Qt's replace question about the real file."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import (QApplication, QDialogButtonBox, QLineEdit, QMessageBox, QPushButton,  # noqa: E402
                               QWidget)

from app.reports.file_names import document_file_name  # noqa: E402
from conftest_ui import qapp, run_modals  # noqa: E402,F401
from ui import files  # noqa: E402
from ui.dialogs import settings  # noqa: E402
from ui.qt_language import install_qt_translations  # noqa: E402
from visible_text import english_words, visible_texts, wait_for_file_rows  # noqa: E402

NAME = document_file_name("minutes", dt.date(2026, 12, 5))


@pytest.fixture(autouse=True)
def no_remembered_folder(qapp):
    settings().remove("files")
    yield
    settings().remove("files")


def _name_box(dialog: QWidget) -> QLineEdit:
    return dialog.findChild(QLineEdit, "fileNameEdit")


def _button(dialog: QWidget, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text and b.isVisible())


def _accept_button(dialog: QWidget) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox, "buttonBox")
    return next(b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)


def _save_as(name: str | None, replies: list[str] | None = None, seen: list[str] | None = None):
    """A step for run_modals: type the name (None keeps the suggested one), click the accept button
    (Lưu, or Mở when the name is a folder's), and answer each question Qt asks with the button of
    that text, noting what it asked in seen."""
    def step(dialog: QWidget) -> None:
        for reply in replies or []:
            def answer(reply=reply) -> None:
                box = QApplication.activeModalWidget()
                if not isinstance(box, QMessageBox):
                    QTimer.singleShot(10, answer)
                    return
                seen.append(box.text())
                _button(box, reply).click()
            QTimer.singleShot(0, answer)
        if name is not None:
            _name_box(dialog).setText(name)
        _accept_button(dialog).click()
    return step


def _ask(area: str = "pdf", file_filter: str = files.PDF_FILTER, name: str = NAME) -> list:
    return [files.ask_save_path(None, title="Lưu biên bản", suggested_name=name, file_filter=file_filter, area=area)]


def test_extension_helpers():
    assert files.filter_extensions(files.PDF_FILTER) == ["pdf"]
    assert files.filter_extensions("Excel (*.xlsx *.XLSM);;Mọi tệp (*)") == ["xlsx", "xlsm"]
    assert files.with_extension(Path("/a/bien-ban"), ["pdf"]) == Path("/a/bien-ban.pdf")
    assert files.with_extension(Path("/a/bien-ban."), ["pdf"]) == Path("/a/bien-ban.pdf")
    assert files.with_extension(Path("/a/ban-12.2026"), ["pdf"]) == Path("/a/ban-12.2026.pdf")
    assert files.with_extension(Path("/a/b.PDF"), ["pdf"]) == Path("/a/b.PDF")
    assert files.with_extension(Path("/a/b"), []) == Path("/a/b")


def test_the_save_dialog_is_qts_own_and_vietnamese_even_without_qts_catalogue(qtbot, tmp_path):
    files.remember_folder(tmp_path)
    app = QApplication.instance()
    try:
        install_qt_translations(app, "en")  # the labels ui/files.py sets must not depend on the catalogue
        dialog = files.save_dialog(None, title="Lưu biên bản", suggested_name=NAME, file_filter=files.PDF_FILTER)
        qtbot.addWidget(dialog)
        assert dialog.testOption(dialog.Option.DontUseNativeDialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        texts = visible_texts(dialog)
    finally:
        install_qt_translations(app, "vi")
    assert {"&Tìm trong:", "Tê&n tệp:", "L&oại tệp:", "&Lưu", "Hủy", "Tệp PDF (*.pdf)"} <= set(texts)
    assert _name_box(dialog).text() == NAME
    assert Path(dialog.directory().absolutePath()) == tmp_path


def test_the_save_dialog_shows_no_english_with_the_catalogue(qtbot, tmp_path):
    (tmp_path / "nam-2026").mkdir()
    (tmp_path / "bien-ban-2026-11-05.pdf").write_bytes(b"%PDF-1.4\n")
    files.remember_folder(tmp_path)
    dialog = files.save_dialog(None, title="Lưu biên bản", suggested_name=NAME, file_filter=files.PDF_FILTER)
    qtbot.addWidget(dialog)
    dialog.setViewMode(dialog.ViewMode.Detail)
    dialog.show()
    qtbot.waitExposed(dialog)
    wait_for_file_rows(qtbot, dialog, 2)
    texts = visible_texts(dialog)
    assert {"Thư mục", "Tài liệu PDF"} <= set(texts), texts
    assert english_words(texts) == {}


def test_a_name_without_extension_is_saved_as_pdf_and_the_folder_is_remembered(qtbot, tmp_path):
    files.remember_folder(tmp_path)
    result = []
    run_modals(qtbot, lambda: result.extend(_ask()), _save_as("bien-ban-thang-12"))
    assert result == [tmp_path / "bien-ban-thang-12.pdf"]
    assert settings().value(files.LAST_FOLDER_KEY) == str(tmp_path)

    other = tmp_path / "so-sach"
    other.mkdir()
    run_modals(qtbot, lambda: result.extend(_ask()), _save_as(str(other / "so-diem-danh-2026")))
    assert result[-1] == other / "so-diem-danh-2026.pdf"
    # The next dialog opens where the last file went, with the suggested name filled in.
    dialog = files.save_dialog(None, title="t", suggested_name=NAME, file_filter=files.PDF_FILTER)
    qtbot.addWidget(dialog)
    assert Path(dialog.directory().absolutePath()) == other
    assert _name_box(dialog).text() == NAME


def test_the_suggested_name_is_taken_as_it_is(qtbot, tmp_path):
    files.remember_folder(tmp_path)
    result = []
    run_modals(qtbot, lambda: result.extend(_ask()), _save_as(None))
    assert result == [tmp_path / NAME]


def test_an_excel_filter_adds_xlsx_and_each_area_keeps_its_folder(qtbot, tmp_path):
    pdfs, sheets = tmp_path / "pdf", tmp_path / "excel"
    pdfs.mkdir()
    sheets.mkdir()
    files.remember_folder(pdfs, "pdf")
    files.remember_folder(sheets, "excel")
    result = []
    run_modals(qtbot, lambda: result.extend(_ask("excel", files.EXCEL_FILTER, "danh-sach.xlsx")),
               _save_as("danh-sach-dang-vien"))
    assert result == [sheets / "danh-sach-dang-vien.xlsx"]
    assert files.remembered_folder("pdf") == pdfs
    assert files.remembered_folder("backup") == sheets  # a new area starts where the last file went


def test_cancel_returns_none_and_remembers_nothing(qtbot, tmp_path):
    files.remember_folder(tmp_path)
    result = []
    run_modals(qtbot, lambda: result.extend(_ask()), lambda dialog: _button(dialog, "Hủy").click())
    assert result == [None]
    assert files.remembered_folder("excel") == tmp_path


def test_an_existing_file_is_replaced_only_after_qt_asks_in_vietnamese(qtbot, tmp_path):
    files.remember_folder(tmp_path)
    (tmp_path / "bien-ban.pdf").write_bytes(b"%PDF old")
    asked: list[str] = []
    result = []
    # Typed without ".pdf": the question must be about bien-ban.pdf, the file that would be overwritten.
    run_modals(qtbot, lambda: result.extend(_ask()), _save_as("bien-ban", ["&Có"], asked))
    assert result == [tmp_path / "bien-ban.pdf"]
    assert len(asked) == 1 and "bien-ban.pdf" in asked[0] and "đã có" in asked[0], asked


def test_saying_no_to_replacing_keeps_the_dialog_open(qtbot, tmp_path):
    files.remember_folder(tmp_path)
    (tmp_path / NAME).write_bytes(b"%PDF old")
    asked: list[str] = []

    def refuse_then_cancel(dialog: QWidget) -> None:
        _save_as(None, ["&Không"], asked)(dialog)
        assert dialog.isVisible()
        _button(dialog, "Hủy").click()

    result = []
    run_modals(qtbot, lambda: result.extend(_ask()), refuse_then_cancel)
    assert result == [None] and len(asked) == 1


def test_a_folder_name_opens_the_folder_instead_of_saving(qtbot, tmp_path):
    files.remember_folder(tmp_path)
    (tmp_path / "nam-2026").mkdir()

    def open_folder_then_save(dialog: QWidget) -> None:
        _name_box(dialog).setText("nam-2026")
        assert _accept_button(dialog).text() == "&Mở"
        _save_as("nam-2026")(dialog)
        assert dialog.isVisible()
        assert Path(dialog.directory().absolutePath()) == tmp_path / "nam-2026"
        _save_as("bien-ban")(dialog)

    result = []
    run_modals(qtbot, lambda: result.extend(_ask()), open_folder_then_save)
    assert result == [tmp_path / "nam-2026" / "bien-ban.pdf"]


def test_a_remembered_folder_that_has_gone_is_passed_over(tmp_path):
    gone = tmp_path / "usb"
    gone.mkdir()
    files.remember_folder(gone)
    gone.rmdir()
    assert files.remembered_folder() != gone
    assert files.remembered_folder().is_dir()
