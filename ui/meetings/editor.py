"""The meeting's own tabs: Thông tin (when, where, who led it) and Nội dung (what was said, decided, voted)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import DateParseError, Month, format_date, parse_date
from app.domain.meetings import Attendee, Meeting, MeetingKind, TimeParseError, parse_time, time_text
from app.domain.members import Issue, field_label
from app.i18n import _
from app.services import meetings as meeting_service
from app.services.errors import ServiceError, ValidationFailed
from ui.dialogs import red_label, show_error
from ui.widgets import DateField, text_width

_KINDS = list(MeetingKind)
CONTENT_FIELDS = ("agenda", "assessment", "next_tasks", "assignments", "thematic_content", "discussion",
                  "self_assessment", "conclusions")
VOTE_FIELDS = ("votes_for", "votes_against", "votes_other")


class _Form(QWidget):
    """A tab that edits some fields of the meeting and saves only what changed."""

    saved = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.meeting: Meeting | None = None
        self.errors = red_label()
        self.save_button = QPushButton(_("Lưu"))
        self.save_button.clicked.connect(lambda: self.save())

    def read(self, issues: list[Issue]) -> dict:
        raise NotImplementedError

    def save(self) -> bool:
        if self.meeting is None:
            return False
        issues: list[Issue] = []
        values = self.read(issues)
        changes = {k: v for k, v in values.items() if getattr(self.meeting, k) != v}
        try:
            if issues:
                raise ValidationFailed(issues)
            if changes:
                self.meeting = meeting_service.update_meeting(self.meeting.id, changes)
        except ValidationFailed as exc:
            self.errors.setText(_("Chưa lưu được:") + "\n" + "\n".join(str(i) for i in exc.issues))
            self.errors.show()
            return False
        except ServiceError as exc:
            show_error(self, str(exc))
            return False
        self.errors.hide()
        self.saved.emit()
        return True


class InfoForm(_Form):
    """Loại, ngày, giờ, địa điểm, chủ trì, thư ký, khách mời, chủ đề, tháng nhiệm vụ, Sổ tay."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.addItems([k.label for k in _KINDS])
        self.date = DateField()
        self.start, self.end = QLineEdit(), QLineEdit()
        for edit in (self.start, self.end):
            edit.setPlaceholderText(_("giờ:phút, ví dụ 19:30"))
            edit.setMaximumWidth(text_width(edit, 22))
        self.place, self.guests, self.topic = QLineEdit(), QLineEdit(), QLineEdit()
        self.chair, self.minute_taker = QComboBox(), QComboBox()
        self.task_month = QLineEdit()
        self.task_month.setMaximumWidth(text_width(self.task_month, 22))
        self.posted = QCheckBox(_("Đã đăng tài liệu lên Sổ tay đảng viên điện tử trước ít nhất 1 ngày"))
        self._people: list[int | None] = [None]
        form = QFormLayout()
        for name, widget in (("kind", self.kind), ("date", self.date), ("start", self.start), ("end", self.end),
                             ("place", self.place), ("chair_id", self.chair), ("minute_taker_id", self.minute_taker),
                             ("guests", self.guests), ("topic", self.topic), ("task_month", self.task_month)):
            form.addRow(field_label(name), widget)
        form.addRow("", self.posted)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def load(self, meeting: Meeting | None, people: list[Attendee]) -> None:
        self.meeting = meeting
        self.errors.hide()
        self.setEnabled(meeting is not None)
        if meeting is None:
            return
        self.kind.setCurrentIndex(_KINDS.index(meeting.kind))
        self.date.setText(format_date(meeting.date))
        self.start.setText(time_text(meeting.start))
        self.end.setText(time_text(meeting.end))
        self.place.setText(meeting.place)
        self.guests.setText(meeting.guests)
        self.topic.setText(meeting.topic)
        self.task_month.setText(f"{meeting.task_month.month:02d}/{meeting.task_month.year}"
                                if meeting.task_month else "")
        default = meeting.tasks_for if meeting.task_month is None else None
        self.task_month.setPlaceholderText(_("tự động: {month}").format(month=f"{default.month:02d}/{default.year}")
                                           if default else "")
        self.posted.setChecked(meeting.posted_to_handbook)
        self._people = [None] + [a.member_id for a in people]
        for combo, current in ((self.chair, meeting.chair_id), (self.minute_taker, meeting.minute_taker_id)):
            combo.clear()
            combo.addItems([_("(chưa chọn)")] + [a.full_name for a in people])
            combo.setCurrentIndex(self._people.index(current) if current in self._people else 0)

    def read(self, issues: list[Issue]) -> dict:
        values = {"kind": _KINDS[self.kind.currentIndex()], "place": self.place.text(),
                  "guests": self.guests.text(), "topic": self.topic.text(),
                  "chair_id": self._people[self.chair.currentIndex()] if self.chair.currentIndex() >= 0 else None,
                  "minute_taker_id": (self._people[self.minute_taker.currentIndex()]
                                      if self.minute_taker.currentIndex() >= 0 else None),
                  "posted_to_handbook": self.posted.isChecked()}
        try:
            values["date"] = parse_date(self.date.text()) or self.meeting.date
        except DateParseError:
            issues.append(Issue("date", _("«{text}» không phải ngày hợp lệ.").format(text=self.date.text())))
        for name, edit in (("start", self.start), ("end", self.end)):
            try:
                values[name] = parse_time(edit.text())
            except TimeParseError:
                issues.append(Issue(name, _("«{text}» không phải giờ hợp lệ (giờ:phút).").format(text=edit.text())))
        values["task_month"] = self._read_month(issues)
        # Texts are compared as the service will store them, so an untouched field is not a change.
        for name in ("place", "guests", "topic"):
            values[name] = " ".join(values[name].split())
        return values

    def _read_month(self, issues: list[Issue]) -> Month | None:
        text = self.task_month.text().strip()
        if not text:
            return None
        try:
            return Month.parse(text)
        except (DateParseError, ValueError):
            issues.append(Issue("task_month", _("«{text}» không phải tháng hợp lệ (tháng/năm).").format(text=text)))
            return None


class ContentForm(_Form):
    """The sections of the minutes and the resolution, and the vote."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.texts: dict[str, QPlainTextEdit] = {}
        self.votes: dict[str, QSpinBox] = {}
        inner = QWidget()
        column = QVBoxLayout(inner)
        # Captions above the boxes: the boxes get the full width, and long captions are never cut.
        for name in CONTENT_FIELDS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
            self.texts[name] = edit
            caption = QLabel(field_label(name))
            caption.setBuddy(edit)
            column.addWidget(caption)
            column.addWidget(edit)
        votes = QHBoxLayout()
        votes.addWidget(QLabel(_("Biểu quyết:")))
        for name in VOTE_FIELDS:
            spin = QSpinBox()
            spin.setRange(-1, 1000)
            # −1 shows as "chưa ghi": a vote not recorded yet is not a vote of zero.
            spin.setSpecialValueText(_("chưa ghi"))
            self.votes[name] = spin
            votes.addWidget(QLabel(field_label(name)))
            votes.addWidget(spin)
        votes.addStretch(1)
        column.addLayout(votes)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors)
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    def load(self, meeting: Meeting | None) -> None:
        self.meeting = meeting
        self.errors.hide()
        self.setEnabled(meeting is not None)
        for name, edit in self.texts.items():
            edit.setPlainText(getattr(meeting, name) if meeting else "")
        for name, spin in self.votes.items():
            value = getattr(meeting, name) if meeting else None
            spin.setValue(-1 if value is None else value)

    def read(self, issues: list[Issue]) -> dict:
        values = {}
        for name, edit in self.texts.items():
            lines = [" ".join(line.split()) for line in edit.toPlainText().splitlines()]
            values[name] = "\n".join(lines).strip()
        for name, spin in self.votes.items():
            values[name] = None if spin.value() < 0 else spin.value()
        return values
