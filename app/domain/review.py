"""Xếp loại chất lượng đảng viên (Quy định 366-QĐ/TW, Điều 11): grades, scores, task shares and the grade rule."""
from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from app.domain import names
from app.domain.issues import ValidationReport
from app.i18n import _

GENERAL_MAX = Decimal(30)
TASKS_MAX = Decimal(70)
# DOMAIN R10 writes the bands as 70–89.99 and 50–69.99: a score is kept to the hundredth (a criteria
# sheet may give half points, an average of the chi ủy's marks may give more); finer is refused.
SCORE_PLACES = 2

EXCELLENT_SCORE = Decimal(90)
GOOD_SCORE = Decimal(70)
PASS_SCORE = Decimal(50)
EXCEEDED_MIN_PERCENT = Fraction(30)
LATE_MAX_PERCENT = Fraction(20)
NOT_DONE_MAX_PERCENT = Fraction(50)
ALL = Fraction(100)


class Grade(enum.StrEnum):
    """Mức xếp loại chất lượng; the values are the command line's codes."""

    EXCELLENT = "xuat-sac"
    GOOD = "tot"
    PASSED = "hoan-thanh"
    FAILED = "khong-hoan-thanh"

    @property
    def label(self) -> str:
        return _GRADE_LABELS[self]()

    @property
    def rank(self) -> int:
        """3 for Hoàn thành xuất sắc down to 0 for Không hoàn thành: a higher rank is a better grade."""
        return len(GRADES_BEST_FIRST) - 1 - GRADES_BEST_FIRST.index(self)


GRADES_BEST_FIRST = (Grade.EXCELLENT, Grade.GOOD, Grade.PASSED, Grade.FAILED)

_GRADE_LABELS = {
    Grade.EXCELLENT: lambda: _("Hoàn thành xuất sắc nhiệm vụ"),
    Grade.GOOD: lambda: _("Hoàn thành tốt nhiệm vụ"),
    Grade.PASSED: lambda: _("Hoàn thành nhiệm vụ"),
    Grade.FAILED: lambda: _("Không hoàn thành nhiệm vụ"),
}


# A score as a person writes it: digits, one decimal point or comma; no exponent, no "nan", no "1_0".
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]{1,12}(?:\.[0-9]{1,12})?")


def parse_score(value: object) -> Decimal | None:
    """A score as typed (12, "12,5", Decimal) as a Decimal, -0 read as 0; None when it is not a plain number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value + 0 if value.is_finite() and abs(value.adjusted()) < 12 else None
    text = str(value).strip().replace(",", ".")
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    return Decimal(text) + 0


# Control characters a paste can carry (NUL, BEL, ESC, C1 codes): they print as boxes or break a PDF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def plain_text(text: str, *, paragraphs: bool = False) -> str:
    """NFC text without control characters, each run of spaces as one; paragraphs keeps the line breaks."""
    text = _CONTROL.sub(" ", text)
    if not paragraphs:
        return names.normalize_text(text)
    return "\n".join(names.normalize_text(line) for line in text.splitlines()).strip()


def shown(value: object) -> str:
    """A value as a message quotes it: short enough that a pasted page does not become the message."""
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def format_score(value: Decimal | Fraction) -> str:
    """A score or percent as printed: a comma before the decimals, none when whole (85; 85,5; 33,33)."""
    number = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    text = f"{round(number, SCORE_PLACES):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def validate_scores(general: object, tasks: object, *, fields: tuple[str, str] = (
        "review.general_score", "review.task_score"), given_only: bool = False) -> ValidationReport:
    """Điểm nhóm tiêu chí chung (0–30) and nhóm kết quả thực hiện nhiệm vụ (0–70), each to the hundredth.
    fields names the two (a member's or the cell's); given_only leaves a score that is None unchecked."""
    report = ValidationReport()
    for field_name, value, top in ((fields[0], general, GENERAL_MAX), (fields[1], tasks, TASKS_MAX)):
        if value is not None or not given_only:
            check_score(report, field_name, value, top)
    return report


def check_score(report: ValidationReport, field_name: str, value: object, top: Decimal) -> None:
    """One score from 0 to top, to the hundredth; the fault reported on field_name."""
    number = parse_score(value)
    if number is None:
        report.error(field_name, _("phải là một số điểm (ví dụ 25 hoặc 25,5)."))
    elif not 0 <= number <= top:
        report.error(field_name, _("phải từ 0 đến {top} điểm; đã nhập {value}.").format(
            top=top, value=format_score(number)))
    elif number != round(number, SCORE_PLACES):
        report.error(field_name, _("chỉ ghi đến hai chữ số thập phân; đã nhập {value}.").format(
            value=shown(f"{number:f}".replace(".", ","))))


class TaskStatus(enum.StrEnum):
    """Kết quả một nhiệm vụ được giao; an exceeded task is also done on time."""

    ON_TIME = "dung-han"
    EXCEEDED = "vuot"
    LATE = "cham"
    NOT_DONE = "chua-xong"

    @property
    def label(self) -> str:
        return _TASK_LABELS[self]()


_TASK_LABELS = {
    TaskStatus.ON_TIME: lambda: _("Hoàn thành đúng hạn"),
    TaskStatus.EXCEEDED: lambda: _("Hoàn thành vượt yêu cầu"),
    TaskStatus.LATE: lambda: _("Hoàn thành chậm"),
    TaskStatus.NOT_DONE: lambda: _("Không hoàn thành"),
}


@dataclass(frozen=True)
class TaskShares:
    """The shares of the year's tasks the grade conditions use, each a percent (0–100) held exactly.

    on_time counts exceeded tasks too; done = on_time + late; not_done = 100 − done. With no task
    recorded the shares read as all done on time and none exceeded (nothing was left undone, nothing
    was shown above requirements): Hoàn thành xuất sắc then needs an override with its reason.
    """

    on_time: Fraction = ALL
    late: Fraction = Fraction(0)
    not_done: Fraction = Fraction(0)
    exceeded: Fraction = Fraction(0)
    task_count: int = 0
    override_reason: str = ""

    @property
    def done(self) -> Fraction:
        return self.on_time + self.late

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


def shares_from_tasks(statuses: Iterable[TaskStatus]) -> TaskShares:
    """Tỷ lệ nhiệm vụ from each task's status."""
    statuses = list(statuses)
    if not statuses:
        return TaskShares()
    total = len(statuses)

    def percent(*kinds: TaskStatus) -> Fraction:
        return Fraction(100 * sum(1 for s in statuses if s in kinds), total)

    return TaskShares(on_time=percent(TaskStatus.ON_TIME, TaskStatus.EXCEEDED), late=percent(TaskStatus.LATE),
                      not_done=percent(TaskStatus.NOT_DONE), exceeded=percent(TaskStatus.EXCEEDED),
                      task_count=total)


def override_shares(computed: TaskShares, reason: str, *, on_time: object = None, late: object = None,
                    exceeded: object = None) -> tuple[TaskShares, ValidationReport]:
    """The secretary's own percentages in place of the counted ones, with the reason why (nothing is
    overridden without one); what is not given keeps its counted value and not_done follows."""
    report = ValidationReport()
    reason = (reason or "").strip()
    if not reason:
        report.error("review.override_reason", _("ghi lý do khi sửa tỷ lệ nhiệm vụ."))
    values = {"on_time": computed.on_time, "late": computed.late, "exceeded": computed.exceeded}
    for name, given in (("on_time", on_time), ("late", late), ("exceeded", exceeded)):
        if given is None:
            continue
        number = parse_score(given)
        if number is None or not 0 <= number <= 100:
            report.error(f"review.{name}_percent", _("phải là một tỷ lệ từ 0 đến 100 %."))
        else:
            values[name] = Fraction(number)
    if not report.errors:
        _check_share_sums(report, values)
    if report.errors:
        return computed, report
    shares = replace(computed, on_time=values["on_time"], late=values["late"], exceeded=values["exceeded"],
                     not_done=ALL - values["on_time"] - values["late"], override_reason=reason)
    return shares, report


def _check_share_sums(report: ValidationReport, values: dict[str, Fraction]) -> None:
    if values["on_time"] + values["late"] > ALL:
        report.error("review.late_percent", _("tỷ lệ đúng hạn cộng tỷ lệ chậm vượt quá 100 %."))
    if values["exceeded"] > values["on_time"]:
        report.error("review.exceeded_percent", _("nhiệm vụ vượt yêu cầu là một phần của nhiệm vụ đúng hạn; "
                                                  "tỷ lệ vượt không lớn hơn tỷ lệ đúng hạn."))


@dataclass(frozen=True)
class GradeFacts:
    """What else Điều 11 looks at besides the score and the tasks.

    shortcomings_remedied is True also when no shortcoming was noted before. disciplined means a Party
    discipline in the year; every form of it (khiển trách, cảnh cáo, cách chức, khai trừ) is khiển trách
    or above, and one violation counts once. members_disciplined is for a collective (tập thể chi bộ): a member
    disciplined in the year keeps it from Hoàn thành xuất sắc (DOMAIN §2.3).
    """

    shortcomings_remedied: bool = True
    decline_conclusion: bool = False
    disciplined: bool = False
    broke_prohibitions: bool = False
    members_disciplined: bool = False


class Condition(enum.StrEnum):
    """One condition of a grade that was not met: what forms and checks say when a grade is not reached."""

    SCORE_BELOW_90 = "score-below-90"
    SCORE_BELOW_70 = "score-below-70"
    SCORE_BELOW_50 = "score-below-50"
    NOT_ALL_ON_TIME = "not-all-on-time"
    EXCEEDED_BELOW_30 = "exceeded-below-30"
    SHORTCOMINGS_LEFT = "shortcomings-left"
    NOT_ALL_DONE = "not-all-done"
    LATE_ABOVE_20 = "late-above-20"
    DECLINE = "decline"
    DISCIPLINED = "disciplined"
    PROHIBITIONS = "prohibitions"
    NOT_DONE_ABOVE_50 = "not-done-above-50"
    MEMBER_DISCIPLINED = "member-disciplined"

    @property
    def label(self) -> str:
        return _CONDITION_LABELS[self]()

    @property
    def disqualifies(self) -> bool:
        """One of Điều 11's cases of Không hoàn thành nhiệm vụ whatever the score."""
        return self in DISQUALIFIERS


DISQUALIFIERS = frozenset({Condition.DECLINE, Condition.DISCIPLINED, Condition.PROHIBITIONS,
                           Condition.NOT_DONE_ABOVE_50})

_CONDITION_LABELS = {
    Condition.SCORE_BELOW_90: lambda: _("tổng điểm dưới 90"),
    Condition.SCORE_BELOW_70: lambda: _("tổng điểm dưới 70"),
    Condition.SCORE_BELOW_50: lambda: _("tổng điểm dưới 50"),
    Condition.NOT_ALL_ON_TIME: lambda: _("chưa hoàn thành 100 % nhiệm vụ đúng tiến độ"),
    Condition.EXCEEDED_BELOW_30: lambda: _("nhiệm vụ hoàn thành vượt yêu cầu dưới 30 %"),
    Condition.SHORTCOMINGS_LEFT: lambda: _("chưa khắc phục hết hạn chế, khuyết điểm đã được chỉ ra"),
    Condition.NOT_ALL_DONE: lambda: _("chưa hoàn thành 100 % nhiệm vụ"),
    Condition.LATE_ABOVE_20: lambda: _("nhiệm vụ chậm tiến độ trên 20 %"),
    Condition.DECLINE: lambda: _("có kết luận suy thoái, \"tự diễn biến\", \"tự chuyển hoá\""),
    Condition.DISCIPLINED: lambda: _("bị kỷ luật trong năm (từ khiển trách trở lên)"),
    Condition.PROHIBITIONS: lambda: _("vi phạm những điều đảng viên không được làm"),
    Condition.NOT_DONE_ABOVE_50: lambda: _("trên 50 % nhiệm vụ trong năm không hoàn thành"),
    Condition.MEMBER_DISCIPLINED: lambda: _("có đảng viên bị kỷ luật trong năm"),
}


@dataclass(frozen=True)
class GradeResult:
    """The grade and why no higher one was reached: for each grade above it, the conditions not met."""

    grade: Grade
    unmet: dict[Grade, tuple[Condition, ...]]

    @property
    def disqualifiers(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.unmet.get(Grade.PASSED, ()) if c.disqualifies)

    def why(self) -> list[str]:
        """One sentence per grade above the result, e.g. «Chưa đạt Hoàn thành tốt nhiệm vụ: tổng điểm dưới 70»."""
        return [_("Chưa đạt {grade}: {conditions}.").format(
                    grade=grade.label, conditions="; ".join(c.label for c in conditions))
                for grade, conditions in self.unmet.items()]


def total_score(general: object, tasks: object) -> Decimal:
    """Tổng điểm of the two groups (both already validated)."""
    return (parse_score(general) or Decimal(0)) + (parse_score(tasks) or Decimal(0))


def compute_grade(total: Decimal | int | str, shares: TaskShares = TaskShares(),
                  facts: GradeFacts = GradeFacts()) -> GradeResult:
    """Điều 11: the highest grade whose every condition holds; Không hoàn thành when none does."""
    score = parse_score(total)
    if score is None:
        raise ValueError(f"not a score: {total!r}")
    blockers = _disqualifiers(shares, facts)
    unmet: dict[Grade, tuple[Condition, ...]] = {}
    for grade, missing in ((Grade.EXCELLENT, _excellent_missing(score, shares, facts)),
                           (Grade.GOOD, _good_missing(score, shares)),
                           (Grade.PASSED, _passed_missing(score, shares))):
        missing = missing + blockers
        if not missing:
            return GradeResult(grade, unmet)
        unmet[grade] = missing
    return GradeResult(Grade.FAILED, unmet)


def _disqualifiers(shares: TaskShares, facts: GradeFacts) -> tuple[Condition, ...]:
    found = [(facts.decline_conclusion, Condition.DECLINE), (facts.disciplined, Condition.DISCIPLINED),
             (facts.broke_prohibitions, Condition.PROHIBITIONS),
             (shares.not_done > NOT_DONE_MAX_PERCENT, Condition.NOT_DONE_ABOVE_50)]
    return tuple(condition for hit, condition in found if hit)


def _excellent_missing(score: Decimal, shares: TaskShares, facts: GradeFacts) -> tuple[Condition, ...]:
    found = [(score < EXCELLENT_SCORE, Condition.SCORE_BELOW_90),
             (shares.on_time < ALL, Condition.NOT_ALL_ON_TIME),
             (shares.exceeded < EXCEEDED_MIN_PERCENT, Condition.EXCEEDED_BELOW_30),
             (not facts.shortcomings_remedied, Condition.SHORTCOMINGS_LEFT),
             (facts.members_disciplined, Condition.MEMBER_DISCIPLINED)]
    return tuple(condition for hit, condition in found if hit)


def _good_missing(score: Decimal, shares: TaskShares) -> tuple[Condition, ...]:
    found = [(score < GOOD_SCORE, Condition.SCORE_BELOW_70), (shares.on_time < ALL, Condition.NOT_ALL_ON_TIME)]
    return tuple(condition for hit, condition in found if hit)


def _passed_missing(score: Decimal, shares: TaskShares) -> tuple[Condition, ...]:
    found = [(score < PASS_SCORE, Condition.SCORE_BELOW_50), (shares.done < ALL, Condition.NOT_ALL_DONE),
             (shares.late > LATE_MAX_PERCENT, Condition.LATE_ABOVE_20)]
    return tuple(condition for hit, condition in found if hit)


def parse_grade(code: str) -> Grade | None:
    """A grade from its command-line code (xuat-sac, tot, hoan-thanh, khong-hoan-thanh); None if unknown."""
    try:
        return Grade((code or "").strip().lower())
    except ValueError:
        return None
