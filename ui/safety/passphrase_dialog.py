"""Asking for the passphrase: to open encrypted data, to unlock the window, or to choose a new one."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.i18n import _
from app.services import safety
from app.services.errors import ServiceError
from ui.dialogs import BaseDialog, confirm


class PassphraseDialog(BaseDialog):
    """One password field (two when choosing a new passphrase); check(text) decides if it is accepted."""

    def __init__(self, title: str, message: str, parent: QWidget | None = None, new: bool = False,
                 check=None, ok_text: str | None = None):
        super().__init__(title, parent, ok_text or _("Mở"))
        self._new, self._check = new, check
        note = QLabel(message)
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.passphrase = self._password()
        self.add_field(form, "passphrase", self.passphrase, _("Mật khẩu"))
        self.confirm = self._password()
        if new:
            self.add_field(form, "confirm", self.confirm, _("Gõ lại mật khẩu"))
        self.finish_layout()
        self.setMinimumWidth(460)

    @staticmethod
    def _password() -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def value(self) -> str:
        return self.passphrase.text()

    def save(self) -> bool:
        text = self.passphrase.text()
        if self._new and not self._acceptable_new(text):
            return False
        if self._check is not None:
            error = self._check(text)
            if error:
                self.show_general_error(error)
                self.passphrase.selectAll()
                return False
        return True

    def _acceptable_new(self, text: str) -> bool:
        """Long enough, typed the same twice, and, if easy to guess, kept only after the warning is answered."""
        try:
            safety.check_passphrase(text)
        except ServiceError as exc:
            self.show_general_error(str(exc))
            return False
        if text != self.confirm.text():
            self.show_general_error(_("Hai lần gõ mật khẩu không giống nhau."))
            return False
        warnings = safety.passphrase_warnings(text)
        if warnings:
            self.show_general_error(" ".join(warnings))
            if not confirm(self, "\n".join(warnings) + "\n\n" + _("Vẫn dùng mật khẩu này?"), _("Mật khẩu dễ đoán"),
                           _("Vẫn dùng")):
                self.passphrase.selectAll()
                return False
        return True
