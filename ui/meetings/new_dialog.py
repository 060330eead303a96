"""Buổi sinh hoạt mới: kind, day, hours and place; the roll starts with everyone unmarked."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from app.domain.issues import Issue
from app.domain.meetings import Meeting, MeetingKind, TimeParseError, parse_time, time_text
from app.i18n import _
from app.services import meetings as meeting_service
from app.services.errors import ServiceError, ValidationFailed
from ui.dialogs import BaseDialog
from ui.widgets import DateField, text_width

_KINDS = list(MeetingKind)


class NewMeetingDialog(BaseDialog):
    """Prefilled from the last meeting (same place and hours most months); meeting_id is set on save."""

    area = "meeting"

    def __init__(self, day: dt.date, last: Meeting | None = None, parent=None):
        super().__init__(_("Buổi sinh hoạt mới"), parent, ok_text=_("Tạo"))
        self.meeting_id: int | None = None
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.addItems([k.label for k in _KINDS])
        self.date = DateField(day)
        self.start = QLineEdit(time_text(last.start) if last else "")
        self.end = QLineEdit(time_text(last.end) if last else "")
        for edit in (self.start, self.end):
            edit.setPlaceholderText(_("giờ:phút, ví dụ 19:30"))
        self.place = QLineEdit(last.place if last else "")
        for name, widget in (("kind", self.kind), ("date", self.date), ("start", self.start), ("end", self.end),
                             ("place", self.place)):
            self.add_field(form, name, widget)
        self.layout_.addLayout(form)
        self.setMinimumWidth(text_width(self, 70))
        self.finish_layout()

    def _time(self, name: str, text: str, issues: list[Issue]) -> dt.time | None:
        try:
            return parse_time(text)
        except TimeParseError:
            issues.append(Issue(self.field_key(name), _("«{text}» không phải giờ hợp lệ (giờ:phút).").format(
                text=text.strip())))
            return None

    def save(self) -> bool:
        issues: list[Issue] = []
        day = self.read_date("date", self.date.text(), issues)
        if day is None and not issues:
            issues.append(Issue("meeting.date", _("cần ghi ngày sinh hoạt.")))
        start, end = self._time("start", self.start.text(), issues), self._time("end", self.end.text(), issues)
        if issues:
            self.show_issues(issues)
            return False
        try:
            meeting = meeting_service.add_meeting(Meeting(date=day, kind=_KINDS[self.kind.currentIndex()],
                                                          start=start, end=end, place=self.place.text()))
        except ValidationFailed as exc:
            self.show_issues(exc.issues)
            return False
        except ServiceError as exc:
            self.show_general_error(str(exc))
            return False
        self.meeting_id = meeting.id
        return True
