"""Ai được kiểm điểm, xếp loại (Quy định 366-QĐ/TW, Điều 5; Hướng dẫn 43-HD/BTCTW mục 7.5; Quy định 213)."""
from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.issues import ValidationReport
from app.domain.members import MemberStatus, StatusChange, status_on
from app.domain.retirement import add_months
from app.i18n import _

# 366 Điều 5 khoản 2.1: admitted less than 6 months before the review, no review at all.
DEFAULT_MIN_MONTHS_SINCE_ADMISSION = 6
# HD 43 mục 7.5: sick leave of 3 months or more in the year, rated on the work actually done.
DEFAULT_SICK_MONTHS = 3


@dataclass(frozen=True)
class ScopeThresholds:
    """The thresholds of who is reviewed; the service will read them from dated settings."""

    min_months_since_admission: int = DEFAULT_MIN_MONTHS_SINCE_ADMISSION
    sick_months: Decimal | int = DEFAULT_SICK_MONTHS


class Exclusion(enum.StrEnum):
    """Why a member is not reviewed here; the first three are the rows of Biểu 6F, counted apart."""

    EXEMPT = "mien-sinh-hoat"
    SUSPENDED = "dinh-chi"
    NEWLY_ADMITTED = "moi-ket-nap"
    TEMPORARY_HERE = "sinh-hoat-tam-thoi-tai-day"
    NOT_IN_CELL = "khong-con-sinh-hoat"

    @property
    def label(self) -> str:
        return _EXCLUSION_LABELS[self]()

    @property
    def in_bieu_6f(self) -> bool:
        return self in (Exclusion.EXEMPT, Exclusion.SUSPENDED, Exclusion.NEWLY_ADMITTED)


_EXCLUSION_LABELS = {
    Exclusion.EXEMPT: lambda: _("Miễn công tác và sinh hoạt đảng"),
    Exclusion.SUSPENDED: lambda: _("Đình chỉ sinh hoạt đảng"),
    Exclusion.NEWLY_ADMITTED: lambda: _("Mới kết nạp chưa đủ 6 tháng (không phải làm kiểm điểm)"),
    Exclusion.TEMPORARY_HERE: lambda: _("Sinh hoạt tạm thời tại chi bộ: xếp loại ở chi bộ chính thức"),
    Exclusion.NOT_IN_CELL: lambda: _("Không còn sinh hoạt tại chi bộ vào ngày kiểm điểm"),
}


class ScopeNote(enum.StrEnum):
    """What the form and the checks say about a member who is reviewed."""

    SICK = "om-dau"
    MATERNITY = "thai-san"
    TEMPORARY_COMMENT = "co-nhan-xet-noi-sinh-hoat-tam-thoi"
    TEMPORARY_COMMENT_MISSING = "thieu-nhan-xet-noi-sinh-hoat-tam-thoi"
    RESIDENCE_COMMENT = "co-nhan-xet-noi-cu-tru"
    RESIDENCE_COMMENT_MISSING = "thieu-nhan-xet-noi-cu-tru"

    @property
    def label(self) -> str:
        return _NOTE_LABELS[self]()

    @property
    def is_warning(self) -> bool:
        return self in (ScopeNote.TEMPORARY_COMMENT_MISSING, ScopeNote.RESIDENCE_COMMENT_MISSING)


_NOTE_LABELS = {
    ScopeNote.SICK: lambda: _("Ốm đau từ 3 tháng trở lên trong năm: đánh giá theo thời gian, kết quả công tác "
                             "thực tế (Hướng dẫn 43, mục 7.5)."),
    ScopeNote.MATERNITY: lambda: _("Nghỉ chế độ thai sản: đánh giá theo thời gian, kết quả công tác thực tế "
                                  "(Hướng dẫn 43, mục 7.5)."),
    ScopeNote.TEMPORARY_COMMENT: lambda: _("Có nhận xét bằng văn bản của chi bộ nơi sinh hoạt tạm thời."),
    ScopeNote.TEMPORARY_COMMENT_MISSING: lambda: _("Chưa có nhận xét bằng văn bản của chi bộ nơi sinh hoạt "
                                                  "tạm thời."),
    ScopeNote.RESIDENCE_COMMENT: lambda: _("Có nhận xét của chi ủy nơi cư trú (Quy định 213)."),
    ScopeNote.RESIDENCE_COMMENT_MISSING: lambda: _("Chưa có nhận xét của chi ủy nơi cư trú (Quy định 213)."),
}


@dataclass(frozen=True)
class ReviewFacts:
    """What is known of one member on the review date (ngày kiểm điểm).

    suspended is đình chỉ sinh hoạt đảng in force that day, which the status history does not hold.
    temporary_elsewhere: an official member here in temporary activity at another cell, rated here.
    """

    review_date: dt.date
    history: tuple[StatusChange, ...] = ()
    admission_date: dt.date | None = None
    suspended: bool = False
    sick_months: Decimal | int = 0
    maternity_leave: bool = False
    temporary_elsewhere: bool = False
    temporary_comment_recorded: bool = False
    works_elsewhere: bool = False
    residence_comment_recorded: bool = False


@dataclass(frozen=True)
class ReviewScope:
    """Reviewed or not, the reason when not, and the notes for the form."""

    exclusion: Exclusion | None = None
    notes: tuple[ScopeNote, ...] = field(default_factory=tuple)

    @property
    def reviewed(self) -> bool:
        return self.exclusion is None

    def report(self) -> ValidationReport:
        """The missing comments as warnings: the rating may go ahead, the secretary is told."""
        report = ValidationReport()
        if ScopeNote.TEMPORARY_COMMENT_MISSING in self.notes:
            report.warn("review.temporary_comment", ScopeNote.TEMPORARY_COMMENT_MISSING.label)
        if ScopeNote.RESIDENCE_COMMENT_MISSING in self.notes:
            report.warn("review.residence_comment", ScopeNote.RESIDENCE_COMMENT_MISSING.label)
        return report


def review_scope(facts: ReviewFacts, thresholds: ScopeThresholds = ScopeThresholds()) -> ReviewScope:
    """366 Điều 5: who is not reviewed, and what is noted for those who are."""
    exclusion = _exclusion(facts, thresholds)
    if exclusion is not None:
        return ReviewScope(exclusion)
    return ReviewScope(None, _notes(facts, thresholds))


def _exclusion(facts: ReviewFacts, thresholds: ScopeThresholds) -> Exclusion | None:
    status = status_on(list(facts.history), facts.review_date)
    if status is None or not status.in_cell:
        return Exclusion.NOT_IN_CELL
    if status is MemberStatus.EXEMPT:
        return Exclusion.EXEMPT
    if facts.suspended:
        return Exclusion.SUSPENDED
    if status is MemberStatus.TEMPORARY:
        return Exclusion.TEMPORARY_HERE
    admitted = facts.admission_date
    # "Less than 6 months": admitted 6 months to the day before the review is reviewed.
    if admitted is not None and add_months(admitted, thresholds.min_months_since_admission) > facts.review_date:
        return Exclusion.NEWLY_ADMITTED
    return None


def _notes(facts: ReviewFacts, thresholds: ScopeThresholds) -> tuple[ScopeNote, ...]:
    notes = []
    if facts.sick_months >= thresholds.sick_months:
        notes.append(ScopeNote.SICK)
    if facts.maternity_leave:
        notes.append(ScopeNote.MATERNITY)
    if facts.temporary_elsewhere:
        notes.append(ScopeNote.TEMPORARY_COMMENT if facts.temporary_comment_recorded
                     else ScopeNote.TEMPORARY_COMMENT_MISSING)
    if facts.works_elsewhere:
        notes.append(ScopeNote.RESIDENCE_COMMENT if facts.residence_comment_recorded
                     else ScopeNote.RESIDENCE_COMMENT_MISSING)
    return tuple(notes)


def count_exclusions(scopes: Iterable[ReviewScope]) -> dict[Exclusion, int]:
    """Each reason counted apart (Biểu 6F), every reason present with 0 when none."""
    found = Counter(s.exclusion for s in scopes if s.exclusion is not None)
    return {reason: found.get(reason, 0) for reason in Exclusion}
