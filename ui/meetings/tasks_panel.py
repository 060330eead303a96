"""The meeting's «Nhiệm vụ» tab: the tasks given at this meeting (typed, or read from its «Phân công nhiệm vụ»)
and the earlier tasks whose result this meeting confirms, each with its status filled in beforehand."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import Month
from app.domain.issues import Issue
from app.domain.review import TaskStatus
from app.i18n import _
from app.services import meetings as meeting_service
from app.services import members as member_service
from app.services import review_tasks
from app.services.changes import Changes
from app.services.errors import ServiceError
from ui.dialogs import BaseDialog, show_error, show_info
from ui.ops import hub, run_op
from ui.widgets import scaled_font, text_width

_STATUSES = list(TaskStatus)


def _month_text(month: Month) -> str:
    return f"{month.month:02d}/{month.year}"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # The task's text takes the width left and wraps; the month and the result keep theirs.
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    return table


class TasksPanel(QWidget):
    """Nhiệm vụ giao tại buổi này, and Nhiệm vụ kỳ trước cần xác nhận (with «Xác nhận»)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.meeting_id: int | None = None
        self.given: list[review_tasks.Task] = []
        self.pending: list[review_tasks.ToConfirm] = []
        layout = QVBoxLayout(self)
        self.add_button = QPushButton(_("Thêm nhiệm vụ…"))
        self.add_button.clicked.connect(self.add_task)
        self.cancel_button = QPushButton(_("Bỏ nhiệm vụ…"))
        self.cancel_button.clicked.connect(self.cancel_task)
        self.assignments_button = QPushButton(_("Lấy từ phần phân công"))
        self.assignments_button.setToolTip(_("Mỗi dòng «Tên đồng chí: việc được giao (tháng 12)» trong phần Phân "
                                             "công nhiệm vụ của buổi này thành một nhiệm vụ"))
        self.assignments_button.clicked.connect(self.take_from_assignments)
        layout.addLayout(self._caption_row(_("Nhiệm vụ giao tại buổi này")))
        self.given_table = _table([_("Đồng chí: nhiệm vụ"), _("Hạn")])
        layout.addWidget(self.given_table, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.cancel_button, self.assignments_button):
            buttons.addWidget(button)
        self.given_note = QLabel()
        self.given_note.setWordWrap(True)
        buttons.addWidget(self.given_note, 1)
        layout.addLayout(buttons)
        self.confirm_button = QPushButton(_("Xác nhận"))
        self.confirm_button.setToolTip(_("Ghi kết quả đã chọn của các nhiệm vụ kỳ trước (tính vào xếp loại cuối năm)"))
        self.confirm_button.clicked.connect(self.confirm)
        layout.addLayout(self._caption_row(_("Nhiệm vụ kỳ trước cần xác nhận"), self.confirm_button))
        self.confirm_note = QLabel()
        self.confirm_note.setWordWrap(True)
        layout.addWidget(self.confirm_note)
        self.confirm_table = _table([_("Đồng chí: nhiệm vụ"), _("Hạn"), _("Kết quả")])
        layout.addWidget(self.confirm_table, 1)
        hub().changed.connect(self._heard)
        self.load(None)

    def _caption_row(self, text: str, *buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(text)
        label.setFont(scaled_font(label, 1.0, bold=True))
        label.setWordWrap(True)  # the buttons keep their width in a narrow pane; the caption wraps
        row.addWidget(label, 1)
        for button in buttons:
            row.addWidget(button)
        return row

    # --- loading -------------------------------------------------------------------------------------
    def load(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        self.given, self.pending = [], []
        if meeting_id is not None:
            try:
                self.given = review_tasks.tasks(meeting_id=meeting_id)
                self.pending = review_tasks.to_confirm(meeting_id)
            except ServiceError as exc:
                self.confirm_note.setText(str(exc))
        people = self._names()
        self._fill_given(people)
        self._fill_pending()
        for widget in (self.add_button, self.assignments_button):
            widget.setEnabled(meeting_id is not None)
        self.cancel_button.setEnabled(bool(self.given))
        self.confirm_button.setEnabled(bool(self.pending))

    def _names(self) -> dict[int, str]:
        try:
            return {e.member.id: e.member.full_name
                    for e in member_service.list_members(statuses=None, include_archived=True)}
        except ServiceError:
            return {}

    def _fill_given(self, people: dict[int, str]) -> None:
        table = self.given_table
        table.setRowCount(len(self.given))
        self.given_note.setText(_("Chưa giao nhiệm vụ nào tại buổi này.") if self.meeting_id and not self.given
                                else "")
        for r, task in enumerate(self.given):
            for c, text in enumerate((f"{people.get(task.member_id, '')}: {task.title}", _month_text(task.due_month))):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeRowsToContents()

    def _fill_pending(self) -> None:
        table = self.confirm_table
        table.setRowCount(len(self.pending))
        for r, item in enumerate(self.pending):
            task = item.task
            for c, text in enumerate((f"{item.full_name}: {task.title}", _month_text(task.due_month))):
                table.setItem(r, c, QTableWidgetItem(text))
            combo = QComboBox()
            combo.addItems([s.label for s in _STATUSES])
            combo.setCurrentIndex(_STATUSES.index(item.proposed))
            table.setCellWidget(r, 2, combo)
        table.resizeRowsToContents()
        waiting = sum(1 for item in self.pending if not item.confirmed)
        if self.meeting_id is None:
            text = ""
        elif not self.pending:
            text = _("Không có nhiệm vụ kỳ trước đến hạn cần xác nhận.")
        elif waiting:
            text = _("{waiting} nhiệm vụ chưa xác nhận. Kết quả đã điền sẵn theo hạn; sửa nếu cần rồi bấm «Xác "
                     "nhận».").format(waiting=waiting)
        else:
            text = _("Buổi này đã xác nhận các nhiệm vụ dưới đây; sửa kết quả nếu cần rồi bấm «Xác nhận».")
        self.confirm_note.setText(text)
        self.confirm_note.setVisible(bool(text))

    def _heard(self, changes: Changes, source: object) -> None:
        if source is not self and (changes.review_tasks or changes.members or changes.everything
                                   or self.meeting_id in changes.meetings):
            self.load(self.meeting_id)

    # --- actions -------------------------------------------------------------------------------------
    def chosen_statuses(self) -> dict[int, TaskStatus]:
        return {item.task.id: _STATUSES[self.confirm_table.cellWidget(r, 2).currentIndex()]
                for r, item in enumerate(self.pending)}

    def confirm(self) -> None:
        if self.meeting_id is None or not self.pending:
            return
        meeting_id, statuses = self.meeting_id, self.chosen_statuses()
        if run_op(self, lambda: review_tasks.confirm(meeting_id, statuses), source=self) is not None:
            self.load(meeting_id)

    def take_from_assignments(self) -> None:
        if self.meeting_id is None:
            return
        meeting_id = self.meeting_id
        outcome = run_op(self, lambda: review_tasks.from_assignments(meeting_id), source=self)
        if outcome is None:
            return
        self.load(meeting_id)
        if not outcome.value:
            show_info(self, _("Không có dòng phân công mới nào bắt đầu bằng tên một đồng chí (ví dụ «Nguyễn Văn An: "
                              "vận động 5 hộ nộp quỹ (tháng 12)») trong phần Phân công nhiệm vụ của buổi này."))

    def add_task(self) -> None:
        if self.meeting_id is not None:
            AddTaskDialog(self.meeting_id, self).exec()

    def cancel_task(self) -> None:
        row = self.given_table.currentRow()
        if not 0 <= row < len(self.given):
            show_error(self, _("Chọn một nhiệm vụ trong bảng «Nhiệm vụ giao tại buổi này» trước."))
            return
        CancelTaskDialog(self.given[row], self).exec()


class AddTaskDialog(BaseDialog):
    """Giao một nhiệm vụ at this meeting: who, what, by which month."""

    area = "review"
    required_fields = ("member", "task_title")

    def __init__(self, meeting_id: int, parent: QWidget | None = None):
        super().__init__(_("Thêm nhiệm vụ"), parent, ok_text=_("Thêm"))
        self.meeting_id = meeting_id
        meeting = meeting_service.get_meeting(meeting_id)
        form = QFormLayout()
        self.member = self.choice_box(_("(chọn đồng chí)"))
        for member, _status in member_service.roster_on(meeting.date):
            self.member.addItem(member.full_name, member.id)
        self.title = QLineEdit()
        due = meeting.task_month or meeting.tasks_for
        self.due = QLineEdit(_month_text(due) if due else "")
        self.due.setPlaceholderText(_("tháng/năm, ví dụ 12/2026"))
        self.due.setMaximumWidth(text_width(self.due, 24))
        self.add_field(form, "member", self.member, label=_("Đồng chí"))
        self.add_field(form, "task_title", self.title, label=_("Nội dung nhiệm vụ"))
        self.add_field(form, "due_month", self.due, label=_("Hạn (tháng)"))
        self.layout_.addLayout(form)
        self.setMinimumWidth(text_width(self, 70))
        self.finish_layout()

    def save(self) -> bool:
        member_id = self.member.currentData()
        if member_id is None:
            self.show_issues([Issue("review.member", _("chọn đồng chí được giao nhiệm vụ."))])
            return False
        title, due, meeting_id = self.title.text(), self.due.text().strip(), self.meeting_id
        return self.perform(lambda: review_tasks.add_task(member_id, title, due_month=due,
                                                          meeting_id=meeting_id)) is not None


class CancelTaskDialog(BaseDialog):
    """Bỏ một nhiệm vụ ghi nhầm, with the reason (it stays in the file, out of every count)."""

    area = "review"
    required_fields = ("cancel_reason",)

    def __init__(self, task: review_tasks.Task, parent: QWidget | None = None):
        super().__init__(_("Bỏ nhiệm vụ"), parent, ok_text=_("Bỏ nhiệm vụ"))
        self.task = task
        form = QFormLayout()
        shown = QLabel(task.title)
        shown.setWordWrap(True)
        form.addRow(_("Nhiệm vụ"), shown)
        self.reason = QLineEdit()
        self.add_field(form, "cancel_reason", self.reason, label=_("Lý do bỏ"))
        self.layout_.addLayout(form)
        self.setMinimumWidth(text_width(self, 60))
        self.finish_layout()

    def save(self) -> bool:
        task_id, reason = self.task.id, self.reason.text()
        return self.perform(lambda: review_tasks.cancel_task(task_id, reason)) is not None
