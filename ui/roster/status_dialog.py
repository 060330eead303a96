"""Đổi tình trạng: a dated status change with its reason, added to the member's history."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit

from app.domain.dates import format_date, parse_date
from app.domain.member_events import COUNTED_STATUSES, EntryKind, Scope, kind_report
from app.domain.members import (
    Issue,
    Member,
    MemberStatus,
    is_recognition,
    probation_end,
    probation_note,
    status_on,
)
from app.i18n import _
from app.services import members as member_service
from ui.dialogs import WARNING_STYLE, BaseDialog
from ui.widgets import DateField, text_width


def _unrecorded_box() -> QComboBox:
    combo = QComboBox()
    combo.addItem(_("— chưa ghi —"), "")
    return combo


def add_kind_scope_fields(dialog: BaseDialog, form: QFormLayout,
                          kind_placeholder: str | None = None) -> tuple[QComboBox, QComboBox]:
    """The «kind» choice (kết nạp, chuyển đến, …) and the «scope» one (where a transfer comes from or goes to)
    added to «form»: the kind starts on «kind_placeholder» as a required choice, or on «— chưa ghi —» without
    one; the scope always starts on «— chưa ghi —»."""
    kind = dialog.choice_box(kind_placeholder) if kind_placeholder is not None else _unrecorded_box()
    for entry in EntryKind:
        kind.addItem(entry.label, entry.value)
    dialog.add_field(form, "kind", kind)
    scope = _unrecorded_box()
    for place in Scope:
        scope.addItem(place.label, place.value)
    dialog.add_field(form, "scope", scope, _("Nơi chuyển"))
    return kind, scope


class StatusDialog(BaseDialog):
    """Calls members.change_status; earlier entries of the history are never changed. Nothing is chosen at
    first, and what the rules say of the choice (12 months of probation, who can be expelled) shows as it
    is filled, before Lưu."""

    area = "member"

    def __init__(self, member: Member, parent=None, today: dt.date | None = None):
        super().__init__(_("Đổi tình trạng — {name}").format(name=member.full_name), parent)
        self.member, self.member_id = member, member.id
        self.today = today or dt.date.today()
        self.history = member_service.status_history(member.id)
        current = member.status.label if member.status else _("(chưa có)")
        note = QLabel(_("Tình trạng hiện nay: {status}. Thay đổi được ghi thêm vào lịch sử, "
                        "không xóa các lần ghi trước.").format(status=current))
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.status = self.choice_box(_("— chọn tình trạng mới —"))
        for status in MemberStatus:
            if status != member.status:
                self.status.addItem(status.label, status)
        self.add_field(self.form, "status", self.status, _("Tình trạng mới"))
        self.date = DateField(self.today)
        self.add_field(self.form, "effective_date", self.date, _("Từ ngày"))
        self.vote_date = DateField()
        self.add_field(self.form, "vote_date", self.vote_date)
        # How the statistics count the change: its kind when it brings the member into the count, and where a
        # transfer comes from or goes to (Biểu 1).
        self.kind, self.scope = add_kind_scope_fields(self, self.form)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("ví dụ: chuyển sinh hoạt về Đảng bộ phường Tân Mai"))
        self.add_field(self.form, "reason", self.reason, _("Lý do"))
        # The 12 months of probation (for chính thức) and the rules' warnings; refusals go under their fields.
        self.rule_note = QLabel()
        self.rule_note.setWordWrap(True)
        self.rule_note.setStyleSheet(WARNING_STYLE)
        self.layout_.addWidget(self.rule_note)
        self.status.currentIndexChanged.connect(self._status_chosen)
        for edit in (self.date, self.vote_date):
            edit.textChanged.connect(self._status_chosen)
        for combo in (self.kind, self.scope):
            combo.currentIndexChanged.connect(self._status_chosen)
        self.setMinimumWidth(text_width(self, 80))
        self.finish_layout()
        self._status_chosen()
        self.status.setFocus()

    @property
    def required_fields(self) -> tuple[str, ...]:
        if self._recognition():
            return "status", "effective_date", "vote_date"
        return "status", "effective_date", "reason"

    def _chosen(self) -> MemberStatus | None:
        # Qt hands a StrEnum back as a plain str.
        data = self.status.currentData()
        return MemberStatus(data) if data is not None else None

    def _day(self, edit: DateField) -> dt.date | None:
        try:
            return parse_date(edit.text())
        except ValueError:
            return None

    def _recognition(self) -> bool:
        chosen, day = self._chosen(), self._day(self.date) or self.today
        return chosen is not None and is_recognition(self.history, chosen, day)

    def _before(self) -> MemberStatus | None:
        """The status in force on the day of the change (before it)."""
        day = self._day(self.date) or self.today
        return status_on(self.history, day) if self.history else None

    def entering(self) -> bool:
        """Whether the change brings the member into the count (Hình thức is asked)."""
        chosen = self._chosen()
        return chosen in COUNTED_STATUSES and self._before() not in COUNTED_STATUSES

    def transfer(self) -> bool:
        """Whether the change is a transfer in or out (Nơi chuyển is asked)."""
        chosen = self._chosen()
        return chosen is MemberStatus.TRANSFERRED_OUT or (
            self.entering() and self.kind.currentData() == EntryKind.TRANSFERRED_IN.value)

    def chosen_kind(self) -> str:
        return (self.kind.currentData() or "") if self.entering() else ""

    def chosen_scope(self) -> str:
        return (self.scope.currentData() or "") if self.transfer() else ""

    def _status_chosen(self) -> None:
        recognition = self._recognition()
        self.form.setRowVisible(self.vote_date.parentWidget(), recognition)
        self.form.setRowVisible(self.kind.parentWidget(), self.entering())
        self.form.setRowVisible(self.scope.parentWidget(), self.transfer())
        if recognition and self.date.text() == format_date(self.today):
            # The official date is the day the 12 months end, not the day of the meeting (R7).
            end = probation_end(self.member, self.history)
            if end is not None and end <= self.today:
                self.date.setText(format_date(end))
        self.reason.setPlaceholderText(_("có thể bỏ trống; ví dụ: Quyết định số 25-QĐ/ĐU") if recognition else
                                       _("ví dụ: chuyển sinh hoạt về Đảng bộ phường Tân Mai"))
        self.update_required_marks()
        self._show_rules()

    def _show_rules(self) -> None:
        chosen, day = self._chosen(), self._day(self.date)
        issues = []
        if chosen is not None and day is not None:
            issues = member_service.check_status_change(self.member_id, chosen, effective_date=day,
                                                        vote_date=self._day(self.vote_date), today=self.today)
        notes = [probation_note(self.member, self.history)] if self._recognition() else []
        if chosen is not None:
            issues = list(issues) + kind_report(self._before(), chosen, self.chosen_kind(), self.chosen_scope()).issues
        notes += [str(i) for i in issues if not i.is_error]
        self.rule_note.setText("\n".join(notes))
        self.rule_note.setVisible(bool(notes))
        self.show_issues([i for i in issues if i.is_error], saving=False)

    def save(self) -> bool:
        issues: list[Issue] = []
        chosen = self._chosen()
        if chosen is None:
            issues.append(Issue("member.status", _("hãy chọn tình trạng mới.")))
        day = self.read_date("effective_date", self.date.text(), issues)
        if day is None and not any(i.field == "member.effective_date" for i in issues):
            issues.append(Issue("member.effective_date", _("cần ghi ngày thay đổi.")))
        vote = self.read_date("vote_date", self.vote_date.text(), issues) if self._recognition() else None
        if issues:
            self.show_issues(issues)
            return False
        return self.perform(lambda: member_service.change_status(
            self.member_id, chosen, effective_date=day, reason=self.reason.text(), vote_date=vote,
            today=self.today, kind=self.chosen_kind(), scope=self.chosen_scope())) is not None
