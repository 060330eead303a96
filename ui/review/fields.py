"""The widgets of the member's review form: a grade chooser, a yes/no/not-said chooser, text boxes, and a column
of fields each with its red message underneath; every widget reads and writes its value as text (for drafts)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.labels import field_label
from app.domain.review import GRADES_BEST_FIRST, Grade
from app.i18n import _
from ui.dialogs import QWIDGETSIZE_MAX, red_label


def caption(name: str) -> str:
    """The label of the review's field (app/domain/labels.py, key "review.<name>")."""
    return field_label(f"review.{name}")


def grade_box(empty: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.addItem(empty or _("(chưa xếp loại)"), None)
    for grade in GRADES_BEST_FIRST:
        combo.addItem(grade.label, grade.value)
    return combo


def set_grade(combo: QComboBox, grade: Grade | None) -> None:
    combo.setCurrentIndex(max(0, combo.findData(grade.value if grade else None)))


def chosen_grade(combo: QComboBox) -> Grade | None:
    value = combo.currentData()
    return Grade(value) if value else None


def yes_no_box() -> QComboBox:
    """Có / Không / chưa ghi: for a fact that may not have been said yet."""
    combo = QComboBox()
    for text, value in ((_("(chưa ghi)"), None), (_("Có"), True), (_("Không"), False)):
        combo.addItem(text, value)
    return combo


def text_box(lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    # As tall as its lines, no taller: a longer text scrolls inside, and the next fields stay in sight.
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    # Never wider than the pane: a box that asks for more width would hide its line ends.
    edit.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    return edit


def raw_of(widget: QWidget) -> str:
    """What a widget holds, as the text a draft keeps."""
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return str(widget.currentIndex())
    if isinstance(widget, QSpinBox):
        return str(widget.value())
    return "1" if widget.isChecked() else "0"


def apply_raw(widget: QWidget, text: str) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    elif isinstance(widget, QLineEdit):
        widget.setText(text)
    elif isinstance(widget, QComboBox):
        if text.isdigit() and int(text) < widget.count():
            widget.setCurrentIndex(int(text))
    elif isinstance(widget, QSpinBox):
        if text.lstrip("-").isdigit():
            widget.setValue(int(text))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(text == "1")


def change_signal(widget: QWidget):
    for name in ("textChanged", "currentIndexChanged", "valueChanged", "toggled"):
        signal = getattr(widget, name, None)
        if signal is not None:
            return signal
    return None


class FieldColumn(QWidget):
    """Fields one under another, the caption above each box (long captions never cut) and the red message
    under it; `errors` maps each field's key ("review.general_score") to its red label."""

    def __init__(self, errors: dict[str, QLabel], parent: QWidget | None = None):
        super().__init__(parent)
        self.errors = errors
        self.column = QVBoxLayout(self)
        self.form: QFormLayout | None = None

    def add(self, name: str, widget: QWidget, *, key: str | None = None, beside: bool = False) -> QWidget:
        """Caption above the widget, or beside it (beside=True, for short boxes) in a two-column form."""
        label = QLabel(caption(name))
        label.setWordWrap(True)
        label.setBuddy(widget)
        error = red_label()
        self.errors[key or f"review.{name}"] = error
        if isinstance(widget, QCheckBox):
            widget.setText(label.text())
            self._end_form()
            self.column.addWidget(widget)
            self.column.addWidget(error)
        elif beside:
            if self.form is None:
                self.form = QFormLayout()
                self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
                self.column.addLayout(self.form)
            box = QWidget()
            under = QVBoxLayout(box)
            under.setContentsMargins(0, 0, 0, 0)
            under.addWidget(widget)
            under.addWidget(error)
            self.form.addRow(label, box)
        else:
            self._end_form()
            for part in (label, widget, error):
                # A short box (a score) would be centred in the column; it sits under its caption instead.
                short = part.maximumWidth() < QWIDGETSIZE_MAX
                self.column.addWidget(part, 0, Qt.AlignmentFlag.AlignLeft if short else Qt.AlignmentFlag(0))
        return widget

    def add_widget(self, widget: QWidget) -> None:
        self._end_form()
        self.column.addWidget(widget)

    def _end_form(self) -> None:
        self.form = None

    def finish(self) -> None:
        self.column.addStretch(1)
