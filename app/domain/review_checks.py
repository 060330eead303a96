"""Kiểm tra kết quả xếp loại (warnings; the Đảng ủy decides): quota, two years running, contradictions, votes."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import floor

from app.domain.issues import ValidationReport
from app.domain.review import Grade
from app.i18n import _

DEFAULT_QUOTA_PERCENT = Fraction(20)
RAISED_QUOTA_PERCENT = Fraction(25)


@dataclass(frozen=True)
class Quota:
    good: int
    excellent: int
    allowed: int

    @property
    def over(self) -> int:
        return max(0, self.excellent - self.allowed)


def quota(grades: Iterable[Grade], percent: Fraction = DEFAULT_QUOTA_PERCENT) -> Quota:
    """Quy định 366 Điều 11 khoản 1.4 as DOMAIN §2.1 quotes it: Hoàn thành xuất sắc at most 20 % of those
    rated Hoàn thành tốt, within one group of similar role; 25 % when the competent level allows.

    Read as R10 writes it: "those rated tốt" are the members whose grade is tốt, not counting the
    xuất sắc ones (the text compares the two counts, it does not say "tốt or above"); the number allowed
    is floor(percent × count(tốt)), exact, never rounded up, since "không quá" is a ceiling: 5 tốt allow 1,
    4 tốt allow 0, 9 allow 1, 10 allow 2. The caller passes one group's grades (one stage's grades).
    """
    grades = list(grades)
    good = sum(1 for g in grades if g is Grade.GOOD)
    excellent = sum(1 for g in grades if g is Grade.EXCELLENT)
    return Quota(good, excellent, floor(Fraction(percent) * good / 100))


def quota_report(grades: Iterable[Grade], percent: Fraction = DEFAULT_QUOTA_PERCENT) -> ValidationReport:
    found = quota(grades, percent)
    report = ValidationReport()
    if found.over:
        report.warn("review.quota", _("{excellent} đảng viên Hoàn thành xuất sắc nhiệm vụ, vượt tỷ lệ: không quá "
                                      "{percent} % số Hoàn thành tốt nhiệm vụ ({good}), tức tối đa {allowed}.")
                    .format(excellent=found.excellent, percent=percent, good=found.good, allowed=found.allowed))
    return report


def two_years_running(previous: Grade | None, current: Grade | None) -> ValidationReport:
    """Không hoàn thành nhiệm vụ this year and the year before."""
    report = ValidationReport()
    if previous is Grade.FAILED and current is Grade.FAILED:
        report.warn("review.previous_grade", _("Không hoàn thành nhiệm vụ hai năm liền: chi bộ xem xét, đề nghị "
                                               "xử lý theo quy định."))
    return report


def contradiction(computed: Grade, given: Grade | None, reason: str, field_name: str) -> ValidationReport:
    """A stage's grade (review.self_grade, review.proposed_grade, review.final_grade) other than the one the
    score and conditions give, with no reason recorded."""
    report = ValidationReport()
    if given is not None and given is not computed and not (reason or "").strip():
        report.warn(field_name, _("{given} khác mức tính theo điểm và điều kiện ({computed}); ghi lý do.")
                    .format(given=given.label, computed=computed.label))
    return report


def vote_report(present: int, votes: Mapping[Grade, int], members: int | None = None) -> ValidationReport:
    """Phiếu biểu quyết mức xếp loại: each voter votes one grade, so the votes add up to at most those who
    voted (present: the members present who vote), and those to at most the members present at the review
    meeting (members, when it is recorded)."""
    report = ValidationReport()
    if present < 0:
        report.warn("review.voters", _("số đảng viên biểu quyết không thể âm."))
    if members is not None and present > members:
        report.warn("review.voters", _("{voters}, nhiều hơn {present} đảng viên có mặt tại hội nghị kiểm điểm.")
                    .format(voters=present, present=members))
    for grade, count in votes.items():
        if count < 0:
            report.warn("review.votes", _("{grade}: số phiếu không thể âm.").format(grade=grade.label))
    cast = sum(votes.values())
    if cast > present:
        report.warn("review.votes", _("tổng số phiếu ({cast}) nhiều hơn số có mặt biểu quyết ({present}).")
                    .format(cast=cast, present=present))
    return report


def majority_report(proposed: Grade | None, votes: Mapping[Grade, int], voters: int | None) -> ValidationReport:
    """The cell's proposal is what its vote carried: more than half of those who voted (R6, an ordinary
    resolution) for the grade proposed. Checked only once the votes are recorded."""
    report = ValidationReport()
    if proposed is None or not votes:
        return report
    voting = voters if voters is not None else sum(votes.values())
    got = votes.get(proposed, 0)
    if got * 2 <= voting:
        report.warn("review.proposed_grade", _("{grade} được {got}/{voting} phiếu, chưa quá một nửa số đảng viên "
                                               "biểu quyết: chi bộ chưa thông qua mức này.").format(
            grade=proposed.label, got=got, voting=voting))
    return report


def stage_order_report(scored: bool, self_grade: Grade | None, proposed: Grade | None, voted: bool,
                       final: Grade | None) -> ValidationReport:
    """The stages of Điều 12 follow one another: the cell proposes after the member's self-assessment and its
    vote, the Đảng ủy decides after the cell's proposal. A later stage with an earlier one missing is warned."""
    report = ValidationReport()
    if final is not None and proposed is None:
        report.warn("review.final_grade", _("đã có mức Đảng ủy quyết định nhưng chi bộ chưa đề xuất mức xếp loại."))
    if proposed is not None and not scored:
        report.warn("review.proposed_grade", _("chi bộ đã đề xuất nhưng chưa có điểm tự đánh giá hai nhóm tiêu chí."))
    if proposed is not None and not voted:
        report.warn("review.votes", _("chi bộ đã đề xuất nhưng chưa ghi kết quả biểu quyết."))
    if self_grade is not None and not scored:
        report.warn("review.self_grade", _("đã tự xếp loại nhưng chưa có điểm hai nhóm tiêu chí."))
    return report
