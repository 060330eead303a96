"""The meeting's own tabs: Thông tin (when, where, who led it) and Nội dung (what was said, decided, voted)."""
from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import DateParseError, Month, format_date, parse_date
from app.domain.issues import Issue
from app.domain.labels import field_label
from app.domain.meetings import Attendee, Meeting, MeetingKind, TimeParseError, parse_time, time_text
from app.i18n import _
from app.services import drafts
from app.services import meetings as meeting_service
from app.services.errors import ServiceError
from app.storage.db import DatabaseError
from ui.dialogs import WARNING_STYLE, red_label
from ui.ops import run_op
from ui.widgets import DateField, text_width

# How long after the last keystroke what is typed is written into the draft.
DRAFT_DELAY_MS = 800

_KINDS = list(MeetingKind)
CONTENT_FIELDS = ("agenda", "assessment", "next_tasks", "assignments", "thematic_content", "discussion",
                  "self_assessment", "conclusions")
VOTE_FIELDS = ("votes_for", "votes_against", "votes_other")


class _Form(QWidget):
    """A tab that edits some fields of the meeting, saves only what changed, and loses nothing typed.

    What is typed is kept as a draft a moment after each keystroke (it survives a crash or a kill) and
    saved to the meeting when the secretary leaves a text box, the tab, the meeting or the page.
    """

    saved = Signal()
    draft_form = ""  # the draft key's last part; empty: this tab keeps no draft

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.meeting: Meeting | None = None
        self._loaded: dict[str, str] = {}
        self._loading = False  # the widgets are being filled by the program, not typed in
        self.errors = red_label()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(WARNING_STYLE)
        self.note.hide()
        self.save_button = QPushButton(_("Lưu"))
        self.save_button.clicked.connect(lambda: self.save())
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)

    # --- what is on screen ---------------------------------------------------------------------------
    def raw_values(self) -> dict[str, str]:
        """Every field as typed, as text (what a draft keeps)."""
        raise NotImplementedError

    def apply_raw(self, values: dict[str, str]) -> None:
        raise NotImplementedError

    def read(self, issues: list[Issue]) -> dict:
        raise NotImplementedError

    def edited_fields(self) -> dict[str, str]:
        current = self.raw_values()
        return {k: v for k, v in current.items() if v != self._loaded.get(k)}

    def is_dirty(self) -> bool:
        return self.meeting is not None and bool(self.edited_fields())

    def _watch(self, widget: QWidget) -> None:
        """Typing in widget is kept as a draft; leaving a text box saves it."""
        for signal_name in ("textChanged", "currentIndexChanged", "valueChanged", "toggled"):
            signal = getattr(widget, signal_name, None)
            if signal is not None:
                signal.connect(self._edited)
                break
        if isinstance(widget, QPlainTextEdit):
            widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        # A file open only to look takes no save: leaving the box keeps the text as a draft in memory, no box.
        if event.type() == QEvent.Type.FocusOut and self.is_dirty() and not drafts.kept_in_memory():
            self.save()
        return False

    def _edited(self, *_args) -> None:
        if self.meeting is not None and self.draft_form and not self._loading:
            self._draft_timer.start()

    @contextmanager
    def _filling(self):
        """The program fills the widgets inside: their change signals start no draft."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False

    def keep_draft(self) -> None:
        """Write what is typed and not saved into the draft of this meeting's tab."""
        self._draft_timer.stop()
        if self.meeting is None or not self.draft_form:
            return
        try:
            drafts.keep(drafts.meeting_key(self.meeting.id, self.draft_form), self.edited_fields())
        except (ServiceError, DatabaseError, OSError) as exc:
            self.errors.setText(_("Không giữ được bản nháp: {error}").format(error=exc))
            self.errors.show()

    # --- loading and saving --------------------------------------------------------------------------
    def _set_loaded(self, meeting: Meeting | None) -> None:
        """After the widgets show meeting: remember them as saved, then put back any draft left over."""
        # The note on a draft put back stays while its meeting is shown, even if the page reads it again.
        if meeting is None or self.meeting is None or meeting.id != self.meeting.id:
            self.note.hide()
        self.meeting = meeting
        self.errors.hide()
        self._loaded = self.raw_values()
        if meeting is None or not self.draft_form:
            return
        try:
            draft = drafts.get(drafts.meeting_key(meeting.id, self.draft_form))
        except DatabaseError:
            draft = None
        if draft is None:
            return
        with self._filling():
            self.apply_raw(draft.fields)
        self.note.setText(_("Phần gõ lúc {time} chưa được lưu đã được đưa lại vào đây. Bấm «Lưu» (hoặc chuyển sang "
                            "việc khác) để lưu.").format(time=draft.saved_at.strftime("%H:%M %d/%m/%Y")))
        self.note.show()

    def save(self) -> bool:
        if self.meeting is None:
            return False
        self._draft_timer.stop()
        issues: list[Issue] = []
        values = self.read(issues)
        changes = {k: v for k, v in values.items() if getattr(self.meeting, k) != v}
        if issues:
            self.keep_draft()
            self.show_issues(issues)
            return False
        if changes:
            meeting_id = self.meeting.id
            outcome = run_op(self, lambda: meeting_service.update_meeting(meeting_id, changes), issues_to=self,
                             source=self)
            if outcome is None:
                self.keep_draft()
                return False
            self.meeting = outcome.value
        if self.draft_form:
            drafts.discard(drafts.meeting_key(self.meeting.id, self.draft_form))
        self._loaded = self.raw_values()
        self.errors.hide()
        if self.note.isVisibleTo(self):
            self.note.setText(_("Phần gõ dở được đưa lại đã được lưu vào buổi sinh hoạt này."))
        self.saved.emit()
        return True

    def flush(self) -> bool:
        """Save what is typed, if anything; True when nothing is left unsaved (or, on a file open only to look,
        when what is typed is kept as a draft in memory: it is shown again with its meeting)."""
        if self.is_dirty() and drafts.kept_in_memory():
            self.keep_draft()
            return True
        return self.save() if self.is_dirty() else True

    def show_issues(self, issues: list[Issue]) -> None:
        self.errors.setText(_("Chưa lưu được (phần đã gõ vẫn được giữ):") + "\n" + "\n".join(str(i) for i in issues))
        self.errors.show()


class InfoForm(_Form):
    """Loại, ngày, giờ, địa điểm, chủ trì, thư ký, khách mời, chủ đề, tháng nhiệm vụ, Sổ tay."""

    draft_form = "info"

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
        self.posted = QCheckBox()
        self.posted.setToolTip(_("Đã đăng tài liệu lên Sổ tay đảng viên điện tử trước ít nhất 1 ngày"))
        self._people: list[int | None] = [None]
        form = QFormLayout()
        for name, widget in (("kind", self.kind), ("date", self.date), ("start", self.start), ("end", self.end),
                             ("place", self.place), ("chair_id", self.chair), ("minute_taker_id", self.minute_taker),
                             ("guests", self.guests), ("topic", self.topic), ("task_month", self.task_month)):
            form.addRow(field_label(f"meeting.{name}"), widget)
            self._watch(widget)
        self._watch(self.posted)
        form.addRow("", self._posted_row())
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # The fields scroll rather than clip when the text is large and the screen small.
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(form)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, not to the frame
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.errors)
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    def _posted_row(self) -> QWidget:
        """The check box with its text in a label that wraps (a check box's own text never does)."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(self.posted.toolTip())
        caption.setWordWrap(True)
        caption.setBuddy(self.posted)
        caption.mousePressEvent = lambda _event: self.posted.toggle()
        row.addWidget(self.posted, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(caption, 1)
        return box

    def load(self, meeting: Meeting | None, people: list[Attendee]) -> None:
        with self._filling():
            self._fill(meeting, people)
        self._set_loaded(meeting)

    def _line_edits(self) -> dict[str, QLineEdit]:
        return {"date": self.date, "start": self.start, "end": self.end, "place": self.place,
                "guests": self.guests, "topic": self.topic, "task_month": self.task_month}

    def raw_values(self) -> dict[str, str]:
        values = {name: edit.text() for name, edit in self._line_edits().items()}
        values.update(kind=str(self.kind.currentIndex()), chair_id=str(self.chair.currentIndex()),
                      minute_taker_id=str(self.minute_taker.currentIndex()), posted=str(int(self.posted.isChecked())))
        return values

    def apply_raw(self, values: dict[str, str]) -> None:
        for name, edit in self._line_edits().items():
            if name in values:
                edit.setText(values[name])
        for name, combo in (("kind", self.kind), ("chair_id", self.chair), ("minute_taker_id", self.minute_taker)):
            if values.get(name, "").lstrip("-").isdigit() and -1 < int(values[name]) < combo.count():
                combo.setCurrentIndex(int(values[name]))
        if "posted" in values:
            self.posted.setChecked(values["posted"] == "1")

    def _fill(self, meeting: Meeting | None, people: list[Attendee]) -> None:
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
        # A long topic is read from its beginning, not its end.
        for edit in (self.place, self.guests, self.topic):
            edit.setCursorPosition(0)
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
            issues.append(Issue("meeting.date", _("«{text}» không phải ngày hợp lệ.").format(text=self.date.text())))
        for name, edit in (("start", self.start), ("end", self.end)):
            try:
                values[name] = parse_time(edit.text())
            except TimeParseError:
                issues.append(Issue(f"meeting.{name}", _("«{text}» không phải giờ hợp lệ (giờ:phút).").format(
                    text=edit.text())))
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
            issues.append(Issue("meeting.task_month", _("«{text}» không phải tháng hợp lệ (tháng/năm).").format(
                text=text)))
            return None


class ContentForm(_Form):
    """The sections of the minutes and the resolution, and the vote."""

    draft_form = "content"

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
            # Never wider than the pane: a box that asks for more width would hide its line ends.
            edit.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.texts[name] = edit
            self._watch(edit)
            caption = QLabel(field_label(f"meeting.{name}"))
            caption.setWordWrap(True)
            caption.setBuddy(edit)
            column.addWidget(caption)
            column.addWidget(edit)
        # The vote in a grid of its own (caption above each count), so it fits a narrow pane at any text size.
        votes = QGridLayout()
        votes.addWidget(QLabel(_("Biểu quyết:")), 0, 0, 1, len(VOTE_FIELDS))
        for col, name in enumerate(VOTE_FIELDS):
            spin = QSpinBox()
            spin.setRange(-1, 1000)
            # −1 shows as "chưa ghi": a vote not recorded yet is not a vote of zero.
            spin.setSpecialValueText(_("chưa ghi"))
            self.votes[name] = spin
            self._watch(spin)
            label = QLabel(field_label(f"meeting.{name}"))
            label.setWordWrap(True)
            votes.addWidget(label, 1, col)
            votes.addWidget(spin, 2, col)
        votes.setColumnStretch(len(VOTE_FIELDS), 1)
        column.addLayout(votes)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, not to the frame
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.errors)
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    def load(self, meeting: Meeting | None) -> None:
        with self._filling():
            self.setEnabled(meeting is not None)
            for name, edit in self.texts.items():
                edit.setPlainText(getattr(meeting, name) if meeting else "")
            for name, spin in self.votes.items():
                value = getattr(meeting, name) if meeting else None
                spin.setValue(-1 if value is None else value)
        self._set_loaded(meeting)

    def raw_values(self) -> dict[str, str]:
        values = {name: edit.toPlainText() for name, edit in self.texts.items()}
        values.update({name: str(spin.value()) for name, spin in self.votes.items()})
        return values

    def apply_raw(self, values: dict[str, str]) -> None:
        for name, edit in self.texts.items():
            if name in values:
                edit.setPlainText(values[name])
        for name, spin in self.votes.items():
            if values.get(name, "").lstrip("-").isdigit():
                spin.setValue(int(values[name]))

    def read(self, issues: list[Issue]) -> dict:
        values = {}
        for name, edit in self.texts.items():
            lines = [" ".join(line.split()) for line in edit.toPlainText().splitlines()]
            values[name] = "\n".join(lines).strip()
        for name, spin in self.votes.items():
            values[name] = None if spin.value() < 0 else spin.value()
        return values
