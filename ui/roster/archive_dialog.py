"""Lưu trữ / khôi phục a record: the wording says plainly that nothing is deleted."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from app.domain.members import Member
from app.i18n import _
from app.services import members as member_service
from ui.dialogs import BaseDialog
from ui.widgets import text_width


class ArchiveDialog(BaseDialog):
    """Confirms and asks a reason; archives an active record, restores an archived one."""

    area = "member"

    def __init__(self, member: Member, parent=None):
        self.restoring = member.archived
        if self.restoring:
            title, ok_text = _("Khôi phục hồ sơ"), _("Khôi phục")
            text = _("Đưa hồ sơ của đồng chí {name} trở lại danh sách đảng viên?")
        else:
            title, ok_text = _("Lưu trữ hồ sơ"), _("Lưu trữ")
            text = _("Đưa hồ sơ của đồng chí {name} vào lưu trữ?\n\nHồ sơ không bị xóa: mọi thông tin và lịch sử "
                     "được giữ nguyên, chỉ không hiện trong danh sách thường ngày. Có thể xem lại bằng ô «Hiện hồ "
                     "sơ đã lưu trữ» và khôi phục bất cứ lúc nào.")
        super().__init__(title, parent, ok_text=ok_text)
        self.member, self.member_id = member, member.id
        message = QLabel(text.format(name=member.full_name))
        message.setWordWrap(True)
        self.layout_.addWidget(message)
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("ví dụ: nhập trùng hồ sơ"))
        self.add_field(form, "reason", self.reason, _("Lý do"))
        self.setMinimumWidth(text_width(self, 75))
        self.finish_layout()

    def save(self) -> bool:
        action = member_service.restore_member if self.restoring else member_service.archive_member
        outcome = self.perform(lambda: action(self.member_id, self.reason.text()))
        if outcome is None:
            return False
        self.member = outcome.value
        return True
