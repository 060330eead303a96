"""Locking the window after idle minutes when the data is encrypted, and asking the passphrase again."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow

from app.i18n import _
from app.services import safety
from ui.safety.passphrase_dialog import PassphraseDialog

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}


class IdleLock(QObject):
    """Watches the whole application for input; after the idle time, hides the window's content behind a prompt."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.locked = False
        self.cover: QLabel | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        # Input is watched on each top-level QWindow (the main window and any dialog that takes focus),
        # not on the whole application: an application-wide Python filter is handed half-built widgets.
        self._watched: set[int] = set()
        QGuiApplication.instance().focusWindowChanged.connect(self._watch)
        self._watch(window.windowHandle())
        self.restart()

    def _watch(self, qwindow) -> None:
        if qwindow is not None and id(qwindow) not in self._watched:
            self._watched.add(id(qwindow))
            qwindow.installEventFilter(self)

    def restart(self) -> None:
        """Re-read the setting (and whether encryption is on) and start counting again."""
        minutes = safety.idle_lock_minutes()
        self.timer.stop()
        if minutes > 0:
            self.timer.start(minutes * 60_000)

    def eventFilter(self, watched, event) -> bool:
        if not self.locked and event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        # An opaque cover over the whole window: the roster stays unreadable behind the prompt.
        cover = QLabel(_("Đã khóa"), self.window)
        cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        cover.setAutoFillBackground(True)
        cover.setStyleSheet("background: #dfe3e8; color: #444; font-size: 20pt;")
        cover.setGeometry(self.window.rect())
        cover.show()
        cover.raise_()
        self.cover = cover
        try:
            dialog = PassphraseDialog(
                _("Chương trình đã khóa"),
                _("Chương trình đã khóa vì lâu không dùng. Nhập mật khẩu để tiếp tục."),
                self.window, check=lambda text: "" if safety.verify_passphrase(text) else _("Mật khẩu không đúng."),
                ok_text=_("Mở khóa"))
            dialog.buttons.button(dialog.buttons.StandardButton.Cancel).setText(_("Thoát chương trình"))
            if dialog.exec() != dialog.DialogCode.Accepted:
                self.window.close()
                return
        finally:
            cover.hide()
            cover.deleteLater()
            self.cover = None
            self.locked = False
            self.restart()
