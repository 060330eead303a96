"""Lịch sử of one member: the dated status history and the change log, read-only."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialogButtonBox, QTabWidget

from app.domain.dates import format_date, parse_date
from app.domain.labels import field_label
from app.domain.members import Member, MemberStatus, Sex
from app.i18n import _
from app.services import members as member_service
from ui.dialogs import BaseDialog
from ui.widgets import heading, read_only_table, text_width

_ACTIONS = {
    "create": lambda: _("Tạo hồ sơ"), "update": lambda: _("Sửa hồ sơ"), "status": lambda: _("Đổi tình trạng"),
    "archive": lambda: _("Lưu trữ"), "restore": lambda: _("Khôi phục"), "import": lambda: _("Nhập từ tệp"),
}


def _value_text(key: str, value: object) -> str:
    """A stored value as the secretary would write it: dd/mm/yyyy, status and sex labels, có/không."""
    if value is None or value == "":
        return _("(trống)")
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if key == "status" and value in {s.value for s in MemberStatus}:
        return MemberStatus(value).label
    if key == "sex" and value in {s.value for s in Sex}:
        return Sex(value).label
    if key.endswith("_date"):
        try:
            return format_date(parse_date(value))
        except ValueError:
            pass
    return str(value)


def change_lines(changes: dict[str, list], created: bool = False) -> str:
    """One line per member field, "Nhãn: cũ → mới"; a new record lists only the values it was given."""
    lines = []
    for key, (old, new) in changes.items():
        label = field_label(f"member.{key}", default=key)
        if created:
            if new not in (None, ""):
                lines.append(f"{label}: {_value_text(key, new)}")
        elif (old not in (None, "")) or (new not in (None, "")):
            lines.append(f"{label}: {_value_text(key, old)} → {_value_text(key, new)}")
    return "\n".join(lines)


def _when(text: str) -> str:
    try:
        return dt.datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return text


class HistoryDialog(BaseDialog):
    """Two tabs: Tình trạng (status_history) and Nhật ký thay đổi (member_history)."""

    def __init__(self, member: Member, parent=None):
        super().__init__(_("Lịch sử — {name}").format(name=member.full_name), parent)
        self.member_id = member.id
        statuses = [[format_date(c.effective_date), c.status.label, c.reason]
                    for c in member_service.status_history(member.id)]
        changes = [[_when(e["at"]), _ACTIONS[e["action"]]() if e["action"] in _ACTIONS else e["action"],
                    change_lines(e["changes"], created=e["action"] == "create"), e["reason"]]
                   for e in member_service.member_history(member.id)]
        self.layout_.addWidget(heading(member.full_name))
        self.tabs = QTabWidget()
        self.status_table = read_only_table([_("Từ ngày"), _("Tình trạng"), _("Lý do")], statuses)
        self.changes_table = read_only_table([_("Thời gian"), _("Việc"), _("Thay đổi"), _("Lý do")], changes)
        self.tabs.addTab(self.status_table, _("Tình trạng ({count})").format(count=len(statuses)))
        self.tabs.addTab(self.changes_table, _("Nhật ký thay đổi ({count})").format(count=len(changes)))
        self.layout_.addWidget(self.tabs)
        # Read-only: one Đóng button instead of Lưu/Hủy.
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Đóng"))
        self.resize(text_width(self, 130), self.fontMetrics().height() * 28)
        self.finish_layout()
