"""Hướng dẫn: the built-in guide, one small HTML page per part of the program, beside a list of topics."""
from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.i18n import _
from ui.dialogs import settings

# The area a window passes to show_help → its page in resources/help/, in the order of the topic list.
PAGES = {
    "overview": "tong-quan.html",
    "monthly": "viec-hang-thang.html",
    "roster": "dang-vien.html",
    "meetings": "sinh-hoat.html",
    "fees": "dang-phi.html",
    "safety": "an-toan.html",
    "review": "danh-gia.html",
    "reports": "bao-cao.html",
    "forms": "bieu-mau.html",
    "reminders": "nhac-viec.html",
    "superior": "tong-hop.html",
}
DEFAULT_AREA = "overview"
_AREA_OF_PAGE = {page: area for area, page in PAGES.items()}
_AreaRole = Qt.ItemDataRole.UserRole + 1
_GEOMETRY_KEY = "geometry/HelpWindow"


def page_path(area: str) -> Path:
    return paths.help_dir() / PAGES.get(area, PAGES[DEFAULT_AREA])


def page_html(area: str) -> str:
    try:
        return page_path(area).read_text(encoding="utf-8")
    except OSError:
        # A bundle built without resources/help still opens the window, and says what is missing.
        return "<h1>{}</h1><p>{}</p>".format(
            _("Hướng dẫn"), _("Không tìm thấy trang hướng dẫn {file}.").format(file=page_path(area).name))


def first_heading(document: QTextDocument) -> str:
    """The page's title: the text of its first <h1>."""
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == 1:
            return block.text().strip()
        block = block.next()
    return ""


def style_sheet(font: QFont) -> str:
    """Sizes as factors of the base font, so the guide grows with the program's text size. A generous
    line height keeps the stacked marks of Ấ, Ễ, Ộ clear of the line above."""
    points = font.pointSizeF()
    line = QFontMetrics(font).height()
    return (
        f"p, li, td, th {{ line-height: 145%; }}"
        f"p, ol, ul, table {{ margin-top: 0px; margin-bottom: {round(line * 0.6)}px; }}"
        f"li {{ margin-bottom: {round(line * 0.25)}px; }}"
        f"h1 {{ font-size: {points * 1.6:.1f}pt; font-weight: bold; line-height: 130%;"
        f" margin-top: {round(line * 0.3)}px; margin-bottom: {round(line * 0.6)}px; }}"
        f"h2 {{ font-size: {points * 1.25:.1f}pt; font-weight: bold; line-height: 130%;"
        f" margin-top: {round(line * 1.0)}px; margin-bottom: {round(line * 0.4)}px; }}"
        f"kbd {{ font-family: '{font.family()}'; font-weight: bold; background-color: #ececec; }}"
        "a { color: #0b4f9c; }"
        "table { border-collapse: collapse; }"
        f"th, td {{ border: 1px solid #b0b0b0; padding: {round(line * 0.2)}px {round(line * 0.4)}px; }}"
        "th { background-color: #f0f0f0; text-align: left; }"
    )


class HelpWindow(QDialog):
    """The guide: topics on the left, the page on the right; links move between pages, Esc closes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Hướng dẫn sử dụng"))
        self._area = DEFAULT_AREA
        self._ready = False
        self.topics = QListWidget()
        self.topics.setSpacing(2)
        self.topics.setStyleSheet("QListWidget { outline: 0; } QListWidget::item { padding: 6px 10px; }")
        self.browser = QTextBrowser()
        # Links are followed here, not by the browser, so the topic list always shows the page read.
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Đóng"))
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.topics)
        row.addWidget(self.browser, 1)
        column = QVBoxLayout(self)
        column.addLayout(row, 1)
        column.addWidget(buttons)
        self._fill_topics()
        self.topics.currentRowChanged.connect(lambda row: self.show_area(self.topics.item(row).data(_AreaRole)))
        self.apply_font()
        self._place()
        self._ready = True

    def _fill_topics(self) -> None:
        for area in PAGES:
            document = QTextDocument()
            document.setHtml(page_html(area))
            item = QListWidgetItem(first_heading(document) or _("Hướng dẫn"))
            item.setData(_AreaRole, area)
            self.topics.addItem(item)

    def _place(self) -> None:
        if settings().contains(_GEOMETRY_KEY) and self.restoreGeometry(settings().value(_GEOMETRY_KEY)):
            return
        # About 80 characters of text beside the topics, within a 1366×768 laptop screen.
        screen = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        width = self.topics.width() + self.fontMetrics().averageCharWidth() * 80
        self.resize(min(width, screen.width() - 40), min(round(screen.height() * 0.9), screen.height() - 40))

    def area(self) -> str:
        return self._area

    def title(self) -> str:
        return first_heading(self.browser.document())

    def show_area(self, area: str) -> None:
        """Show the page of an area; an unknown area shows the overview."""
        self._area = area if area in PAGES else DEFAULT_AREA
        self.browser.setHtml(page_html(self._area))
        row = list(PAGES).index(self._area)
        if self.topics.currentRow() != row:
            self.topics.blockSignals(True)
            self.topics.setCurrentRow(row)
            self.topics.blockSignals(False)

    def _follow(self, url: QUrl) -> None:
        area = _AREA_OF_PAGE.get(Path(url.path()).name)
        if area is not None:
            self.show_area(area)

    def apply_font(self) -> None:
        """Read the application font again and draw the page at that size."""
        font = QApplication.font()
        document = self.browser.document()
        document.setDefaultFont(font)
        document.setDefaultStyleSheet(style_sheet(font))
        document.setDocumentMargin(QFontMetrics(font).height() * 0.8)
        topic_font = QFont(font)
        topic_font.setPointSizeF(font.pointSizeF() * 1.1)
        self.topics.setFont(topic_font)
        metrics = QFontMetrics(topic_font)
        widest = max(metrics.horizontalAdvance(self.topics.item(i).text()) for i in range(self.topics.count()))
        self.topics.setFixedWidth(widest + metrics.averageCharWidth() * 6)
        # The style sheet is read when a page is parsed: parse the page again.
        self.show_area(self._area)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The program's text size changes the application font while the guide may be open; Qt tells
        # every widget without a font of its own (the topic list has one, set in apply_font).
        if event.type() == QEvent.Type.FontChange and self._ready:
            self.apply_font()

    def hideEvent(self, event) -> None:
        settings().setValue(_GEOMETRY_KEY, self.saveGeometry())
        super().hideEvent(event)


_window: HelpWindow | None = None


def show_help(parent: QWidget | None, area: str) -> HelpWindow:
    """Open the guide on an area's page ("roster", "meetings", "fees", …), reusing the one window."""
    global _window
    if _window is None or not shiboken6.isValid(_window):
        _window = HelpWindow(parent)
    else:
        _window.apply_font()
    _window.show_area(area)
    _window.show()
    _window.raise_()
    _window.activateWindow()
    # The page has the keyboard: arrows and Page Down read on, Esc closes.
    _window.browser.setFocus()
    return _window
