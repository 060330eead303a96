"""The base of every dialog (Lưu/Hủy, remembered size, red messages under the fields) and message boxes."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_date
from app.domain.issues import Issue
from app.domain.labels import field_label
from app.i18n import _
from ui.widgets import DateField

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


def _value_of(widget: QWidget):
    """What a field holds now, to compare with what it held when the dialog was built."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex(), widget.currentText()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    return widget.isChecked()


def _fields_of(dialog: QWidget) -> list[QWidget]:
    """The widgets a person types or ticks in; a password is not work to keep, and a combo's own line
    edit is read through its combo."""
    found = []
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, QLineEdit):
            if widget.echoMode() != QLineEdit.EchoMode.Normal or isinstance(
                    widget.parent(), (QComboBox, QAbstractSpinBox)):
                continue
        elif isinstance(widget, QAbstractButton):
            if not widget.isCheckable():
                continue
        elif not isinstance(widget, (QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox)):
            continue
        if isinstance(widget, (QPlainTextEdit, QTextEdit)) and widget.isReadOnly():
            continue
        found.append(widget)
    return found


# An item 0 that only says "choose one": a combo showing it counts as not filled.
PLACEHOLDER_PROPERTY = "chibo_placeholder_item"


class BaseDialog(QDialog):
    """Modal dialog with Lưu/Hủy; subclasses build fields with add_field and implement save() -> bool.

    It keeps typed work: closing (Esc, the window's ×, Hủy) with a field changed asks whether to save,
    and Enter moves to the next field until the required ones are filled (Ctrl+Enter saves from anywhere).
    """

    settings_key = ""
    # The area of app/domain/labels.py the fields belong to: add_field(form, "full_name", …) in a dialog of area
    # "member" is the field "member.full_name", its caption that key's label and its issues the ones naming it.
    # A name that has its area already ("fee.amount") is kept as it is.
    area = ""
    # Names given to add_field that must be filled before Enter saves; a subclass may make it a property.
    required_fields: tuple[str, ...] = ()

    def __init__(self, title: str, parent: QWidget | None = None, ok_text: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._field_errors: dict[str, QLabel] = {}
        self._field_labels: dict[str, str] = {}
        self._field_widgets: dict[str, QWidget] = {}
        self._captions: dict[str, QLabel] = {}
        self._clean: dict[QWidget, object] = {}
        self._shown_once = False
        self._asking = False
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setText(ok_text or _("Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Hủy"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.cancel)
        # Messages that belong to no field, and the reminder that a long form has red notes to read.
        self.general_error = red_label()
        self.layout_ = QVBoxLayout(self)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._save_requested)

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def finish_layout(self) -> None:
        """Put the general message and the buttons last, then restore the saved size."""
        self.layout_.addWidget(self.general_error)
        self.layout_.addWidget(self.buttons)
        if settings().contains(self._geometry_key()):
            self.restoreGeometry(settings().value(self._geometry_key()))
        self.update_required_marks()
        self.mark_clean()

    # --- unsaved work -------------------------------------------------------------------------

    def mark_clean(self) -> None:
        """Take the fields as they are now as the saved state (after loading values into them)."""
        self._clean = {widget: _value_of(widget) for widget in _fields_of(self)}

    def has_changes(self) -> bool:
        for widget, value in self._clean.items():
            try:
                if _value_of(widget) != value:
                    return True
            except RuntimeError:  # a field removed since; what it held is gone either way
                continue
        return False

    def cancel(self) -> None:
        """Hủy and Esc: close at once when nothing changed, else ask first (reject() closes without asking,
        for code that means it)."""
        if self._may_leave():
            self.reject()

    def closeEvent(self, event) -> None:
        # The window's ×, or close(): asks like Hủy.
        if self.isVisible() and not self._may_leave():
            event.ignore()
            return
        super().closeEvent(event)

    def _may_leave(self) -> bool:
        """Whether the dialog may close now: nothing changed, or «Không lưu» chosen. «Lưu» saves and closes
        when the save succeeds; «Quay lại» stays with the focus where it was."""
        if self._asking:
            return False
        if not self.has_changes():
            return True
        focus = self.focusWidget()
        self._asking = True
        try:
            choice = self._ask_unsaved()
        finally:
            self._asking = False
        if choice == "save":
            self.accept()
            return False
        if choice == "discard":
            return True
        if focus is not None:
            self._focus_back(focus)
        return False

    def _focus_back(self, widget: QWidget) -> None:
        """The focus where it was before the question; the window takes it back first, and once more after
        Qt's own hand-over of the focus when the question closed."""
        def restore() -> None:
            self.activateWindow()
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

        restore()
        QTimer.singleShot(0, restore)

    def _ask_unsaved(self) -> str:
        """«Lưu», «Không lưu» or «Quay lại»: "save", "discard" or "back" (also for Esc on the question)."""
        ok = self.ok_button
        save_text = ok.text().replace("&", "") if ok is not None else _("Lưu")
        # A reflex Enter or Esc on the question loses nothing («Quay lại», the last, is both).
        return choose(self, _("Chưa lưu"),
                      _("Những gì vừa gõ trong cửa sổ «{title}» chưa được lưu.").format(title=self.windowTitle()),
                      [(save_text, QMessageBox.ButtonRole.AcceptRole, "save"),
                       (_("Không lưu"), QMessageBox.ButtonRole.DestructiveRole, "discard"),
                       (_("Quay lại"), QMessageBox.ButtonRole.RejectRole, "back")],
                      informative=_("Bấm «{save}» để lưu rồi đóng, «Không lưu» để đóng và bỏ những gì vừa gõ, "
                                    "«Quay lại» để sửa tiếp.").format(save=save_text),
                      # Qt keeps a question narrow and breaks a window's name in two; give its lines room.
                      min_chars=55)

    # --- Enter and the required fields ----------------------------------------------------------

    def field_key(self, name: str) -> str:
        """The key a field name of this dialog stands for: "member.full_name" for "full_name"."""
        return name if "." in name or not self.area else f"{self.area}.{name}"

    def field_widget(self, name: str) -> QWidget | None:
        return self._field_widgets.get(self.field_key(name))

    def ready_to_save(self) -> bool:
        """Whether Enter may save: every required field is filled (a date field with a real date)."""
        keys = [self.field_key(name) for name in self.required_fields]
        return all(self._filled(self._field_widgets[key]) for key in keys if key in self._field_widgets)

    @staticmethod
    def _filled(widget: QWidget) -> bool:
        if isinstance(widget, QComboBox):
            if widget.property(PLACEHOLDER_PROPERTY):
                return widget.currentIndex() > 0
            return widget.currentIndex() >= 0 and bool(widget.currentText().strip())
        if isinstance(widget, (QPlainTextEdit, QTextEdit)):
            return bool(widget.toPlainText().strip())
        text = widget.text() if isinstance(widget, (QLineEdit, QAbstractSpinBox)) else ""
        if not text.strip():
            return False
        if isinstance(widget, DateField):
            try:
                parse_date(text)
            except ValueError:
                return False
        return True

    def update_required_marks(self) -> None:
        """A star after the caption of each field that must be filled (the set may follow a choice)."""
        required = {self.field_key(name) for name in self.required_fields}
        for key, caption in self._captions.items():
            caption.setText(self._field_labels[key] + (" *" if key in required else ""))

    def keyPressEvent(self, event) -> None:
        # A line edit, a combo or a spin box passes Enter up to here; a text box keeps it as a new line and a
        # focused button clicks itself. Only a form ready to save is saved by it; else Enter goes on.
        if event.matches(QKeySequence.StandardKey.Cancel):
            self.cancel()
            return
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.ok_button is not None:
            if self.ready_to_save():
                self._save_requested()
            else:
                self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)

    def _save_requested(self) -> None:
        button = self.ok_button
        if button is not None and button.isVisible() and button.isEnabled():
            button.click()

    def add_field(self, form: QFormLayout, name: str, widget: QWidget, label: str | None = None) -> QWidget:
        """A form row whose red message sits right under its widget; its caption is label, else the label of
        the field's key (field_key)."""
        key = self.field_key(name)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        # A widget with a maximum width (a date) would be centred in its row; keep it under its neighbours.
        short = widget.maximumWidth() < QWIDGETSIZE_MAX
        column.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft if short else Qt.AlignmentFlag(0))
        error = red_label()
        column.addWidget(error)
        self._field_errors[key] = error
        self._field_labels[key] = label if label is not None else field_label(key)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        caption = QLabel(self._field_labels[key])
        caption.setBuddy(widget)
        self._captions[key] = caption
        self._field_widgets[key] = widget
        form.addRow(caption, box)
        return widget

    @staticmethod
    def choice_box(placeholder: str) -> QComboBox:
        """A combo that starts on «placeholder» (nothing chosen); a required one is not filled until changed."""
        combo = QComboBox()
        combo.addItem(placeholder, None)
        combo.setProperty(PLACEHOLDER_PROPERTY, True)
        return combo

    def clear_issues(self) -> None:
        for label in (*self._field_errors.values(), self.general_error):
            label.clear()
            label.hide()

    def show_issues(self, issues: list[Issue], *, saving: bool = True) -> None:
        """Each issue under its field; saving=False for what a form says while it is filled (no «not saved»)."""
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
        if saving and len(issues) > len(loose):
            loose.insert(0, _("Chưa lưu được: xin sửa những chỗ có chữ đỏ."))
        self.show_general_error("\n".join(loose))
        if self.isVisible():
            self.grow_to_fit()

    def show_general_error(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.setVisible(bool(text))

    def read_field(self, name: str, text: str, parse, issues: list[Issue], missing: str = "", bad: str = ""):
        """What parse makes of a typed field, or None; an empty required field (missing says so) or a bad
        value (bad, with {text}; else the parser's own message) adds an issue naming the field's key."""
        if not text.strip():
            if missing:
                issues.append(Issue(self.field_key(name), missing))
            return None
        try:
            return parse(text)
        except ValueError as exc:
            issues.append(Issue(self.field_key(name), bad.format(text=text.strip()) if bad else str(exc)))
            return None

    def read_date(self, name: str, text: str, issues: list[Issue], missing: str = ""):
        return self.read_field(name, text, parse_date, issues, missing, bad=_(
            "«{text}» không phải ngày hợp lệ; hãy gõ ngày/tháng/năm, ví dụ 05/02/1980."))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once:
            # Nothing can be typed before the first showing: what the fields hold now was loaded, not typed
            # (a dialog that fills itself after finish_layout needs no mark_clean of its own).
            self._shown_once = True
            self.mark_clean()
        self.grow_to_fit()

    def grow_to_fit(self) -> None:
        """Taller if what is shown needs it: on a small screen Qt narrows a dialog below the width its wrapped
        text was measured at, and a red message that appears later needs its lines too."""
        self.layout_.activate()
        # Qt opens a window at most two thirds of the screen high; a form that needs more gets it.
        if self.layout_.hasHeightForWidth():
            needed = self.layout_.totalHeightForWidth(self.width())
        else:
            needed = self.layout_.totalSizeHint().height()
        screen = self.screen().availableGeometry().height() if self.screen() else needed
        # Never past the bottom of the screen, where Lưu would be out of reach; a tall form scrolls inside.
        needed = min(needed, screen - self.frameGeometry().height() + self.height())
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


def choose(parent, title: str, text: str, choices: list[tuple[str, QMessageBox.ButtonRole, object]], *,
           informative: str = "", min_chars: int = 0) -> object:
    """A question with buttons in our own words, each (label, role, value); the value of the one clicked.
    The last choice is the default button and Esc's, and its value is also the answer when none was clicked."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if min_chars:
        for name in ("qt_msgbox_label", "qt_msgbox_informativelabel"):
            label = box.findChild(QLabel, name)
            if label is not None:
                label.setMinimumWidth(box.fontMetrics().averageCharWidth() * min_chars)
    values = {box.addButton(label, role): value for label, role, value in choices}
    last = list(values)[-1]
    box.setDefaultButton(last)
    box.setEscapeButton(last)
    box.exec()
    value = values.get(box.clickedButton(), choices[-1][2])
    box.deleteLater()
    return value


def confirm(parent, text: str, title: str, yes_text: str) -> bool:
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = _message(parent, QMessageBox.Icon.Question, title, text, yes | no, {yes: yes_text, no: _("Hủy")})
    box.setDefaultButton(no)
    return box.exec() == yes
