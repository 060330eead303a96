"""Restoring from a backup in the window: choose, check, show what it holds, confirm, swap."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from app.i18n import _
from app.services import restore_checks, safety
from app.services.errors import ServiceError
from ui.dialogs import confirm, show_error, show_info
from ui.safety.passphrase_dialog import PassphraseDialog


def restore_interactively(parent: QWidget, path: Path | None = None) -> bool:
    """True when the data was replaced; every refusal is explained and leaves the data as it was."""
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(parent, _("Chọn bản sao lưu"), str(safety.backup_folder()),
                                                      _("Dữ liệu chibo (*.sqlite);;Mọi tệp (*)"))
        if not chosen:
            return False
        path = Path(chosen)
    key = None
    if safety.needs_passphrase_for(path):
        dialog = PassphraseDialog(_("Bản sao lưu đã mã hóa"), _("Nhập mật khẩu của bản sao lưu này."), parent)
        if dialog.exec() != dialog.DialogCode.Accepted:
            return False
        key = dialog.value()
    try:
        info = safety.inspect_backup(path, key)
    except ServiceError as exc:
        show_error(parent, str(exc), _("Không dùng được bản sao lưu"))
        return False
    cells = safety.other_cell(info)
    if cells and not confirm(parent, _("Bản sao lưu này là của «{there}», không phải của chi bộ đang mở «{here}».\n\n"
                                       "Vẫn thay dữ liệu của «{here}» bằng dữ liệu của «{there}»?").format(
            here=cells[0], there=cells[1]), _("Bản sao lưu của chi bộ khác"), _("Vẫn khôi phục")):
        return False
    question = _("{info}\n\nThay toàn bộ dữ liệu hiện tại bằng bản này? Dữ liệu hiện tại sẽ được sao lưu trước.").format(
        info=info.describe())
    if not confirm(parent, question, _("Khôi phục"), _("Khôi phục")):
        return False
    try:
        try:
            _restore(path, key, cells is not None, confirm_history_problems=False)
        except restore_checks.HistoryDisagrees as exc:
            # A backup edited by hand is restored only when the secretary has read what does not match.
            if not confirm(parent, _("Dữ liệu trong bản sao lưu không khớp với nhật ký thay đổi của chính nó; có "
                                     "thể bản này đã bị sửa bằng tay hoặc bị hỏng:\n{problems}\n\nVẫn khôi phục bản "
                                     "này?").format(problems=restore_checks.listed(exc.problems)),
                           _("Bản sao lưu không khớp nhật ký"), _("Vẫn khôi phục")):
                return False
            _restore(path, key, cells is not None, confirm_history_problems=True)
    except ServiceError as exc:
        show_error(parent, str(exc), _("Khôi phục không thành công"))
        return False
    show_info(parent, _("Đã khôi phục."))
    return True


def _restore(path: Path, key: str | None, other_cell: bool, confirm_history_problems: bool) -> None:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        safety.restore_from(path, key, confirm_other_cell=other_cell, confirm_history_problems=confirm_history_problems)
    finally:
        QGuiApplication.restoreOverrideCursor()
