"""A PDF shown inside the program (QtPdf), with a button to save it; the form is rendered by app.reports."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.i18n import _


def _qtpdf():
    """QtPdf comes with PySide6-Addons, an optional extra; without it the forms are still saved as PDF.
    Loaded on the first preview, so it costs nothing at start-up."""
    try:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView
    except ImportError:  # pragma: no cover - depends on the installation
        return None, None
    return QPdfDocument, QPdfView


class PdfPreview(QWidget):
    """Shows PDF bytes page after page; keeps the buffer alive as long as the document reads it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(_("Chọn «Xem biên bản», «Xem nghị quyết» hoặc «Sổ điểm danh năm» để xem trước."))
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self._buffer: QBuffer | None = None
        self.document = self.view = None
        self._missing: QLabel | None = None

    def _ensure_view(self) -> bool:
        if self.view is not None:
            return True
        document_class, view_class = _qtpdf()
        if view_class is None:
            if self._missing is None:
                self._missing = QLabel(_("Máy này chưa có phần xem PDF (PySide6-Addons); vẫn lưu được tệp PDF để "
                                         "mở bằng chương trình khác."))
                self.layout().addWidget(self._missing)
            return False
        self.document = document_class(self)
        self.view = view_class(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(view_class.PageMode.MultiPage)
        self.view.setZoomMode(view_class.ZoomMode.FitToWidth)
        self.layout().addWidget(self.view, 1)
        return True

    def show_pdf(self, data: bytes, caption: str) -> int:
        """Load the PDF; returns its page count (0 when it cannot be shown)."""
        self.caption.setText(caption)
        if not self._ensure_view():
            return 0
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        return self.document.pageCount()

    def clear(self) -> None:
        if self.document is not None:
            self.document.close()

