"""A second window on a file another window is editing: say who has it, offer to open it only to look, or quit."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QToolBar, QWidget

from app.i18n import _
from app.storage import db as storage
from app.storage import lock
from app.storage.lock import Holder
from ui.dialogs import choose

EDIT, VIEW, QUIT = "edit", "view", "quit"
BANNER_ATTRIBUTE = "read_only_banner"


def editors_elsewhere(path: Path) -> list[Holder]:
    """The other windows that have the file open for editing (commands are short, and viewers write nothing)."""
    return [holder for holder in lock.others(path) if holder.is_window and not holder.read_only]


def ask_how_to_open(path: Path, parent: QWidget | None = None) -> bool | None:
    """Whether to open the file read-only: False when no other window edits it (or the secretary takes over
    from a record that cannot be checked), True to look only, None to quit."""
    holders = editors_elsewhere(path)
    if not holders:
        return False
    text = _("Tệp dữ liệu này đang được mở để sửa ở nơi khác:\n{holders}").format(
        holders="\n".join("• " + holder.describe() for holder in holders))
    informative = _("Hai cửa sổ cùng sửa một tệp sẽ ghi đè lên nhau. Có thể mở ở đây chỉ để xem, hoặc thoát.")
    choices = [(_("Mở chỉ để xem"), QMessageBox.ButtonRole.AcceptRole, VIEW),
               (_("Thoát"), QMessageBox.ButtonRole.RejectRole, QUIT)]
    # A record whose lock is held is a window surely open: editing beside it is not offered. One that cannot be
    # checked (another computer, a USB stick carried from it) may be left by a window long closed.
    if all(not holder.verified for holder in holders):
        informative += "\n\n" + _(
            "Không kiểm tra được máy {hosts} còn mở tệp hay không (ví dụ khi USB được rút từ máy đó ra). Chỉ chọn "
            "«Vẫn mở để sửa» khi chắc chắn chibo trên máy đó đã đóng: hai nơi cùng sửa có thể làm hỏng dữ liệu."
        ).format(hosts=", ".join(sorted({holder.host for holder in holders})))
        choices.insert(0, (_("Vẫn mở để sửa"), QMessageBox.ButtonRole.DestructiveRole, EDIT))
    answer = choose(parent, _("Tệp đang được mở ở nơi khác"), text, choices, informative=informative, min_chars=60)
    if answer == EDIT:
        lock.take_over(path, holders)
        return False
    return True if answer == VIEW else None


def banner(window: QMainWindow) -> QToolBar | None:
    """The read-only banner of a window, if it has one."""
    # An attribute, not findChild: PySide6 6.11 loses a reference to None each time findChild finds nothing,
    # and refresh_title runs often enough for that to crash the program.
    return getattr(window, BANNER_ATTRIBUTE, None)


def read_only_mark(window: QMainWindow) -> str:
    """« (chỉ xem)» for the window title when the file is open only to look, with a banner across the window."""
    try:
        read_only = storage.current().read_only
    except storage.DatabaseError:
        read_only = False
    bar = banner(window)
    if not read_only:
        if bar is not None:
            bar.hide()
        return ""
    if bar is None:
        bar = QToolBar(window)
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setVisible(False)
        bar.setStyleSheet("QToolBar { background: #fff3c4; border: none; padding: 2px 8px; }")
        bar.addWidget(QLabel(_("Chỉ xem: tệp đang được mở để sửa ở cửa sổ khác, ở đây không lưu được thay đổi. "
                               "Muốn sửa, hãy đóng cửa sổ kia rồi mở lại chibo.")))
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        setattr(window, BANNER_ATTRIBUTE, bar)
    bar.show()
    return " " + _("(chỉ xem)")
