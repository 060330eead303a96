"""Phiếu biểu quyết mức xếp loại: those present, one count per grade, and the live sum that must not exceed them."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSpinBox, QWidget

from app.domain.issues import Issue
from app.domain.review import GRADES_BEST_FIRST, Grade
from app.domain.review_checks import vote_report
from app.i18n import _
from ui.dialogs import ERROR_STYLE

# A cell has at most a few hundred members; the box only needs to hold any count that can be typed.
MAX_COUNT = 10_000


class TallyPanel(QWidget):
    """Số có mặt (biểu quyết) and one count per grade; `changed` on every step of a box."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.present = self._spin(_("chưa ghi"))
        grid.addWidget(QLabel(_("Số đảng viên có mặt biểu quyết")), 0, 0)
        grid.addWidget(self.present, 0, 1)
        self.votes: dict[Grade, QSpinBox] = {}
        for row, grade in enumerate(GRADES_BEST_FIRST, start=1):
            spin = self._spin("")
            spin.setMinimum(0)
            self.votes[grade] = spin
            caption = QLabel(grade.label)
            caption.setBuddy(spin)
            grid.addWidget(caption, row, 0)
            grid.addWidget(spin, row, 1)
        self.total = QLabel()
        self.total.setWordWrap(True)
        grid.addWidget(self.total, len(GRADES_BEST_FIRST) + 1, 0, 1, 2)
        grid.setColumnStretch(2, 1)
        self._show_total()

    def _spin(self, special: str) -> QSpinBox:
        spin = QSpinBox()
        # −1 reads «chưa ghi»: a count not taken is not a count of nobody.
        spin.setRange(-1, MAX_COUNT)
        if special:
            spin.setSpecialValueText(special)
        spin.valueChanged.connect(self._show_total)
        spin.valueChanged.connect(lambda _value: self.changed.emit())
        return spin

    def load(self, present: int | None, votes: dict[Grade, int]) -> None:
        self.present.setValue(-1 if present is None else present)
        for grade, spin in self.votes.items():
            spin.setValue(votes.get(grade, 0))
        self._show_total()

    def voters(self) -> int | None:
        return None if self.present.value() < 0 else self.present.value()

    def counts(self) -> dict[Grade, int]:
        return {grade: spin.value() for grade, spin in self.votes.items() if spin.value() > 0}

    def cast(self) -> int:
        return sum(self.counts().values())

    def problem(self) -> Issue | None:
        """Votes that do not add up: more than those present, or votes with nobody recorded present."""
        cast, present = self.cast(), self.voters()
        if cast and present is None:
            return Issue("review.present", _("ghi số có mặt biểu quyết trước khi ghi số phiếu."))
        if present is None:
            return None
        # The sum rule is the domain's (vote_report); the boxes hold no negative count, so only it can fire.
        return next(iter(vote_report(present, self.counts()).issues), None)

    def _show_total(self) -> None:
        if not hasattr(self, "total"):
            return
        present = self.voters()
        self.total.setText(_("Tổng số phiếu: {cast} / có mặt {present}").format(
            cast=self.cast(), present=present if present is not None else "—"))
        self.total.setStyleSheet(ERROR_STYLE if self.problem() else "")
