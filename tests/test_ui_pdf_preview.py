"""The PDF preview: fitted to the width at first, − and + through the zoom steps, Ctrl keys inside it, and In…."""
from __future__ import annotations

import io
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QKeySequence, QShortcut  # noqa: E402
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from conftest_ui import qapp  # noqa: E402,F401
from ui import printing  # noqa: E402
from ui.meetings import preview as preview_module  # noqa: E402
from ui.meetings.preview import ZOOM_STEPS, PdfPreview, next_zoom  # noqa: E402

pytestmark = pytest.mark.skipif(preview_module._qtpdf()[1] is None, reason="QtPdf (PySide6-Addons) is not installed")
CTRL = Qt.KeyboardModifier.ControlModifier


def _two_pages() -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for text in ("Trang một", "Trang hai"):
        pdf.drawString(72, 700, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


PDF = _two_pages()  # once: reportlab stamps each document with the time it was made


@pytest.fixture
def shown(qtbot):
    """A window holding a text box and the preview (500 px wide) showing two A4 pages, with a
    window-wide Ctrl++ of its own, as the main window's «Chữ to hơn»."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    window.box = QLineEdit()
    window.preview = PdfPreview()
    layout.addWidget(window.box)
    layout.addWidget(window.preview)
    window.text_bigger = []
    QShortcut(QKeySequence("Ctrl++"), window, lambda: window.text_bigger.append(1))
    window.resize(500, 700)
    assert window.preview.show_pdf(PDF, "Biên bản (xem trước)") == 2
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.preview.view.viewport().width() > 300)
    return window


def _fitted_percent(preview: PdfPreview) -> float:
    """What QPdfView's fit-to-width gives an A4 page (595.3 points) in this viewport."""
    margins = preview.view.documentMargins()
    width = preview.view.viewport().width() - margins.left() - margins.right()
    return 100 * width / (595.2756 * preview.logicalDpiX() / 72)


def _horizontal_room(preview: PdfPreview) -> int:
    return preview.view.horizontalScrollBar().maximum()


def test_zoom_steps():
    assert next_zoom(1.0, 1) == 1.1 and next_zoom(1.0, -1) == 0.9
    assert next_zoom(0.8, 1) == 0.9 and next_zoom(0.8, -1) == 0.75
    assert next_zoom(4.0, 1) == 4.0 and next_zoom(0.25, -1) == 0.25
    assert list(ZOOM_STEPS) == sorted(ZOOM_STEPS)


def test_the_preview_opens_fitted_to_the_width(shown):
    preview = shown.preview
    assert preview.fit_button.isChecked()
    assert preview.view.zoomMode() == preview.view.ZoomMode.FitToWidth
    assert abs(preview.zoom_percent() - _fitted_percent(preview)) <= 1
    assert preview.zoom_label.text() == f"{preview.zoom_percent()}%"
    assert _horizontal_room(preview) == 0
    assert preview.shown_pdf() == PDF


def test_plus_zooms_in_step_by_step_past_the_width_and_fit_comes_back(qtbot, shown):
    preview = shown.preview
    fitted = preview.zoom_percent()
    preview.zoom_in_button.click()
    first = preview.view.zoomFactor()
    assert preview.view.zoomMode() == preview.view.ZoomMode.Custom and not preview.fit_button.isChecked()
    assert first == next_zoom(fitted / 100, 1) and first * 100 > fitted
    preview.zoom_in_button.click()
    assert preview.view.zoomFactor() == next_zoom(first, 1)
    assert preview.zoom_label.text() == f"{round(preview.view.zoomFactor() * 100)}%"
    qtbot.waitUntil(lambda: _horizontal_room(preview) > 0)  # the page is now wider than the view

    preview.fit_button.click()
    assert preview.fit_button.isChecked()
    assert preview.zoom_percent() == fitted
    qtbot.waitUntil(lambda: _horizontal_room(preview) == 0)


def test_minus_zooms_out_to_the_smallest_step_and_stops(qtbot, shown):
    preview = shown.preview
    fitted = preview.zoom_percent()
    tall = preview.view.verticalScrollBar().maximum()
    preview.zoom_out_button.click()
    assert preview.view.zoomFactor() == next_zoom(fitted / 100, -1)
    qtbot.waitUntil(lambda: preview.view.verticalScrollBar().maximum() < tall)  # the pages got smaller
    for _ in range(len(ZOOM_STEPS)):
        preview.zoom_out_button.click()
    assert preview.view.zoomFactor() == ZOOM_STEPS[0]
    assert preview.zoom_label.text() == "25%"
    assert not preview.zoom_out_button.isEnabled() and preview.zoom_in_button.isEnabled()


def test_ctrl_keys_zoom_inside_the_preview_and_leave_the_window_its_own_elsewhere(qtbot, shown):
    preview = shown.preview
    fitted = preview.zoom_percent()
    preview.view.setFocus()
    qtbot.waitUntil(preview.view.hasFocus)
    qtbot.keyClick(preview.view, Qt.Key.Key_Plus, CTRL)
    assert preview.view.zoomFactor() == next_zoom(fitted / 100, 1)
    qtbot.keyClick(preview.view, Qt.Key.Key_Equal, CTRL)
    assert preview.view.zoomFactor() == next_zoom(next_zoom(fitted / 100, 1), 1)
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, CTRL)
    assert preview.view.zoomFactor() == next_zoom(fitted / 100, 1)
    qtbot.keyClick(preview.view, Qt.Key.Key_0, CTRL)
    assert preview.fit_button.isChecked() and preview.zoom_percent() == fitted
    assert shown.text_bigger == []  # the window's Ctrl++ did not fire while the preview had the focus

    shown.box.setFocus()
    qtbot.waitUntil(shown.box.hasFocus)
    qtbot.keyClick(shown.box, Qt.Key.Key_Plus, CTRL)
    assert shown.text_bigger == [1]
    assert preview.fit_button.isChecked()


def test_the_fitted_percent_follows_the_width(qtbot, shown):
    preview = shown.preview
    before = preview.zoom_percent()
    shown.resize(800, 700)
    qtbot.waitUntil(lambda: preview.zoom_percent() > before)
    assert preview.zoom_label.text() == f"{preview.zoom_percent()}%"
    assert abs(preview.zoom_percent() - _fitted_percent(preview)) <= 1


def test_in_prints_the_bytes_shown_or_the_pages_own_action(shown, monkeypatch):
    preview = shown.preview
    calls = []
    monkeypatch.setattr(printing, "print_pdf", lambda parent, data, *, title: calls.append((parent, data, title)))
    preview.print_button.click()
    assert calls == [(preview, PDF, "Biên bản (xem trước)")]

    own = []
    preview.set_print_handler(lambda: own.append(True))
    preview.print_button.click()
    assert own == [True] and len(calls) == 1
    preview.set_print_handler(None)

    preview.clear()
    assert preview.shown_pdf() is None and not preview.print_button.isEnabled()
    assert preview.print_shown() is False and len(calls) == 1


def test_a_page_with_its_own_in_button_hides_the_previews(qtbot):
    for shown_first in (False, True):  # before or after the zoom bar exists
        preview = PdfPreview()
        qtbot.addWidget(preview)
        if shown_first:
            preview.show_pdf(PDF, "Nghị quyết")
        own = []
        preview.set_print_handler(lambda: own.append(True), own_button=False)
        preview.show_pdf(PDF, "Nghị quyết")
        preview.show()
        qtbot.waitExposed(preview)
        assert not preview.print_button.isVisible()
        assert preview.print_shown() is True and own == [True]
