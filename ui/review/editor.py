"""One member's review on the whole page: the facts, the self-assessment, the chi ủy's and the cell's view with the
vote, the Đảng ủy's decision and the year's tasks; the grade the scores give is shown live, nothing typed is lost."""
from __future__ import annotations

import dataclasses
from contextlib import contextmanager

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.issues import Issue
from app.domain.review import format_score, parse_score
from app.i18n import _
from app.services import drafts, review_tasks
from app.services import review as review_service
from app.services.errors import ServiceError
from app.storage.db import DatabaseError
from ui.dialogs import WARNING_STYLE, choose, red_label
from ui.ops import run_op
from ui.review import fields as f
from ui.widgets import scaled_font, shortcut_button, text_width

# How long after the last keystroke what is typed is written into the draft (as on the meeting's tabs).
DRAFT_DELAY_MS = 800
_GRADE_NAMES = ("self_grade", "committee_grade", "proposed_grade", "final_grade")
_TALLY_KEYS = ("review.votes", "review.present", "review.voters")


def draft_key(year: int, member_id: int) -> str:
    return f"review.{year}.{member_id}"


def _scroll(inner: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, not to the frame
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(inner)
    return scroll


class MemberEditor(QWidget):
    """Bản kiểm điểm of one member in one year. `closed` when the secretary goes back to the list."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.year: int | None = None
        self.row: review_service.ReviewRow | None = None
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._loaded: dict[str, str] = {}
        self._loading = False
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(self._build_header())
        for label in (self.note, self.general_error, self.computed):
            layout.addWidget(label)
        self.tabs = QTabWidget()
        for title, build in ((_("Diện, hoàn cảnh"), self._build_facts), (_("Tự kiểm điểm"), self._build_self),
                             (_("Chi ủy, chi bộ"), self._build_cell), (_("Đảng ủy"), self._build_final),
                             (_("Nhiệm vụ trong năm"), self._build_tasks)):
            self.tabs.addTab(build(), title)
        layout.addWidget(self.tabs, 1)
        for widget in self.widgets.values():
            signal = f.change_signal(widget)
            if signal is not None:
                signal.connect(self._edited)
        self.tally.changed.connect(self._edited)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Cancel), self, activated=self.leave)

    # --- building ------------------------------------------------------------------------------------
    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.title = QLabel()
        self.title.setFont(scaled_font(self.title, 1.25, bold=True))
        self.title.setWordWrap(True)
        row.addWidget(self.title, 1)
        self.back_button = shortcut_button(self, _("Về danh sách"), None, self.leave)
        self.back_button.setToolTip(_("Về danh sách (Esc)"))
        self.form_button = shortcut_button(self, _("In bản kiểm điểm…"), None, self.print_form)
        self.ballot_button = shortcut_button(self, _("In phiếu biểu quyết…"), None, self.print_ballot)
        self.save_button = shortcut_button(self, _("Lưu"), "Ctrl+S", self.save)
        for button in (self.back_button, self.form_button, self.ballot_button, self.save_button):
            row.addWidget(button)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(WARNING_STYLE)
        self.note.hide()
        self.general_error = red_label()
        self.computed = QLabel()
        self.computed.setWordWrap(True)
        self.computed.setStyleSheet("padding: 4px; border: 1px solid #b0b8c0; background: #f4f7fa;")
        return row

    def _column(self) -> f.FieldColumn:
        return f.FieldColumn(self.errors)

    def _add(self, column: f.FieldColumn, name: str, widget: QWidget, **kwargs) -> QWidget:
        self.widgets[name] = widget
        return column.add(name, widget, **kwargs)

    def _build_facts(self) -> QWidget:
        column = self._column()
        form = QComboBox()
        for code, text in (("2C", _("Mẫu 2C: đảng viên không làm việc trong hệ thống chính trị")),
                           ("2B", _("Mẫu 2B: không giữ chức vụ lãnh đạo, quản lý")),
                           ("2A", _("Mẫu 2A: giữ chức vụ lãnh đạo, quản lý"))):
            form.addItem(text, code)
        self._add(column, "form", form)
        sick = QSpinBox()
        sick.setRange(0, 12)
        sick.setMaximumWidth(text_width(sick, 10))
        self._add(column, "sick_months", sick)
        for name in ("suspended", "maternity", "temporary_elsewhere"):
            self._add(column, name, QCheckBox())
        self._add(column, "temporary_comment", f.text_box(2))
        self._add(column, "works_elsewhere", QCheckBox())
        self._add(column, "residence_comment", f.text_box(2))
        for name in ("decline", "disciplined", "prohibitions", "shortcomings_remedied"):
            self._add(column, name, QCheckBox())
        self._add(column, "exceeded", f.yes_no_box(), beside=True)
        column.finish()
        return _scroll(column)

    def _score_box(self, top: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(_("0 đến {top}").format(top=top))
        edit.setMaximumWidth(text_width(edit, 14))
        return edit

    def _build_self(self) -> QWidget:
        column = self._column()
        self._add(column, "general_score", self._score_box(30))
        self._add(column, "task_score", self._score_box(70))
        self._add(column, "self_grade", f.grade_box(), beside=True)
        self._add(column, "self_reason", QLineEdit())
        for name in ("strengths", "shortcomings", "remedies", "plan"):
            self._add(column, name, f.text_box(3))
        column.finish()
        return _scroll(column)

    def _build_cell(self) -> QWidget:
        from ui.review.tally import TallyPanel

        column = self._column()
        self._add(column, "committee_view", f.text_box(3))
        self._add(column, "committee_grade", f.grade_box(), beside=True)
        self._add(column, "cell_comments", f.text_box(3))
        heading = QLabel(_("Kết quả biểu quyết của chi bộ"))
        heading.setFont(scaled_font(heading, 1.0, bold=True))
        column.add_widget(heading)
        self.tally = TallyPanel()
        column.add_widget(self.tally)
        self.tally_error = red_label()
        column.add_widget(self.tally_error)
        for key in _TALLY_KEYS:
            self.errors[key] = self.tally_error
        self._add(column, "proposed_grade", f.grade_box(), beside=True)
        self._add(column, "proposed_reason", QLineEdit())
        column.finish()
        return _scroll(column)

    def _build_final(self) -> QWidget:
        column = self._column()
        self._add(column, "final_grade", f.grade_box(), beside=True)
        self._add(column, "final_reason", QLineEdit())
        self._add(column, "final_decision", QLineEdit())
        column.finish()
        return _scroll(column)

    def _build_tasks(self) -> QWidget:
        self.task_table = QTableWidget(0, 3)
        self.task_table.setHorizontalHeaderLabels([_("Nội dung nhiệm vụ"), _("Hạn (tháng)"), _("Kết quả")])
        self.task_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.task_table.verticalHeader().hide()
        header = self.task_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.task_table.setWordWrap(True)
        self.task_summary = QLabel()
        self.task_summary.setWordWrap(True)
        box = QWidget()
        column = QVBoxLayout(box)
        column.addWidget(self.task_summary)
        column.addWidget(self.task_table, 1)
        return box

    # --- loading -------------------------------------------------------------------------------------
    @property
    def member_id(self) -> int | None:
        return self.row.member_id if self.row else None

    @contextmanager
    def _filling(self):
        self._loading = True
        try:
            yield
        finally:
            self._loading = False

    def open(self, year: int, member_id: int) -> bool:
        """Show a member's review, with any draft left of it put back; False when it cannot be read."""
        try:
            row = review_service.review_row(year, member_id)
        except ServiceError as exc:
            self.general_error.setText(str(exc))
            self.general_error.show()
            return False
        self.year = year
        self.note.hide()
        self._fill(row)
        self._put_back_draft()
        return True

    def reload(self) -> None:
        """Read the member again (a change made elsewhere: a task confirmed); typed text is kept."""
        if self.row is None or self.year is None:
            return
        try:
            row = review_service.review_row(self.year, self.row.member_id)
        except ServiceError:
            return
        if self.is_dirty():
            self.row = row  # the tasks and shares follow; what is typed stays on screen
            self._show_tasks()
            self._show_computed()
            return
        self._fill(row)

    def _fill(self, row: review_service.ReviewRow) -> None:
        self.row = row
        d = row.data
        with self._filling():
            w = self.widgets
            w["form"].setCurrentIndex(max(0, w["form"].findData(d.form)))
            w["sick_months"].setValue(d.sick_months)
            for name in ("suspended", "maternity", "temporary_elsewhere", "works_elsewhere", "decline", "disciplined",
                         "prohibitions", "shortcomings_remedied"):
                w[name].setChecked(getattr(d, name))
            w["exceeded"].setCurrentIndex(max(0, w["exceeded"].findData(d.exceeded)))
            for name in ("general_score", "task_score"):
                value = getattr(d, name)
                w[name].setText(format_score(value) if value is not None else "")
            for name in _GRADE_NAMES:
                f.set_grade(w[name], getattr(d, name))
            for name in ("temporary_comment", "residence_comment", "strengths", "shortcomings", "remedies", "plan",
                         "self_reason", "committee_view", "cell_comments", "proposed_reason", "final_reason",
                         "final_decision"):
                f.apply_raw(w[name], getattr(d, name))
            self.tally.load(d.voters, d.votes)
        self._loaded = self.raw_values()
        self.title.setText(_("Kiểm điểm năm {year}: đồng chí {name}").format(year=self.year, name=row.full_name))
        for button in (self.form_button, self.ballot_button):
            button.setEnabled(row.reviewed)  # no form and no ballot for a member outside the review
        self._clear_issues()
        self._show_tasks()
        self._show_computed()
        self._show_scope()

    def _show_scope(self) -> None:
        scope = self.row.scope
        if not scope.reviewed:
            self.general_error.setText(_("Không thuộc diện kiểm điểm: {reason}. Không chấm điểm, không xếp loại.")
                                       .format(reason=scope.exclusion.label))
            self.general_error.show()

    def _show_tasks(self) -> None:
        tasks = self.row.tasks
        self.task_table.setRowCount(len(tasks))
        for r, task in enumerate(tasks):
            status = task.status.label if task.status else _("Chưa xác nhận")
            for c, text in enumerate((task.title, f"{task.due_month.month:02d}/{task.due_month.year}", status)):
                self.task_table.setItem(r, c, QTableWidgetItem(text))
        self.task_table.resizeRowsToContents()
        shares = self.row.shares
        if not tasks:
            self.task_summary.setText(_("Chưa ghi nhiệm vụ nào trong năm. Nhiệm vụ được giao ở các buổi sinh hoạt "
                                        "(thẻ «Nhiệm vụ» trên trang Sinh hoạt) và xác nhận kết quả ở buổi sau."))
            return
        self.task_summary.setText(_("{n} nhiệm vụ. Đúng hạn {on_time} %, vượt yêu cầu {exceeded} %, chậm {late} %, "
                                    "không hoàn thành {not_done} %.").format(
            n=len(tasks), on_time=format_score(shares.on_time), exceeded=format_score(shares.exceeded),
            late=format_score(shares.late), not_done=format_score(shares.not_done)))

    # --- the grade the scores give, as they are typed --------------------------------------------------
    def _typed_data(self):
        """The stored entry with the scores and facts on screen; None when a score is not a number."""
        w = self.widgets
        scores = {}
        for name in ("general_score", "task_score"):
            text = w[name].text().strip()
            scores[name] = parse_score(text) if text else None
            if text and scores[name] is None:
                return None
        facts = {name: w[name].isChecked() for name in ("decline", "disciplined", "prohibitions",
                                                         "shortcomings_remedied")}
        return dataclasses.replace(self.row.data, exceeded=w["exceeded"].currentData(), **scores, **facts)

    def _show_computed(self) -> None:
        if self.row is None:
            return
        data = self._typed_data()
        if data is None:
            self.computed.setText(_("Điểm gõ chưa phải là số (ví dụ 25 hoặc 25,5)."))
            return
        result = review_service.grade_of(data, review_tasks.shares_of(self.row.tasks))
        if result is None:
            self.computed.setText(_("Ghi đủ hai nhóm điểm (thẻ «Tự kiểm điểm») để thấy mức xếp loại theo điểm và "
                                    "điều kiện."))
            return
        total = format_score(data.general_score + data.task_score)
        lines = [_("Tổng điểm {total}: theo điểm và điều kiện được {grade}.").format(total=total,
                                                                                    grade=result.grade.label)]
        self.computed.setText("\n".join(lines + result.why()))

    # --- what is typed -------------------------------------------------------------------------------
    def raw_values(self) -> dict[str, str]:
        values = {name: f.raw_of(widget) for name, widget in self.widgets.items()}
        values["voters"] = str(self.tally.present.value())
        values.update({f"votes.{g.value}": str(spin.value()) for g, spin in self.tally.votes.items()})
        return values

    def apply_raw(self, values: dict[str, str]) -> None:
        for name, widget in self.widgets.items():
            if name in values:
                f.apply_raw(widget, values[name])
        if "voters" in values:
            f.apply_raw(self.tally.present, values["voters"])
        for grade, spin in self.tally.votes.items():
            if f"votes.{grade.value}" in values:
                f.apply_raw(spin, values[f"votes.{grade.value}"])

    def edited_fields(self) -> dict[str, str]:
        return {k: v for k, v in self.raw_values().items() if v != self._loaded.get(k)}

    def is_dirty(self) -> bool:
        return self.row is not None and bool(self.edited_fields())

    def _edited(self, *_args) -> None:
        if self._loading or self.row is None:
            return
        self._draft_timer.start()
        self._show_computed()

    def keep_draft(self) -> None:
        self._draft_timer.stop()
        if self.row is None or self.year is None:
            return
        try:
            drafts.keep(draft_key(self.year, self.row.member_id), self.edited_fields())
        except (ServiceError, DatabaseError, OSError) as exc:
            self.general_error.setText(_("Không giữ được bản nháp: {error}").format(error=exc))
            self.general_error.show()

    def _put_back_draft(self) -> None:
        try:
            draft = drafts.get(draft_key(self.year, self.row.member_id))
        except DatabaseError:
            draft = None
        if draft is None:
            return
        with self._filling():
            self.apply_raw(draft.fields)
        self._show_computed()
        self.note.setText(_("Phần gõ lúc {time} chưa được lưu đã được đưa lại vào đây. Bấm «Lưu» để lưu, hoặc Esc "
                            "rồi «Không lưu» để bỏ.").format(time=draft.saved_at.strftime("%H:%M %d/%m/%Y")))
        self.note.show()

    def flush(self) -> bool:
        """Leaving the page or closing the window: what is typed stays on screen and in the draft, unsaved (a
        grade is saved only when the secretary says so)."""
        if self.is_dirty():
            self.keep_draft()
        return True

    # --- saving --------------------------------------------------------------------------------------
    def changes(self) -> dict:
        """The fields typed since loading, as set_review takes them."""
        edited = self.edited_fields()
        w, values = self.widgets, {}
        for name in edited:
            if name.startswith("votes.") or name == "voters":
                values["votes"], values["voters"] = self.tally.counts(), self.tally.voters()
            elif name in _GRADE_NAMES:
                values[name] = f.chosen_grade(w[name])
            elif name in ("form", "exceeded"):
                values[name] = w[name].currentData()
            elif isinstance(w[name], QCheckBox):
                values[name] = w[name].isChecked()
            elif isinstance(w[name], QSpinBox):
                values[name] = w[name].value()
            else:
                values[name] = f.raw_of(w[name])
        return values

    def save(self) -> bool:
        if self.row is None or self.year is None:
            return False
        self._draft_timer.stop()
        self._clear_issues()
        problem = self.tally.problem()
        if problem is not None:
            self.keep_draft()
            self.show_issues([problem])
            return False
        changes = self.changes()
        if changes:
            year, member_id = self.year, self.row.member_id
            outcome = run_op(self, lambda: review_service.set_review(year, member_id, reason=_("Sửa trên cửa sổ"),
                                                                    **changes), issues_to=self, source=self)
            if outcome is None:
                self.keep_draft()
                return False
            row, warnings = outcome.value
            self._fill(row)
            self._show_warnings(warnings)
        drafts.discard(draft_key(self.year, self.row.member_id))
        self._loaded = self.raw_values()
        if self.note.isVisibleTo(self) and not changes:
            self.note.hide()
        return True

    def _show_warnings(self, warnings: list[Issue]) -> None:
        if not warnings:
            self.note.setText(_("Đã lưu."))
        else:
            self.note.setText(_("Đã lưu. Cần xem lại:") + "\n" + "\n".join(self._issue_text(i) for i in warnings))
        self.note.show()

    def _issue_text(self, issue: Issue) -> str:
        name = issue.field.removeprefix("review.")
        return f"{f.caption(name)}: {issue.message}"

    def _clear_issues(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.clear()
            label.hide()

    def show_issues(self, issues: list[Issue]) -> None:
        """Each message under its field, the first one's tab brought forward (and a grade's reason box focused)."""
        self._clear_issues()
        loose, first = [], None
        for issue in issues:
            label = self.errors.get(issue.field)
            if label is None:
                loose.append(str(issue))
                continue
            text = self._issue_text(issue)
            label.setText(f"{label.text()}\n{text}" if label.text() else text)
            label.show()
            first = first or issue.field
        loose.insert(0, _("Chưa lưu được (phần đã gõ vẫn được giữ): xin sửa những chỗ có chữ đỏ."))
        self.general_error.setText("\n".join(loose))
        self.general_error.show()
        if first is not None:
            self._bring_forward(first)

    def _bring_forward(self, key: str) -> None:
        name = key.removeprefix("review.")
        reason = review_service.STAGE_REASON.get(name)
        widget = self.widgets.get(reason or name) or (self.tally if key in _TALLY_KEYS else None)
        if widget is None:
            return
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if tab.isAncestorOf(widget):
                self.tabs.setCurrentIndex(index)
                if isinstance(tab, QScrollArea):
                    tab.ensureWidgetVisible(widget)
                break
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- leaving and printing ------------------------------------------------------------------------
    def leave(self) -> None:
        """Về danh sách (Esc): asks first when something typed is not saved."""
        if self.is_dirty():
            answer = choose(self, _("Chưa lưu"), _("Những gì vừa gõ trong bản kiểm điểm của đồng chí {name} chưa "
                                                  "được lưu.").format(name=self.row.full_name),
                            [(_("Lưu"), QMessageBox.ButtonRole.AcceptRole, "save"),
                             (_("Không lưu"), QMessageBox.ButtonRole.DestructiveRole, "discard"),
                             (_("Quay lại"), QMessageBox.ButtonRole.RejectRole, "back")],
                            informative=_("«Không lưu» bỏ những gì vừa gõ; «Quay lại» để sửa tiếp."), min_chars=55)
            if answer == "back" or (answer == "save" and not self.save()):
                return
            if answer == "discard":
                self.discard()
                return
        self.row = None
        self.closed.emit()

    def discard(self) -> None:
        """Drop what is typed and its draft, and go back to the list."""
        self._draft_timer.stop()
        if self.row is not None and self.year is not None:
            drafts.discard(draft_key(self.year, self.row.member_id))
        self.row = None
        self.closed.emit()

    def _saved_first(self) -> bool:
        """The paper shows what is on screen: what is typed is saved before printing."""
        return not self.is_dirty() or self.save()

    def print_form(self) -> None:
        from ui.review import papers

        if self.row is not None and self._saved_first():
            papers.save_member_form(self, self.year, self.row)

    def print_ballot(self) -> None:
        from ui.review import papers

        if self.row is not None and self._saved_first():
            papers.save_ballots(self, self.year, self.row)

