"""Printing straight to a printer: every PDF page on its own A4 sheet, range and copies honoured, Vietnamese dialog.

The printer here is Qt's PDF printer writing to a temporary file, read back with pdfinfo (poppler)
and QtPdf.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtGui import QColor, QPageSize  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QPushButton, QWidget  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from conftest_ui import qapp, run_modals  # noqa: E402,F401
from ui import printing  # noqa: E402

needs_qtpdf = pytest.mark.skipif(printing.pdf_document_class() is None,
                                 reason="QtPdf (PySide6-Addons) is not installed")
A4_POINTS = (595.3, 841.9)


def _source_pdf() -> bytes:
    """Three pages: a portrait page with a black block at its top left, a landscape page with a black
    band along its top edge, and a blank portrait page."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    pdf.rect(0, height - 200, 200, 200, stroke=0, fill=1)
    pdf.showPage()
    pdf.setPageSize(landscape(A4))
    pdf.rect(0, A4[0] - 60, A4[1], 60, stroke=0, fill=1)
    pdf.showPage()
    pdf.setPageSize(A4)
    pdf.drawString(100, 100, "3")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setResolution(100)  # enough to see where the ink is, and quick
    return printer


def _page_sizes(path: Path) -> list[tuple[float, float]]:
    """Each page's size in points, from pdfinfo."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    text = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", text)]


def _ink_box(path: Path, index: int) -> tuple[float, float, float, float] | None:
    """Where a page of the printed PDF has dark pixels, as fractions of the sheet (left, top, right, bottom)."""
    document = printing.open_pdf(path.read_bytes())
    image = document.render(index, QSize(120, 170))
    dark = [(x, y) for y in range(image.height()) for x in range(image.width())
            if QColor.fromRgba(image.pixel(x, y)).alpha() > 128 and QColor.fromRgba(image.pixel(x, y)).value() < 100]
    if not dark:
        return None
    xs, ys = [x for x, _y in dark], [y for _x, y in dark]
    return (min(xs) / image.width(), min(ys) / image.height(), (max(xs) + 1) / image.width(),
            (max(ys) + 1) / image.height())


@needs_qtpdf
def test_each_pdf_page_goes_on_its_own_a4_sheet(qapp, tmp_path):
    out = tmp_path / "printed.pdf"
    assert printing.render_pdf_to_printer(_pdf_printer(out), _source_pdf()) == 3
    sizes = _page_sizes(out)
    assert len(sizes) == 3
    assert all(abs(w - A4_POINTS[0]) < 1 and abs(h - A4_POINTS[1]) < 1 for w, h in sizes), sizes


@needs_qtpdf
def test_pages_are_scaled_to_the_printable_area_and_a_landscape_page_is_turned(qapp, tmp_path):
    out = tmp_path / "printed.pdf"
    printing.render_pdf_to_printer(_pdf_printer(out), _source_pdf())
    # Page 1: the 200-point block stays at the top left, about a third of the sheet wide.
    left, top, right, bottom = _ink_box(out, 0)
    assert left < 0.1 and top < 0.1 and 0.25 < right < 0.4 and 0.15 < bottom < 0.3
    # Page 2: the band along the landscape page's top edge runs down the left side of the portrait
    # sheet, the full height of it: the page was turned and fills the sheet.
    left, top, right, bottom = _ink_box(out, 1)
    assert left < 0.1 and right < 0.15 and bottom - top > 0.85
    assert printing.open_pdf(out.read_bytes()).pageCount() == 3


@needs_qtpdf
def test_the_chosen_page_range_and_copies_are_printed(qapp, tmp_path):
    ranged = _pdf_printer(tmp_path / "range.pdf")
    ranged.setPrintRange(QPrinter.PrintRange.PageRange)
    ranged.setFromTo(2, 3)
    assert printing.render_pdf_to_printer(ranged, _source_pdf()) == 2
    assert len(_page_sizes(tmp_path / "range.pdf")) == 2
    assert _ink_box(tmp_path / "range.pdf", 0)[3] > 0.85  # the turned landscape page comes first

    copies = _pdf_printer(tmp_path / "copies.pdf")
    copies.setCopyCount(2)
    copies.setCollateCopies(False)
    if copies.supportsMultipleCopies():
        pytest.skip("this printer makes its copies itself")
    assert printing.pages_to_print(copies, 3) == [0, 0, 1, 1, 2, 2]
    copies.setCollateCopies(True)
    assert printing.pages_to_print(copies, 3) == [0, 1, 2, 0, 1, 2]
    assert printing.render_pdf_to_printer(copies, _source_pdf()) == 6
    assert len(_page_sizes(tmp_path / "copies.pdf")) == 6


@needs_qtpdf
def test_an_unreadable_pdf_is_a_vietnamese_error(qapp, tmp_path):
    with pytest.raises(printing.PrintError, match="Không đọc được tệp PDF"):
        printing.render_pdf_to_printer(_pdf_printer(tmp_path / "x.pdf"), b"not a pdf")


def _choose_pdf_file_and_print(target: Path):
    def step(dialog: QWidget) -> None:
        assert dialog.windowTitle() == "In Biên bản sinh hoạt"
        printers = dialog.findChild(QComboBox, "printers")
        printers.setCurrentIndex(printers.findText("In ra tệp (PDF)"))
        dialog.findChild(QLineEdit, "filename").setText(str(target))
        next(b for b in dialog.findChildren(QPushButton) if b.text() == "&In").click()
    return step


@needs_qtpdf
def test_print_pdf_asks_qts_dialog_then_prints_every_page(qtbot, tmp_path):
    target = tmp_path / "ra-may-in.pdf"
    done: list[int] = []
    started = []
    run_modals(qtbot, lambda: started.append(printing.print_pdf(None, _source_pdf(), title="Biên bản sinh hoạt",
                                                                on_done=done.append)),
               _choose_pdf_file_and_print(target))
    assert started == [True]
    qtbot.waitUntil(lambda: done == [3], timeout=30000)
    assert len(_page_sizes(target)) == 3


@needs_qtpdf
def test_cancelling_the_print_dialog_prints_nothing(qtbot, tmp_path):
    started = []
    run_modals(qtbot, lambda: started.append(printing.print_pdf(None, _source_pdf(), title="Biên bản sinh hoạt")),
               lambda dialog: next(b for b in dialog.findChildren(QPushButton) if b.text() == "Hủy").click())
    assert started == [False]


def test_without_qtpdf_the_secretary_is_told_in_vietnamese(qtbot, monkeypatch):
    monkeypatch.setattr(printing, "pdf_document_class", lambda: None)
    seen: list[str] = []

    def read_message(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    started = []
    run_modals(qtbot, lambda: started.append(printing.print_pdf(None, b"%PDF-1.4", title="Nghị quyết")),
               read_message)
    assert started == [False]
    assert "PySide6-Addons" in seen[0] and "lưu tệp PDF" in seen[0]
