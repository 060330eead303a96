"""Asking for the passphrase: to open encrypted data, to unlock the window, or to choose a new one."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.i18n import _
from app.services import safety
from ui.dialogs import BaseDialog


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
        if self._new:
            if len(text) < safety.MIN_PASSPHRASE:
                self.show_general_error(_("Mật khẩu cần ít nhất {n} ký tự.").format(n=safety.MIN_PASSPHRASE))
                return False
            if text != self.confirm.text():
                self.show_general_error(_("Hai lần gõ mật khẩu không giống nhau."))
                return False
        if self._check is not None:
            error = self._check(text)
            if error:
                self.show_general_error(error)
                self.passphrase.selectAll()
                return False
        return True
