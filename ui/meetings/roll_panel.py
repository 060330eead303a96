"""The Điểm danh tab: the roll, the temporary members apart, the computed counts and the reason box."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.domain.meetings import AttendanceCounts, Mark, count_attendance
from app.i18n import _
from app.services import meetings as meeting_service
from ui.ops import run_op
from ui.meetings.attendance import AttendanceModel, AttendanceView
from ui.widgets import scaled_font

KEY_HELP = lambda: _(  # noqa: E731 - a label read at build time, in the current language
    "Phím: C hoặc 1 – có mặt · P hoặc 2 – vắng có lý do (gõ lý do rồi Enter) · K hoặc 3 – vắng không lý do · "
    "0 hoặc Delete – bỏ điểm danh · Enter – sửa lý do. Sau mỗi phím con trỏ tự xuống người kế tiếp.")
SHORT_KEY_HELP = lambda: _(  # noqa: E731
    "Phím: C/1 có mặt · P/2 vắng có lý do · K/3 vắng không lý do · 0 bỏ · Enter sửa lý do")


def counts_text(c: AttendanceCounts) -> str:
    text = _("Tổng số {total} (chính thức {official}, dự bị {probationary}) · Có mặt {present} · "
             "Vắng có lý do {excused} · Vắng không lý do {absent} · Miễn sinh hoạt {exempt}").format(
        total=c.total, official=c.official, probationary=c.probationary, present=c.present, excused=c.excused,
        absent=c.absent, exempt=c.exempt)
    if c.unmarked:
        text += " · " + _("Chưa điểm danh {count}").format(count=c.unmarked)
    if c.rate_percent is not None:
        text += " · " + _("Tỷ lệ dự {rate}%").format(rate=f"{c.rate_percent:.1f}".replace(".", ","))
    return text


class RollPanel(QWidget):
    """Saves each key press through the service; changed() tells the page the counts moved."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.meeting_id: int | None = None
        self.model, self.temp_model = AttendanceModel(self), AttendanceModel(self)
        self.view, self.temp_view = AttendanceView(self.model), AttendanceView(self.temp_model)
        self.temp_view.horizontalHeader().hide()
        self._active = self.view
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.counts_label.setFont(scaled_font(self.counts_label, 1.0, bold=True))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Lý do vắng của đồng chí đang chọn; gõ xong bấm Enter"))
        self.reason.returnPressed.connect(self.save_reason)
        self.rest_button = QPushButton(_("Người chưa điểm danh: có mặt"))
        self.rest_button.setToolTip(_("Những đồng chí chưa điểm danh: ghi là có mặt"))
        self.rest_button.clicked.connect(lambda: self.mark_rest_present())
        self.temp_label = QLabel(_("Đảng viên sinh hoạt tạm thời (không tính vào tổng số):"))
        self._build()
        for view in (self.view, self.temp_view):
            view.mark_requested.connect(lambda row, mark, v=view: self.mark(v, row, mark))
            view.reason_requested.connect(lambda _row, v=view: self.edit_reason(v))
            view.selectionModel().currentRowChanged.connect(lambda _cur, _prev, v=view: self._row_changed(v))

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.view, 4)
        layout.addWidget(self.temp_label)
        layout.addWidget(self.temp_view, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Lý do vắng:")))
        row.addWidget(self.reason, 1)
        row.addWidget(self.rest_button)
        layout.addLayout(row)
        # One line under the roll, the whole explanation in its tooltip and in the roll's own tooltip.
        help_label = QLabel(SHORT_KEY_HELP())
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #444;")
        help_label.setToolTip(KEY_HELP())
        self.view.setToolTip(KEY_HELP())
        layout.addWidget(help_label)

    def load(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        roll = meeting_service.attendees(meeting_id) if meeting_id is not None else []
        self.model.set_attendees([a for a in roll if a.in_total])
        self.temp_model.set_attendees([a for a in roll if not a.in_total])
        has_temporary = self.temp_model.rowCount() > 0
        self.temp_label.setVisible(has_temporary)
        self.temp_view.setVisible(has_temporary)
        # As tall as its rows (up to four), so the main roll keeps the room.
        rows = min(self.temp_model.rowCount(), 4)
        # No column headings of its own: they are the roll's, just above.
        self.temp_view.setFixedHeight(rows * self.temp_view.verticalHeader().defaultSectionSize()
                                      + 2 * self.temp_view.frameWidth() + 2)
        self.view.select_row(0)
        self._refresh_counts()
        self._row_changed(self.view)

    def counts(self) -> AttendanceCounts:
        return count_attendance(self.model.attendees + self.temp_model.attendees)

    def _refresh_counts(self) -> None:
        self.counts_label.setText(counts_text(self.counts()) if self.meeting_id is not None else "")
        self.rest_button.setEnabled(self.meeting_id is not None and self.counts().unmarked > 0)

    def mark(self, view: AttendanceView, row: int, mark: Mark) -> bool:
        """Save one mark; an excused absence then asks for its reason, any other mark moves on."""
        self._active = view
        model = view.model()
        attendee = model.attendees[row]
        meeting_id = self.meeting_id
        outcome = run_op(self, lambda: meeting_service.set_attendance(meeting_id, attendee.member_id, mark,
                                                                      reason=attendee.reason), source=self)
        if outcome is None:
            return False
        saved = outcome.value
        model.replace(row, saved)
        self._refresh_counts()
        self.changed.emit()
        if mark is Mark.EXCUSED and not saved.reason:
            self.edit_reason(view)
        else:
            view.advance()
        return True

    def edit_reason(self, view: AttendanceView) -> None:
        self._active = view
        self._row_changed(view)
        if self.reason.isEnabled():
            self.reason.setFocus()
            self.reason.selectAll()

    def save_reason(self) -> None:
        view = self._active
        row = view.current_row()
        if row < 0 or self.meeting_id is None:
            return
        attendee = view.model().attendees[row]
        if attendee.mark in (Mark.EXCUSED, Mark.ABSENT) and self.reason.text().strip() != attendee.reason:
            meeting_id, reason = self.meeting_id, self.reason.text()
            outcome = run_op(self, lambda: meeting_service.set_attendance(meeting_id, attendee.member_id,
                                                                          attendee.mark, reason=reason), source=self)
            if outcome is None:
                return
            view.model().replace(row, outcome.value)
            self._refresh_counts()
            self.changed.emit()
        view.setFocus()
        view.advance()

    def _row_changed(self, view: AttendanceView) -> None:
        row = view.current_row()
        attendee = view.model().attendees[row] if row >= 0 else None
        absent = attendee is not None and attendee.mark in (Mark.EXCUSED, Mark.ABSENT)
        self.reason.setEnabled(absent)
        self.reason.setText(attendee.reason if absent else "")

    def mark_rest_present(self) -> None:
        if self.meeting_id is None:
            return
        meeting_id = self.meeting_id
        if run_op(self, lambda: meeting_service.mark_rest_present(meeting_id), source=self) is None:
            return
        row = self.view.current_row()
        self.load(self.meeting_id)
        self.view.select_row(row)
        self.changed.emit()

    def focus_roll(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
