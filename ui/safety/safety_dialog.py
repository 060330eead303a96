"""An toàn dữ liệu: encryption on/off, backups (settings, now, to a file), restore, and a database check."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog, QMessageBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from app.i18n import _
from app.services import safety, settings
from app.services.errors import ServiceError
from ui.dialogs import BaseDialog, choose, confirm, show_error, show_info
from ui.safety.passphrase_dialog import PassphraseDialog

_OFF_STYLE = "color: #b00020; font-weight: bold;"
_ON_STYLE = "color: #1b5e20; font-weight: bold;"


def _busy(fn):
    """Run a short job on the GUI thread with a wait cursor; the database swaps must stay on this thread."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return fn()
    finally:
        QGuiApplication.restoreOverrideCursor()


class SafetyDialog(BaseDialog):
    """Settings that keep the records safe; emits data_replaced after a restore or an encryption change."""

    data_replaced = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(_("An toàn dữ liệu"), parent, _("Lưu thiết lập"))
        self.layout_.addWidget(self._encryption_box())
        self.layout_.addWidget(self._backup_box())
        self.finish_layout()
        self.setMinimumWidth(620)
        self.refresh()

    def _encryption_box(self) -> QGroupBox:
        box = QGroupBox(_("Mã hóa"))
        column = QVBoxLayout(box)
        self.encryption_state = QLabel()
        self.encryption_state.setWordWrap(True)
        column.addWidget(self.encryption_state)
        row = QHBoxLayout()
        self.encrypt_button = QPushButton(_("Bật mã hóa…"))
        self.rekey_button = QPushButton(_("Đổi mật khẩu…"))
        self.decrypt_button = QPushButton(_("Tắt mã hóa…"))
        for button, slot in ((self.encrypt_button, self.encrypt), (self.rekey_button, self.rekey),
                             (self.decrypt_button, self.decrypt)):
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        form = QFormLayout()
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(0, 240)
        self.lock_minutes.setSuffix(_(" phút"))
        self.add_field(form, "lock.idle_minutes", self.lock_minutes, settings.LABELS["lock.idle_minutes"]())
        column.addLayout(form)
        return box

    def _backup_box(self) -> QGroupBox:
        box = QGroupBox(_("Sao lưu"))
        column = QVBoxLayout(box)
        self.backup_state = QLabel()
        self.backup_state.setWordWrap(True)
        self.backup_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.backup_state)
        row = QHBoxLayout()
        for text, slot in ((_("Sao lưu ngay"), self.backup_now), (_("Sao lưu ra tệp…"), self.backup_to_file),
                           (_("Khôi phục…"), self.restore), (_("Kiểm tra dữ liệu"), self.check)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        form = QFormLayout()
        self.keep = {}
        for key in ("backup.keep_daily", "backup.keep_weekly", "backup.keep_monthly"):
            spin = QSpinBox()
            spin.setRange(1, 365)
            self.keep[key] = self.add_field(form, key, spin, settings.LABELS[key]())
        self.second_folder = QLineEdit()
        browse = QPushButton(_("Chọn…"))
        browse.clicked.connect(self._choose_second_folder)
        line = QWidget()
        line_layout = QHBoxLayout(line)
        line_layout.setContentsMargins(0, 0, 0, 0)
        line_layout.addWidget(self.second_folder, 1)
        line_layout.addWidget(browse)
        self.add_field(form, "backup.second_folder", line, settings.LABELS["backup.second_folder"]())
        column.addLayout(form)
        return box

    def refresh(self) -> None:
        encrypted = safety.is_encrypted()
        if encrypted:
            self.encryption_state.setText(_("Dữ liệu đang được mã hóa bằng mật khẩu. Hãy cất mật khẩu ở nơi an toàn: "
                                            "quên mật khẩu là mất dữ liệu."))
            self.encryption_state.setStyleSheet(_ON_STYLE)
        else:
            self.encryption_state.setText(_("Dữ liệu KHÔNG được mã hóa: ai dùng máy này cũng đọc được hồ sơ đảng viên."))
            self.encryption_state.setStyleSheet(_OFF_STYLE)
        self.encrypt_button.setVisible(not encrypted)
        self.rekey_button.setVisible(encrypted)
        self.decrypt_button.setVisible(encrypted)
        self.lock_minutes.setEnabled(encrypted)
        last = safety.last_backup_time()
        self.backup_state.setText(_("Thư mục sao lưu: {folder}\nLần sao lưu gần nhất: {last}").format(
            folder=safety.backup_folder(), last=last.strftime("%d/%m/%Y %H:%M") if last else _("chưa có")))
        self.lock_minutes.setValue(int(settings.get("lock.idle_minutes")))
        for key, spin in self.keep.items():
            spin.setValue(int(settings.get(key)))
        self.second_folder.setText(str(settings.get("backup.second_folder")))

    def _choose_second_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Chọn thư mục sao lưu thứ hai"))
        if folder:
            self.second_folder.setText(folder)

    def save(self) -> bool:
        try:
            settings.set_value("lock.idle_minutes", self.lock_minutes.value())
            for key, spin in self.keep.items():
                settings.set_value(key, spin.value())
            settings.set_value("backup.second_folder", self.second_folder.text().strip())
        except ServiceError as exc:
            self.show_general_error(str(exc))
            return False
        return True

    def _run(self, fn, done, replaced: bool = False) -> None:
        """done: the message once fn succeeded, or a function of fn's result giving it."""
        try:
            result = _busy(fn)
        except ServiceError as exc:
            show_error(self, str(exc))
            return
        if replaced:
            self.data_replaced.emit()
        self.refresh()
        show_info(self, done if isinstance(done, str) else done(result))

    def backup_now(self) -> None:
        self._run(lambda: safety.backup_now(), _("Đã sao lưu."))

    def backup_to_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Sao lưu ra tệp"), "chibo-sao-luu.sqlite",
                                                    _("Dữ liệu chibo (*.sqlite)"))
        if path:
            self._run(lambda: safety.backup_now(target=Path(path), overwrite=True), _("Đã sao lưu ra {file}.").format(file=path))

    def check(self) -> None:
        report = _busy(safety.check_database)
        text = _("Tệp dữ liệu toàn vẹn.") if report["ok"] else _("Tệp dữ liệu có lỗi.")
        text += "\n" + safety.problems_text(report)
        show_info(self, _("{state}\n{members} hồ sơ, {changes} dòng nhật ký; mã hóa: {enc}.").format(
            state=text, members=report["members"], changes=report["change_log_entries"],
            enc=_("có") if report["encrypted"] else _("không")))

    def restore(self) -> None:
        from ui.safety.restore_flow import restore_interactively

        if restore_interactively(self):
            self.data_replaced.emit()
            self.refresh()

    def encrypt(self) -> None:
        dialog = PassphraseDialog(_("Bật mã hóa"), _("Chọn mật khẩu (ít nhất 8 ký tự). Từ nay mỗi lần mở chương "
                                                      "trình cần mật khẩu này; quên mật khẩu là mất dữ liệu."),
                                  self, new=True, ok_text=_("Bật mã hóa"))
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        remove = self._ask_old_copies()
        if remove is not None:
            self._run(lambda: safety.encrypt_database(dialog.value(), remove_old_copies=remove),
                      lambda old: _("Đã mã hóa dữ liệu.") + "\n" + old.describe(), replaced=True)

    def _ask_old_copies(self) -> bool | None:
        """Whether the unencrypted older copies are removed (True) or encrypted too (False); None: cancelled."""
        count = safety.plain_copies_count()
        if not count:
            return False
        role = QMessageBox.ButtonRole
        return choose(self, _("Các bản sao lưu cũ"),
                      _("Có {n} bản sao lưu cũ chưa mã hóa (kể cả bản sao lưu ngay trước khi mã hóa): ai mở được "
                        "chúng là đọc được hồ sơ. Mã hóa chúng bằng mật khẩu mới, hay xóa đi?").format(n=count),
                      [(_("Mã hóa các bản cũ"), role.AcceptRole, False), (_("Xóa các bản cũ"), role.DestructiveRole, True),
                       (_("Hủy"), role.RejectRole, None)])

    def rekey(self) -> None:
        dialog = PassphraseDialog(_("Đổi mật khẩu"), _("Chọn mật khẩu mới (ít nhất 8 ký tự)."), self, new=True,
                                  ok_text=_("Đổi mật khẩu"))
        if dialog.exec() == dialog.DialogCode.Accepted:
            self._run(lambda: safety.rekey(dialog.value()),
                      lambda old: _("Đã đổi mật khẩu.") + "\n" + old.describe(), replaced=True)

    def decrypt(self) -> None:
        if confirm(self, _("Tắt mã hóa thì ai dùng máy này cũng đọc được hồ sơ. Vẫn tắt?"), _("Tắt mã hóa"),
                   _("Tắt mã hóa")):
            self._run(safety.decrypt_database, _("Đã tắt mã hóa: dữ liệu hiện KHÔNG được mã hóa."), replaced=True)
