"""Huy hiệu, thẻ đảng viên, khen thưởng… of one member: the dated events the statistics count (Biểu 7), added and
cancelled here; a cancelled one stays in the list, greyed, with its reason."""
from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from app.domain.dates import format_date, parse_date
from app.domain.issues import Issue
from app.domain.member_events import EventKind, details_of
from app.domain.members import Member
from app.i18n import _
from app.services import member_events
from app.services.errors import ServiceError
from ui.dialogs import WARNING_STYLE, BaseDialog, show_error
from ui.widgets import DateField, heading, text_width

COLUMNS = (lambda: _("Ngày"), lambda: _("Loại"), lambda: _("Chi tiết"), lambda: _("Số quyết định"),
           lambda: _("Ghi chú"))
_GREY = QColor("#8a8a8a")


def event_cells(row: member_events.EventRow) -> list[str]:
    note = row.note
    if row.cancelled:
        note = _("Đã hủy: {reason}").format(reason=row.cancel_reason) + (f" — {note}" if note else "")
    return [format_date(row.date), row.kind.label, row.detail_label, row.decision, note]


class EventsDialog(BaseDialog):
    """The member's events, oldest first; «Thêm…» and «Hủy sự kiện…» save through the runner at once."""

    area = "member"

    def __init__(self, member: Member, parent=None, today: dt.date | None = None):
        super().__init__(_("Huy hiệu, thẻ đảng viên, khen thưởng — {name}").format(name=member.full_name), parent)
        self.member, self.member_id = member, member.id
        self.today = today or dt.date.today()
        self.rows: list[member_events.EventRow] = []
        self.layout_.addWidget(heading(member.full_name))
        note = QLabel(_("Những việc biểu thống kê đếm (Biểu 7): huy hiệu Đảng, thẻ đảng viên, chuyển sinh hoạt tạm "
                        "thời, khen thưởng. Việc ghi nhầm thì hủy, ghi lý do; dòng đã hủy vẫn giữ lại, chữ xám."))
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([c() for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.layout_.addWidget(self.table, 1)
        self.empty = QLabel(_("Chưa ghi việc nào. Bấm «Thêm…» để ghi."))
        self.layout_.addWidget(self.empty)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("Thêm…"))
        self.add_button.clicked.connect(self.add_event)
        self.cancel_button = QPushButton(_("Hủy sự kiện…"))
        self.cancel_button.clicked.connect(self.cancel_event)
        row.addWidget(self.add_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Đóng"))
        self.resize(text_width(self, 110), self.fontMetrics().height() * 22)
        self.finish_layout()
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        try:
            self.rows = member_events.events(self.member_id, include_cancelled=True)
        except ServiceError as exc:
            show_error(self, str(exc))
            self.rows = []
        self.table.setRowCount(len(self.rows))
        for r, event in enumerate(self.rows):
            for c, text in enumerate(event_cells(event)):
                item = QTableWidgetItem(text)
                if event.cancelled:
                    item.setForeground(QBrush(_GREY))
                    if c < 3:
                        font = item.font()
                        font.setStrikeOut(True)
                        item.setFont(font)
                self.table.setItem(r, c, item)
            if event.id == select_id:
                self.table.selectRow(r)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not self.rows)
        self._update_buttons()

    def selected_event(self) -> member_events.EventRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected_event()
        self.cancel_button.setEnabled(chosen is not None and not chosen.cancelled)

    def add_event(self) -> None:
        dialog = AddEventDialog(self.member, self, today=self.today)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.added is not None:
            self.reload(dialog.added.id)

    def cancel_event(self) -> None:
        chosen = self.selected_event()
        if chosen is None or chosen.cancelled:
            return
        if CancelEventDialog(chosen, self).exec() == QDialog.DialogCode.Accepted:
            self.reload(chosen.id)


class AddEventDialog(BaseDialog):
    """Thêm: kind, day, the detail the kind takes (a badge's years, a card's reason, a reward's form; free text
    for a temporary transfer), decision and note; what check_event says shows as it is filled."""

    area = "member"
    required_fields = ("event_kind", "event_date", "detail")

    def __init__(self, member: Member, parent=None, today: dt.date | None = None):
        super().__init__(_("Thêm sự kiện — {name}").format(name=member.full_name), parent)
        self.member, self.member_id = member, member.id
        self.today = today or dt.date.today()
        self.added: member_events.EventRow | None = None
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.kind = self.choice_box(_("— chọn loại —"))
        for kind in EventKind:
            self.kind.addItem(kind.label, kind.value)
        self.add_field(form, "event_kind", self.kind)
        self.date = DateField(self.today)
        self.add_field(form, "event_date", self.date)
        self.detail = QComboBox()
        self.add_field(form, "detail", self.detail)
        self.detail_text = QLineEdit()
        self.detail_text.setPlaceholderText(_("ví dụ: đi học tập trung 6 tháng tại Học viện"))
        self.add_field(form, "detail_text", self.detail_text, _("Nội dung"))
        self.decision = QLineEdit()
        self.decision.setPlaceholderText(_("ví dụ: 125-QĐ/TU"))
        self.add_field(form, "decision", self.decision)
        self.note = QLineEdit()
        self.add_field(form, "note", self.note, _("Ghi chú"))
        self.form = form
        self.rule_note = QLabel()
        self.rule_note.setWordWrap(True)
        self.rule_note.setStyleSheet(WARNING_STYLE)
        self.rule_note.hide()
        self.layout_.addWidget(self.rule_note)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.detail.currentIndexChanged.connect(self._check)
        self.date.textChanged.connect(self._check)
        self.setMinimumWidth(text_width(self, 70))
        self.finish_layout()
        self._kind_chosen()
        self.kind.setFocus()

    def chosen_kind(self) -> EventKind | None:
        data = self.kind.currentData()
        return EventKind(data) if data else None

    def chosen_detail(self) -> str:
        kind = self.chosen_kind()
        if kind is None:
            return ""
        if details_of(kind):
            return self.detail.currentData() or ""
        return self.detail_text.text().strip()

    def _kind_chosen(self) -> None:
        kind = self.chosen_kind()
        choices = details_of(kind) if kind is not None else {}
        self.detail.blockSignals(True)
        self.detail.clear()
        self.detail.addItem(_("— chọn —"), "")
        for code, label in choices.items():
            self.detail.addItem(label(), code)
        if kind is EventKind.BADGE and self.member.admission_date:
            # The milestone the member has reached last is the likely one.
            years = self.today.year - self.member.admission_date.year
            reached = [code for code in choices if int(code) <= years]
            if reached:
                self.detail.setCurrentIndex(self.detail.findData(reached[-1]))
        self.detail.blockSignals(False)
        self.form.setRowVisible(self.detail.parentWidget(), bool(choices))
        self.form.setRowVisible(self.detail_text.parentWidget(), kind is EventKind.TEMPORARY_OUT)
        self._check()
        if self.isVisible():
            self.grow_to_fit()

    def _day(self) -> dt.date | None:
        try:
            return parse_date(self.date.text())
        except ValueError:
            return None

    def _issues(self) -> list[Issue]:
        kind, day = self.chosen_kind(), self._day()
        if kind is None or day is None:
            return []
        if details_of(kind) and not self.chosen_detail():
            return []
        return member_events.check_event(self.member_id, kind, day, self.chosen_detail(), today=self.today).issues

    def _check(self) -> None:
        issues = self._issues()
        warnings = [str(i) for i in issues if not i.is_error]
        self.rule_note.setText("\n".join(warnings))
        self.rule_note.setVisible(bool(warnings))
        self.show_issues([i for i in issues if i.is_error], saving=False)

    def save(self) -> bool:
        issues: list[Issue] = []
        kind = self.chosen_kind()
        if kind is None:
            issues.append(Issue("member.event_kind", _("hãy chọn loại sự kiện.")))
        day = self.read_date("event_date", self.date.text(), issues, missing=_("cần ghi ngày."))
        if kind is not None and details_of(kind) and not self.chosen_detail():
            issues.append(Issue("member.detail", _("hãy chọn chi tiết.")))
        if issues:
            self.show_issues(issues)
            return False
        outcome = self.perform(lambda: member_events.add_event(
            self.member_id, kind, day, self.chosen_detail(), self.decision.text(), self.note.text(),
            today=self.today))
        if outcome is None:
            return False
        self.added = outcome.value
        return True


class CancelEventDialog(BaseDialog):
    """Hủy sự kiện: asks the reason; the event stays in the list, marked cancelled."""

    area = "member"
    required_fields = ("reason",)

    def __init__(self, event: member_events.EventRow, parent=None):
        super().__init__(_("Hủy sự kiện"), parent, ok_text=_("Hủy sự kiện"))
        self.event = event
        text = QLabel(_("Hủy «{kind}: {detail}» ngày {date}? Dòng này vẫn giữ trong danh sách, ghi là đã hủy, và "
                        "không còn được đếm trong biểu thống kê.").format(
            kind=event.kind.label, detail=event.detail_label, date=format_date(event.date)))
        text.setWordWrap(True)
        self.layout_.addWidget(text)
        form = QFormLayout()
        self.layout_.addLayout(form)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("ví dụ: ghi nhầm ngày"))
        self.add_field(form, "reason", self.reason, _("Lý do hủy"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Không hủy"))
        self.setMinimumWidth(text_width(self, 70))
        self.finish_layout()

    def save(self) -> bool:
        if not self.reason.text().strip():
            self.show_issues([Issue("member.reason", _("hãy ghi lý do hủy."))])
            return False
        return self.perform(lambda: member_events.cancel_event(self.event.id, self.reason.text())) is not None

