"""Đổi tình trạng: a dated status change with its reason, added to the member's history."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit

from app.domain.members import Issue, Member, MemberStatus
from app.i18n import _
from app.services import members as member_service
from ui.dialogs import BaseDialog
from ui.widgets import DateField, text_width


class StatusDialog(BaseDialog):
    """Calls members.change_status; earlier entries of the history are never changed."""

    def __init__(self, member: Member, parent=None):
        super().__init__(_("Đổi tình trạng — {name}").format(name=member.full_name), parent)
        self.member, self.member_id = member, member.id
        current = member.status.label if member.status else _("(chưa có)")
        note = QLabel(_("Tình trạng hiện nay: {status}. Thay đổi được ghi thêm vào lịch sử, "
                        "không xóa các lần ghi trước.").format(status=current))
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.status = QComboBox()
        for status in MemberStatus:
            if status != member.status:
                self.status.addItem(status.label, status)
        self.add_field(form, "status", self.status, _("Tình trạng mới"))
        self.date = DateField(dt.date.today())
        self.add_field(form, "effective_date", self.date, _("Từ ngày"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("ví dụ: chuyển sinh hoạt về Đảng bộ phường Tân Mai"))
        self.add_field(form, "reason", self.reason, _("Lý do"))
        self.setMinimumWidth(text_width(self, 80))
        self.finish_layout()

    def save(self) -> bool:
        issues: list[Issue] = []
        day = self.read_date("effective_date", self.date.text(), issues)
        if day is None and not issues:
            issues.append(Issue("effective_date", _("cần ghi ngày thay đổi.")))
        if issues:
            self.show_issues(issues)
            return False
        # Qt hands a StrEnum back as a plain str.
        status = MemberStatus(self.status.currentData())
        return self.perform(lambda: member_service.change_status(
            self.member_id, status, effective_date=day, reason=self.reason.text())) is not None
