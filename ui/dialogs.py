"""The base of every dialog (Lưu/Hủy, remembered size, red messages under the fields) and message boxes."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_date
from app.domain.members import Issue, field_label
from app.i18n import _

QWIDGETSIZE_MAX = (1 << 24) - 1
ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "background: #fff4c2; color: #5c4400; border: 1px solid #e0c060; padding: 6px;"


def settings() -> QSettings:
    return QSettings("chibo", "chibo")


def red_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class BaseDialog(QDialog):
    """Modal dialog with Lưu/Hủy; subclasses build fields with add_field and implement save() -> bool."""

    settings_key = ""

    def __init__(self, title: str, parent: QWidget | None = None, ok_text: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._field_errors: dict[str, QLabel] = {}
        self._field_labels: dict[str, str] = {}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setText(ok_text or _("Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Hủy"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Messages that belong to no field, and the reminder that a long form has red notes to read.
        self.general_error = red_label()
        self.layout_ = QVBoxLayout(self)

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def finish_layout(self) -> None:
        """Put the general message and the buttons last, then restore the saved size."""
        self.layout_.addWidget(self.general_error)
        self.layout_.addWidget(self.buttons)
        if settings().contains(self._geometry_key()):
            self.restoreGeometry(settings().value(self._geometry_key()))

    def add_field(self, form: QFormLayout, name: str, widget: QWidget, label: str | None = None) -> QWidget:
        """A form row whose red message sits right under its widget."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        # A widget with a maximum width (a date) would be centred in its row; keep it under its neighbours.
        short = widget.maximumWidth() < QWIDGETSIZE_MAX
        column.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft if short else Qt.AlignmentFlag(0))
        error = red_label()
        column.addWidget(error)
        self._field_errors[name] = error
        self._field_labels[name] = label if label is not None else field_label(name)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        caption = QLabel(self._field_labels[name])
        caption.setBuddy(widget)
        form.addRow(caption, box)
        return widget

    def clear_issues(self) -> None:
        for label in (*self._field_errors.values(), self.general_error):
            label.clear()
            label.hide()

    def show_issues(self, issues: list[Issue]) -> None:
        self.clear_issues()
        loose = []
        for issue in issues:
            label = self._field_errors.get(issue.field)
            if label is None:
                loose.append(str(issue))
                continue
            text = f"{self._field_labels[issue.field]}: {issue.message}"
            label.setText(f"{label.text()}\n{text}" if label.text() else text)
            label.show()
        if len(issues) > len(loose):
            loose.insert(0, _("Chưa lưu được: xin sửa những chỗ có chữ đỏ."))
        self.show_general_error("\n".join(loose))

    def show_general_error(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.setVisible(bool(text))

    def read_field(self, name: str, text: str, parse, issues: list[Issue], missing: str = "", bad: str = ""):
        """What parse makes of a typed field, or None; an empty required field (missing says so) or a bad
        value (bad, with {text}; else the parser's own message) adds an issue naming the field."""
        if not text.strip():
            if missing:
                issues.append(Issue(name, missing))
            return None
        try:
            return parse(text)
        except ValueError as exc:
            issues.append(Issue(name, bad.format(text=text.strip()) if bad else str(exc)))
            return None

    def read_date(self, name: str, text: str, issues: list[Issue]):
        return self.read_field(name, text, parse_date, issues, bad=_(
            "«{text}» không phải ngày hợp lệ; hãy gõ ngày/tháng/năm, ví dụ 05/02/1980."))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # On a small screen Qt narrows a dialog below the width its wrapped text was measured at;
        # grow it so no line of a message is cut off.
        needed = self.layout_.totalHeightForWidth(self.width()) if self.layout_.hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def accept(self) -> None:
        if self.save():
            super().accept()

    def perform(self, fn):
        """Run a service call through the window's one runner: its field issues land next to the fields,
        other errors in one box, and every page hears what changed. The Outcome, or None on failure."""
        from ui.ops import run_op

        self.clear_issues()
        return run_op(self, fn, issues_to=self, source=self)

    def save(self) -> bool:
        return True

    def done(self, result: int) -> None:
        settings().setValue(self._geometry_key(), self.saveGeometry())
        super().done(result)

    def _geometry_key(self) -> str:
        return f"geometry/{self.settings_key or type(self).__name__}"


def _message(parent, icon, title: str, text: str, buttons, texts: dict) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    # Qt ships no Vietnamese catalogue, so its own button words are replaced here.
    for button, label in texts.items():
        box.button(button).setText(label)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def show_error(parent, text: str, title: str | None = None) -> None:
    ok = QMessageBox.StandardButton.Ok
    _message(parent, QMessageBox.Icon.Warning, title or _("Không thực hiện được"), text, ok,
             {ok: _("Đóng")}).exec()


def show_info(parent, text: str, title: str | None = None) -> None:
    ok = QMessageBox.StandardButton.Ok
    _message(parent, QMessageBox.Icon.Information, title or _("Thông báo"), text, ok, {ok: _("Đóng")}).exec()


def confirm(parent, text: str, title: str, yes_text: str) -> bool:
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = _message(parent, QMessageBox.Icon.Question, title, text, yes | no, {yes: yes_text, no: _("Hủy")})
    box.setDefaultButton(no)
    return box.exec() == yes
