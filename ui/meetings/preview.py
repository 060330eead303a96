"""A PDF shown inside the program (QtPdf) with zoom and In…; the form itself is rendered by app.reports."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import _
from ui.widgets import text_width

# The zoom levels + and − step through, as browsers and PDF viewers do.
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)


def _qtpdf():
    """QtPdf comes with PySide6-Addons, an optional extra; without it the forms are still saved as PDF.
    Loaded on the first preview, so it costs nothing at start-up."""
    try:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView
    except ImportError:  # pragma: no cover - depends on the installation
        return None, None
    return QPdfDocument, QPdfView


def next_zoom(factor: float, direction: int) -> float:
    """The zoom step after factor going up (direction 1) or down (-1); the last one stays."""
    if direction > 0:
        return next((z for z in ZOOM_STEPS if z > factor * 1.001), ZOOM_STEPS[-1])
    return next((z for z in reversed(ZOOM_STEPS) if z < factor * 0.999), ZOOM_STEPS[0])


class PdfPreview(QWidget):
    """Shows PDF bytes page after page, fitted to the width until the secretary zooms.

    show_pdf(data, caption) loads a PDF (the bytes are kept: shown_pdf()); clear() empties it. Above
    the pages: «Vừa chiều rộng», «−», «+», the zoom in percent and «In…», with Ctrl++ / Ctrl+- /
    Ctrl+0 while the focus is in the preview (there they win over the window's own Ctrl++ / Ctrl+-).
    «In…» prints the bytes shown through ui.printing; a page whose paper must differ from its
    preview (a document number given on printing) passes its own action to set_print_handler.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(_("Chọn «Xem biên bản», «Xem nghị quyết» hoặc «Sổ điểm danh năm» để xem trước."))
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self._buffer: QBuffer | None = None
        self._data: bytes | None = None
        self._title = ""
        self._print_handler: Callable[[], None] | None = None
        self._own_print_button = True
        self.document = self.view = None
        self._missing: QLabel | None = None

    # --- the view, built on the first PDF ---------------------------------------------------------
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
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.layout().addLayout(self._build_zoom_bar())
        self.layout().addWidget(self.view, 1)
        self.view.zoomModeChanged.connect(self._zoom_changed)
        self.view.zoomFactorChanged.connect(self._zoom_changed)
        self.view.pageNavigator().currentPageChanged.connect(self._zoom_changed)
        for widget in (self.view, self.view.viewport(), self.fit_button, self.zoom_out_button, self.zoom_in_button,
                       self.print_button):
            widget.installEventFilter(self)  # zoom keys, and the viewport's width
        return True

    def _build_zoom_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.fit_button = QPushButton(_("Vừa chiều rộng"))
        self.fit_button.setCheckable(True)
        self.zoom_out_button = QPushButton("−")
        self.zoom_in_button = QPushButton("+")
        self.zoom_label = QLabel()
        self.print_button = QPushButton(_("In…"))
        for button, slot, tip in ((self.fit_button, self.fit_width, _("Vừa chiều rộng (Ctrl+0)")),
                                  (self.zoom_out_button, self.zoom_out, _("Thu nhỏ (Ctrl+-)")),
                                  (self.zoom_in_button, self.zoom_in, _("Phóng to (Ctrl++)")),
                                  (self.print_button, self.print_shown, _("In tài liệu đang xem ra máy in"))):
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            button.setToolTip(tip)
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setMaximumWidth(text_width(button, 6))
        self.zoom_label.setMinimumWidth(text_width(self.zoom_label, 5))
        for widget in (self.fit_button, self.zoom_out_button, self.zoom_in_button, self.zoom_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        self.print_button.setVisible(self._own_print_button)
        return bar

    def _zoom_key(self, event: QEvent) -> Callable[[], None] | None:
        """The zoom action of Ctrl++ (or Ctrl+=), Ctrl+- and Ctrl+0, keypad included; None for other keys."""
        modifiers = event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
        if modifiers != Qt.KeyboardModifier.ControlModifier:
            return None
        actions = {Qt.Key.Key_Plus: self.zoom_in, Qt.Key.Key_Equal: self.zoom_in, Qt.Key.Key_Minus: self.zoom_out,
                   Qt.Key.Key_0: self.fit_width}
        return next((action for key, action in actions.items() if int(key.value) == int(event.key())), None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and self.view is not None and watched is self.view.viewport():
            self._zoom_changed()  # the fitted zoom follows the width
        elif kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and self._zoom_key(event) is not None:
            # Claiming the key before the shortcuts see it: inside the preview Ctrl++ zooms the paper,
            # elsewhere it stays the window's «Chữ to hơn».
            event.accept()
            if kind == QEvent.Type.KeyPress:
                self._zoom_key(event)()
            return True
        return super().eventFilter(watched, event)

    # --- zoom -------------------------------------------------------------------------------------
    def zoom_percent(self) -> int:
        """The zoom as the label shows it; fitted to the width, the size QPdfView gives the current page."""
        return round(self._effective_zoom() * 100)

    def _effective_zoom(self) -> float:
        if self.view is None:
            return 1.0
        if self.view.zoomMode() != type(self.view).ZoomMode.FitToWidth or self.document.pageCount() == 0:
            return self.view.zoomFactor()
        # QPdfView fits each page: (viewport width − side margins) / page width at 100 %.
        page = self.document.pagePointSize(max(self.view.pageNavigator().currentPage(), 0))
        dots_per_point = QGuiApplication.primaryScreen().logicalDotsPerInch() / 72
        margins = self.view.documentMargins()
        width = self.view.viewport().width() - margins.left() - margins.right()
        return width / (page.width() * dots_per_point) if page.width() > 0 else 1.0

    def zoom_in(self) -> None:
        self._set_zoom(next_zoom(self._effective_zoom(), 1))

    def zoom_out(self) -> None:
        self._set_zoom(next_zoom(self._effective_zoom(), -1))

    def fit_width(self) -> None:
        if self.view is not None:
            self.view.setZoomMode(type(self.view).ZoomMode.FitToWidth)
            self._zoom_changed()

    def _set_zoom(self, factor: float) -> None:
        if self.view is None:
            return
        self.view.setZoomMode(type(self.view).ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        self._zoom_changed()

    def _zoom_changed(self, *_args) -> None:
        fitted = self.view.zoomMode() == type(self.view).ZoomMode.FitToWidth
        self.fit_button.setChecked(fitted)
        self.zoom_label.setText(f"{self.zoom_percent()}%")
        self.zoom_in_button.setEnabled(self._effective_zoom() < ZOOM_STEPS[-1] * 0.999)
        self.zoom_out_button.setEnabled(self._effective_zoom() > ZOOM_STEPS[0] * 1.001)

    # --- the document -----------------------------------------------------------------------------
    def show_pdf(self, data: bytes, caption: str, *, title: str | None = None) -> int:
        """Load the PDF; returns its page count (0 when it cannot be shown). `title` names a print job
        from «In…» (the caption by default)."""
        self.caption.setText(caption)
        self._data, self._title = bytes(data), title or caption
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
        self.print_button.setEnabled(self.document.pageCount() > 0)
        self._zoom_changed()
        return self.document.pageCount()

    def shown_pdf(self) -> bytes | None:
        """The bytes of the PDF on screen, None when nothing is shown."""
        return self._data

    def clear(self) -> None:
        self._data = None
        if self.document is not None:
            self.document.close()
            self.print_button.setEnabled(False)

    # --- printing ---------------------------------------------------------------------------------
    def set_print_handler(self, handler: Callable[[], None] | None, *, own_button: bool = True) -> None:
        """What «In…» does instead of printing the bytes shown; None goes back to printing them.
        own_button=False: the page has its own «In…» beside its other buttons, so the zoom bar shows none."""
        self._print_handler = handler
        self._own_print_button = own_button
        if self.view is not None:  # the zoom bar is built with the view, on the first PDF
            self.print_button.setVisible(own_button)

    def print_shown(self) -> bool:
        """«In…»: Qt's print dialog for the PDF shown (or the page's own print action)."""
        if self._print_handler is not None:
            self._print_handler()
            return True
        if self._data is None:
            return False
        from ui.printing import print_pdf

        return print_pdf(self, self._data, title=self._title)
