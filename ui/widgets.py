"""Small widgets used on several screens: the date field, page headings and the "coming later" page."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import format_date
from app.i18n import _


class DateField(QLineEdit):
    """A date typed as dd/mm/yyyy; empty is allowed. The dialog parses it with parse_date."""

    def __init__(self, value: dt.date | None = None, parent: QWidget | None = None):
        super().__init__(format_date(value), parent)
        self.setPlaceholderText(_("ngày/tháng/năm"))
        # Wide enough for the placeholder, not a whole form row: a short box says "a date goes here".
        fm = self.fontMetrics()
        self.setMaximumWidth(max(fm.horizontalAdvance(self.placeholderText()), fm.horizontalAdvance("00/00/0000")) + 40)


def shortcut_button(owner: QWidget, text: str, keys: str | None, slot) -> QPushButton:
    """A button whose shortcut works while its page is shown and is written in its tooltip."""
    button = QPushButton(text)
    button.clicked.connect(lambda _checked=False: slot())
    if keys:
        sequence = QKeySequence(keys)
        QShortcut(sequence, owner, activated=slot)
        button.setToolTip(f"{text} ({sequence.toString(QKeySequence.SequenceFormat.NativeText)})")
    return button


def text_width(widget: QWidget, chars: int) -> int:
    """Pixels for about `chars` characters of the widget's font, so sizes follow the font size."""
    return widget.fontMetrics().averageCharWidth() * chars


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setFont(scaled_font(label, 1.4, bold=True))
    label.setWordWrap(True)
    return label


class ComingSoon(QWidget):
    """A page whose work arrives in a later version, said plainly in the middle of the screen (F1: the overview)."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for text, factor, bold in (
            (title, 1.6, True),
            (description, 1.1, False),
            (_("Phần này sẽ có trong phiên bản sau. Hiện nay chương trình giữ danh sách đảng viên, sinh hoạt chi "
               "bộ, đảng phí và đánh giá, xếp loại; bấm F1 để xem hướng dẫn."), 1.0, False),
        ):
            label = QLabel(text)
            label.setFont(scaled_font(label, factor, bold))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addStretch(2)


# Fitting every row to multi-line text costs too much on a long file; short lists get it, long ones scroll.
_FIT_ROWS_UP_TO = 500


def read_only_table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    """A small read-only table for histories and previews (the roster has its own model)."""
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            # Multi-line cells (a list of changes) read from the top, level with the date beside them.
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            table.setItem(r, c, item)
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnsToContents()
    if len(rows) <= _FIT_ROWS_UP_TO:
        table.resizeRowsToContents()
    return table


def warnings_list(caption_text: str) -> tuple[QWidget, QListWidget]:
    """A page's «Cần xem lại» box: a caption over a list of warnings, three lines tall at least."""
    from ui.dialogs import WARNING_STYLE  # ui.dialogs imports this module

    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    caption = QLabel(caption_text)
    caption.setWordWrap(True)
    column.addWidget(caption)
    warnings = QListWidget()
    warnings.setStyleSheet(f"QListWidget {{ {WARNING_STYLE} }} QListWidget::item {{ padding: 2px 0; }}")
    warnings.setWordWrap(True)
    # Scrolling by pixels: a long warning wrapped over several lines is never cut in the middle.
    warnings.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    warnings.setMinimumHeight(warnings.fontMetrics().lineSpacing() * 3 + 16)
    column.addWidget(warnings, 1)
    return box, warnings
