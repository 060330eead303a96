"""Lịch sử of one member: the dated status history and the change log, read-only."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import format_date, parse_date
from app.domain.labels import field_label
from app.domain.member_events import COUNTED_STATUSES, EntryKind, Scope, kind_label, kind_report
from app.domain.members import Member, MemberStatus, Sex, StatusChange
from app.i18n import _
from app.services import members as member_service
from ui.dialogs import BaseDialog, show_info
from ui.roster.status_dialog import add_kind_scope_fields
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


def entering_changes(history: list[StatusChange]) -> dict[int, MemberStatus | None]:
    """The changes that brought the member into the count, by id, with the status before each."""
    found, before = {}, None
    for change in history:
        if change.status in COUNTED_STATUSES and before not in COUNTED_STATUSES and change.id is not None:
            found[change.id] = before
        before = change.status
    return found


def kind_text(change: StatusChange) -> str:
    """Hình thức as the statistics count it: «Chuyển đến — Tỉnh, thành phố khác»; empty when not given."""
    parts = [kind_label(change.kind)] if change.kind else []
    if change.scope:
        try:
            parts.append(Scope(change.scope).label)
        except ValueError:
            parts.append(change.scope)
    return " — ".join(parts)


class HistoryDialog(BaseDialog):
    """Two tabs: Tình trạng (status_history, with «Ghi hình thức…» for an entry into the count recorded without
    its kind) and Nhật ký thay đổi (member_history)."""

    def __init__(self, member: Member, parent=None):
        super().__init__(_("Lịch sử — {name}").format(name=member.full_name), parent)
        self.member, self.member_id = member, member.id
        changes = [[_when(e["at"]), _ACTIONS[e["action"]]() if e["action"] in _ACTIONS else e["action"],
                    change_lines(e["changes"], created=e["action"] == "create"), e["reason"]]
                   for e in member_service.member_history(member.id)]
        self.layout_.addWidget(heading(member.full_name))
        self.tabs = QTabWidget()
        self.status_table = read_only_table([_("Từ ngày"), _("Tình trạng"), _("Hình thức"), _("Lý do")], [])
        self.status_table.itemSelectionChanged.connect(self._update_buttons)
        status_tab = QWidget()
        column = QVBoxLayout(status_tab)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.status_table, 1)
        row = QHBoxLayout()
        self.classify_button = QPushButton(_("Ghi hình thức…"))
        self.classify_button.setToolTip(_("Cho một lần vào chi bộ chưa ghi hình thức: kết nạp, kết nạp lại, "
                                          "chuyển đến hay phục hồi đảng tịch (biểu thống kê cần)"))
        self.classify_button.clicked.connect(self.classify_selected)
        row.addWidget(self.classify_button)
        self.events_button = QPushButton(_("Huy hiệu, khen thưởng…"))
        self.events_button.setToolTip(_("Huy hiệu Đảng, thẻ đảng viên, chuyển sinh hoạt tạm thời, khen thưởng"))
        self.events_button.clicked.connect(self.show_events)
        row.addWidget(self.events_button)
        self.classify_note = QLabel()
        self.classify_note.setWordWrap(True)
        row.addWidget(self.classify_note, 1)
        column.addLayout(row)
        self.changes_table = read_only_table([_("Thời gian"), _("Việc"), _("Thay đổi"), _("Lý do")], changes)
        self.tabs.addTab(status_tab, "")
        self.tabs.addTab(self.changes_table, _("Nhật ký thay đổi ({count})").format(count=len(changes)))
        self.layout_.addWidget(self.tabs)
        # Read-only: one Đóng button instead of Lưu/Hủy.
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Đóng"))
        self.resize(text_width(self, 130), self.fontMetrics().height() * 28)
        self.finish_layout()
        self.reload_statuses()

    def reload_statuses(self, select_id: int | None = None) -> None:
        self.history = member_service.status_history(self.member_id)
        self.entering = entering_changes(self.history)
        table = self.status_table
        table.setRowCount(len(self.history))
        for r, change in enumerate(self.history):
            kind = kind_text(change)
            if not kind and change.id in self.entering:
                kind = _("(chưa ghi)")
            for c, text in enumerate((format_date(change.effective_date), change.status.label, kind, change.reason)):
                table.setItem(r, c, QTableWidgetItem(text))
            if change.id == select_id:
                table.selectRow(r)
        table.resizeColumnsToContents()
        self.tabs.setTabText(0, _("Tình trạng ({count})").format(count=len(self.history)))
        missing = sum(1 for c in self.history if c.id in self.entering and not c.kind)
        self.classify_note.setText(_("{count} lần vào chi bộ chưa ghi hình thức: chọn dòng đó rồi bấm «Ghi hình "
                                     "thức…».").format(count=missing) if missing else "")
        self._update_buttons()

    def selected_change(self) -> StatusChange | None:
        rows = self.status_table.selectionModel().selectedRows()
        return self.history[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected_change()
        self.classify_button.setEnabled(chosen is not None and chosen.id in self.entering and not chosen.kind)

    def show_events(self) -> None:
        from ui.roster.events_dialog import EventsDialog

        EventsDialog(self.member, self).exec()

    def classify_selected(self) -> None:
        chosen = self.selected_change()
        if chosen is None or chosen.id not in self.entering or chosen.kind:
            return
        dialog = ClassifyDialog(self.member, chosen, self.entering[chosen.id], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload_statuses(chosen.id)
            show_info(self, _("Đã ghi hình thức «{kind}» cho lần vào chi bộ ngày {date}.").format(
                kind=kind_text(dialog.saved) if dialog.saved else "", date=format_date(chosen.effective_date)))


class ClassifyDialog(BaseDialog):
    """Ghi hình thức of a past change into the count recorded without one (members.classify_status_change)."""

    area = "member"
    required_fields = ("kind",)

    def __init__(self, member: Member, change: StatusChange, before: MemberStatus | None, parent=None):
        super().__init__(_("Ghi hình thức — {name}").format(name=member.full_name), parent)
        self.member_id, self.change, self.before = member.id, change, before
        self.saved: StatusChange | None = None
        text = QLabel(_("Ngày {date} đồng chí thành «{status}». Biểu thống kê cần biết đồng chí vào chi bộ theo hình "
                        "thức nào. Chỉ ghi được một lần.").format(date=format_date(change.effective_date),
                                                                  status=change.status.label))
        text.setWordWrap(True)
        self.layout_.addWidget(text)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.kind, self.scope = add_kind_scope_fields(self, self.form, _("— chọn hình thức —"))
        self.kind.currentIndexChanged.connect(self._chosen)
        self.scope.currentIndexChanged.connect(self._chosen)
        self.setMinimumWidth(text_width(self, 65))
        self.finish_layout()
        self._chosen()

    def chosen_kind(self) -> str:
        return self.kind.currentData() or ""

    def chosen_scope(self) -> str:
        return (self.scope.currentData() or "") if self.chosen_kind() == EntryKind.TRANSFERRED_IN.value else ""

    def _chosen(self) -> None:
        self.form.setRowVisible(self.scope.parentWidget(), self.chosen_kind() == EntryKind.TRANSFERRED_IN.value)
        if self.chosen_kind():
            report = kind_report(self.before, self.change.status, self.chosen_kind(), self.chosen_scope())
            self.show_issues(report.errors, saving=False)
        else:
            self.clear_issues()
        if self.isVisible():
            self.grow_to_fit()

    def save(self) -> bool:
        if not self.chosen_kind():
            self.show_issues(kind_report(self.before, self.change.status, "", "", required=True).errors)
            return False
        outcome = self.perform(lambda: member_service.classify_status_change(
            self.member_id, self.change.id, self.chosen_kind(), self.chosen_scope()))
        if outcome is None:
            return False
        self.saved = outcome.value
        return True
