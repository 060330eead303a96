"""Printing a form straight to the office printer: Qt's print dialog, then each PDF page drawn through QtPdf.

The forms are PDF bytes from app.reports. Qt cannot send a PDF to a printer as it is, so each page
is rendered to an image at the printer's resolution, up to MAX_RENDER_DPI (QPdfDocument.render), and
painted on its own sheet, scaled to the printable area with its proportions kept; a landscape page is
turned (its top to the left) to fill a portrait sheet. QtPdf comes with PySide6-Addons, an optional
extra: without it the program says so and the secretary saves the PDF instead.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from app.i18n import _
from app.services.errors import ServiceError
from ui.dialogs import show_error
from ui.tasks import run_task

# An A4 page at 600 dpi is a 4960 × 7016 image (139 MB); at the 1200 dpi some drivers report it would
# be four times that for no visible gain on a form, so rendering stops at 600.
MAX_RENDER_DPI = 600
POINTS_PER_INCH = 72


class PrintError(ServiceError):
    """The PDF could not be read or the printer could not be opened; the message is Vietnamese."""


def pdf_document_class():
    """QPdfDocument, or None when QtPdf (PySide6-Addons) is not installed."""
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError:  # pragma: no cover - depends on the installation
        return None
    return QPdfDocument


def missing_qtpdf_message() -> str:
    return _("Máy này chưa có phần đọc PDF của Qt (gói PySide6-Addons) nên chưa in thẳng ra máy in được. "
             "Hãy lưu tệp PDF rồi mở bằng một chương trình xem PDF để in.")


def open_pdf(pdf_bytes: bytes):
    """The PDF as a QPdfDocument, with the buffer it reads from kept on it; PrintError if unreadable."""
    document_class = pdf_document_class()
    if document_class is None:
        raise PrintError(missing_qtpdf_message())
    document = document_class()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf_bytes))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != document_class.Status.Ready or document.pageCount() < 1:
        raise PrintError(_("Không đọc được tệp PDF để in."))
    return document


def pages_to_print(printer: QPrinter, page_count: int) -> list[int]:
    """Page indexes (from 0) in the order they go to paper: the range chosen in the dialog, and
    the copies repeated here when the printer cannot make copies itself."""
    pages = list(range(page_count))
    if printer.printRange() == QPrinter.PrintRange.PageRange and not printer.pageRanges().isEmpty():
        ranges = printer.pageRanges()
        pages = [i for i in pages if ranges.contains(i + 1)]
    copies = printer.copyCount()
    if copies <= 1 or printer.supportsMultipleCopies():
        return pages
    if printer.collateCopies():
        return pages * copies
    return [i for i in pages for _copy in range(copies)]


def render_pdf_to_printer(printer: QPrinter, pdf_bytes: bytes) -> int:
    """Paint the PDF on the printer, one page a sheet; returns the number of sheets. Safe off the GUI
    thread (QPainter may paint on a QPrinter there; the QPdfDocument is made here)."""
    document = open_pdf(pdf_bytes)
    try:
        pages = pages_to_print(printer, document.pageCount())
        painter = QPainter()
        if not pages or not painter.begin(printer):
            raise PrintError(_("Không mở được máy in {name}.").format(name=printer.printerName() or "PDF"))
        try:
            for sheet, index in enumerate(pages):
                if sheet and not printer.newPage():
                    raise PrintError(_("Máy in dừng ở trang {page}.").format(page=index + 1))
                _paint_page(painter, printer, document, index)
        finally:
            painter.end()
        return len(pages)
    finally:
        document.close()


def _paint_page(painter: QPainter, printer: QPrinter, document, index: int) -> None:
    area = QSizeF(printer.width(), printer.height())  # the printable area, in printer dots
    page = document.pagePointSize(index)
    turn = (page.width() > page.height()) != (area.width() > area.height())
    fitted = QSizeF(page.height(), page.width()) if turn else QSizeF(page)
    fitted.scale(area, Qt.AspectRatioMode.KeepAspectRatio)  # the sheet's orientation
    dpi = min(printer.resolution(), MAX_RENDER_DPI)
    drawn = QSizeF(fitted.height(), fitted.width()) if turn else fitted  # the page's, before turning
    image = document.render(index, QSize(round(drawn.width() * dpi / printer.resolution()),
                                         round(drawn.height() * dpi / printer.resolution())))
    painter.save()
    painter.translate(area.width() / 2, area.height() / 2)
    if turn:
        painter.rotate(-90)  # the landscape page's top edge on the sheet's left, as printers turn it
    painter.drawImage(QRectF(QPointF(-drawn.width() / 2, -drawn.height() / 2), drawn), image)
    painter.restore()


def print_pdf(parent: QWidget | None, pdf_bytes: bytes, *, title: str,
              on_done: Callable[[int], None] | None = None) -> bool:
    """Ask Qt's print dialog (A4, page range, copies), then print the PDF off the GUI thread.

    Returns True when the secretary pressed In and printing has started; False when she cancelled or
    it cannot start (QtPdf missing, unreadable PDF: a Vietnamese message says which). `title` names
    the print job and the dialog ("Biên bản sinh hoạt 05/12/2026"). on_done(sheets) runs on the GUI
    thread when every sheet has gone to the printer; a failure there is shown as a message.
    """
    try:
        page_count = open_pdf(pdf_bytes).pageCount()
    except PrintError as exc:
        show_error(parent, str(exc), _("Chưa in được"))
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setDocName(title)
    dialog = print_dialog(printer, parent, title=title, page_count=page_count)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    finally:
        dialog.deleteLater()
    # The lambda keeps the printer alive until the job has painted its last sheet.
    run_task(parent, _("Đang in {title}…").format(title=title), lambda: render_pdf_to_printer(printer, pdf_bytes),
             on_done or (lambda _sheets: None))
    return True


def print_dialog(printer: QPrinter, parent: QWidget | None, *, title: str, page_count: int) -> QPrintDialog:
    """Qt's print dialog for a document of page_count pages: page range and copies, no selection."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("In {title}").format(title=title))
    option = QAbstractPrintDialog.PrintDialogOption
    for which, on in ((option.PrintToFile, True), (option.PrintPageRange, True), (option.PrintCollateCopies, True),
                      (option.PrintSelection, False), (option.PrintCurrentPage, False)):
        dialog.setOption(which, on)
    dialog.setMinMax(1, page_count)
    return dialog
