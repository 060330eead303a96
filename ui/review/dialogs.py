"""Dialogs of the Đánh giá page: the season of a year (opened, or its day, meeting and count changed) and the
cell's own rating (Mẫu 01) with the members' results it rests on."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from app.domain.dates import format_date
from app.domain.issues import Issue
from app.domain.review import GRADES_BEST_FIRST, format_score, parse_score
from app.i18n import _
from app.services import meetings as meeting_service
from app.services import review as review_service
from app.services.errors import ServiceError
from ui.dialogs import BaseDialog
from ui.review import fields as f
from ui.widgets import DateField, text_width


class SeasonDialog(BaseDialog):
    """Mở đợt kiểm điểm năm …, or (season given) its review date, review meeting and members present."""

    area = "review"

    def __init__(self, year: int, season: review_service.Season | None = None, parent: QWidget | None = None):
        title = (_("Mở đợt kiểm điểm năm {year}") if season is None else _("Đợt kiểm điểm năm {year}")).format(
            year=year)
        super().__init__(title, parent, ok_text=_("Mở đợt") if season is None else _("Lưu"))
        self.year, self.season = year, season
        form = QFormLayout()
        self.review_date = DateField(season.review_date if season else dt.date(year, 12, 15))
        self.add_field(form, "review_date", self.review_date, label=_("Ngày kiểm điểm (ngày họp chi bộ)"))
        self.meeting = QComboBox()
        self.meeting.addItem(_("(chưa chọn)"), None)
        try:
            meetings = [s.meeting for s in meeting_service.list_meetings(year)]
        except ServiceError:
            meetings = []
        for meeting in meetings:
            self.meeting.addItem(f"{format_date(meeting.date)} — {meeting.kind.label}", meeting.id)
        if season is not None and season.meeting_id is not None:
            self.meeting.setCurrentIndex(max(0, self.meeting.findData(season.meeting_id)))
        self.add_field(form, "meeting_id", self.meeting, label=_("Buổi họp kiểm điểm"))
        self.present = QSpinBox()
        self.present.setRange(-1, 10_000)
        self.present.setSpecialValueText(_("chưa ghi"))
        self.present.setValue(season.present if season and season.present is not None else -1)
        self.present.setMaximumWidth(text_width(self.present, 14))
        if season is not None:
            self.add_field(form, "present", self.present)
        self.layout_.addLayout(form)
        hint = QLabel(_("Danh sách kiểm điểm là các đảng viên sinh hoạt tại chi bộ vào ngày kiểm điểm (Quy định "
                        "366, Điều 5)."))
        hint.setWordWrap(True)
        self.layout_.addWidget(hint)
        self.setMinimumWidth(text_width(self, 70))
        self.finish_layout()

    def save(self) -> bool:
        issues: list[Issue] = []
        day = self.read_date("review_date", self.review_date.text(), issues, _("cần ghi ngày kiểm điểm."))
        if issues:
            self.show_issues(issues)
            return False
        meeting_id, year = self.meeting.currentData(), self.year
        if self.season is None:
            call = lambda: review_service.open_season(year, review_date=day, meeting_id=meeting_id)  # noqa: E731
        else:
            present = None if self.present.value() < 0 else self.present.value()
            call = lambda: review_service.update_season(year, review_date=day, meeting_id=meeting_id,  # noqa: E731
                                                        present=present)
        return self.perform(call) is not None


class CellRatingDialog(BaseDialog):
    """Tập thể chi bộ tự đánh giá, xếp loại (Mẫu 01): two scores, exceeded, the grades, the report's texts."""

    area = "review"

    def __init__(self, year: int, parent: QWidget | None = None):
        super().__init__(_("Tập thể chi bộ tự đánh giá, xếp loại năm {year} (Mẫu 01)").format(year=year), parent)
        self.year = year
        self.summary = review_service.cell_summary(year)
        rating = self.summary.rating
        inner = QWidget()
        column = QVBoxLayout(inner)
        self.counts = QLabel(self._counts_text())
        self.counts.setWordWrap(True)
        column.addWidget(self.counts)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.general = self._score(rating.general, 30)
        self.tasks = self._score(rating.tasks, 70)
        self.exceeded = f.yes_no_box()
        self.exceeded.setCurrentIndex(max(0, self.exceeded.findData(rating.exceeded)))
        self.self_grade, self.final_grade = f.grade_box(), f.grade_box()
        f.set_grade(self.self_grade, rating.self_grade)
        f.set_grade(self.final_grade, rating.final_grade)
        self.final_reason = QLineEdit(rating.final_reason)
        # The keys the service names its messages with (review.cell_general…), so each lands under its field.
        for name, widget in (("cell_general", self.general), ("cell_tasks", self.tasks),
                             ("cell_exceeded", self.exceeded), ("cell_self_grade", self.self_grade),
                             ("cell_final_grade", self.final_grade), ("cell_final_reason", self.final_reason)):
            self.add_field(form, name, widget)
        column.addLayout(form)
        self.computed = QLabel()
        self.computed.setWordWrap(True)
        column.addWidget(self.computed)
        self.texts = {}
        text_form = QFormLayout()
        text_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for name in ("strengths", "shortcomings", "remedies", "plan"):
            self.texts[name] = f.text_box(3)
            self.texts[name].setPlainText(getattr(rating, name))
            self.add_field(text_form, f"cell_{name}", self.texts[name])
        column.addLayout(text_form)
        for widget in (self.general, self.tasks):
            widget.textChanged.connect(self._show_computed)
        self.exceeded.currentIndexChanged.connect(self._show_computed)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        self.layout_.addWidget(scroll, 1)
        self.setMinimumWidth(text_width(self, 80))
        self._show_computed()
        self.finish_layout()

    def _score(self, value, top: int) -> QLineEdit:
        edit = QLineEdit(format_score(value) if value is not None else "")
        edit.setPlaceholderText(_("0 đến {top}").format(top=top))
        edit.setMaximumWidth(text_width(edit, 14))
        return edit

    def _counts_text(self) -> str:
        s = self.summary
        grades = "; ".join(f"{g.label} {s.counts.get(g, 0)}" for g in GRADES_BEST_FIRST)
        return _("Kết quả của các đảng viên: {reviewed} đảng viên được kiểm điểm; {grades}; {disciplined} bị kỷ luật "
                 "trong năm.").format(reviewed=s.reviewed, grades=grades, disciplined=s.disciplined)

    def _typed(self):
        general, tasks = parse_score(self.general.text()), parse_score(self.tasks.text())
        return review_service.CellRating(general=general, tasks=tasks, exceeded=self.exceeded.currentData())

    def _show_computed(self) -> None:
        result = review_service.cell_grade(self._typed(), self.summary.disciplined)
        if result is None:
            self.computed.setText(_("Ghi đủ hai nhóm điểm để thấy mức xếp loại theo điểm và điều kiện."))
            return
        self.computed.setText("\n".join([_("Theo điểm và điều kiện: {grade}.").format(grade=result.grade.label),
                                         *result.why()]))

    def save(self) -> bool:
        values = {"general": self.general.text().strip() or None, "tasks": self.tasks.text().strip() or None,
                  "exceeded": self.exceeded.currentData(), "self_grade": f.chosen_grade(self.self_grade),
                  "final_grade": f.chosen_grade(self.final_grade), "final_reason": self.final_reason.text(),
                  **{name: edit.toPlainText() for name, edit in self.texts.items()}}
        year = self.year
        return self.perform(lambda: review_service.set_cell_rating(year, reason=_("Sửa trên cửa sổ"),
                                                                   **values)) is not None
