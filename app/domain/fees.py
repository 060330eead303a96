"""Đảng phí: fee profiles, exemptions and reductions, payments, and the amount due per member per month (R1)."""
from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_decimal

from app.domain import months as mo
from app.domain.dates import Month, format_date
from app.domain.fee_rules import MonthRules, Regime, region_label
from app.domain.issues import Issue
from app.domain.members import Member, StatusChange
from app.domain.money import MAX_AMOUNT, format_money
from app.domain.party_age import party_age
from app.domain.retirement import retired_from
from app.i18n import _, language


class FeeCategory(enum.StrEnum):
    """Đối tượng đóng đảng phí (Quy định 01-QĐ/TW, Điều 3)."""

    BHXH = "bhxh"
    BENEFIT = "benefit"
    PENSION = "pension"
    STUDENT = "student"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            FeeCategory.BHXH: _("Tham gia BHXH bắt buộc (theo tiền lương)"),
            FeeCategory.BENEFIT: _("Hưởng trợ cấp ốm đau, thai sản"),
            FeeCategory.PENSION: _("Hưởng lương hưu"),
            FeeCategory.STUDENT: _("Học sinh, sinh viên"),
            FeeCategory.OTHER: _("Đảng viên khác (theo lương tối thiểu vùng)"),
        }[self]

    @property
    def short_label(self) -> str:
        return {FeeCategory.BHXH: _("BHXH"), FeeCategory.BENEFIT: _("Trợ cấp"), FeeCategory.PENSION: _("Lương hưu"),
                FeeCategory.STUDENT: _("HS-SV"), FeeCategory.OTHER: _("Khác")}[self]

    @property
    def needs_basis(self) -> bool:
        return self in (FeeCategory.BHXH, FeeCategory.BENEFIT, FeeCategory.PENSION)

    @property
    def basis_label(self) -> str:
        return {FeeCategory.BHXH: _("Tiền lương đóng BHXH"), FeeCategory.BENEFIT: _("Trợ cấp ốm đau, thai sản"),
                FeeCategory.PENSION: _("Lương hưu")}.get(self, "")


class ReliefKind(enum.StrEnum):
    """Miễn or giảm đảng phí by a decision, for a period."""

    HARDSHIP = "hardship"              # hộ nghèo, cận nghèo, bệnh hiểm nghèo, khó khăn đặc biệt
    SOCIAL_PENSION = "social_pension"  # hưởng trợ cấp hưu trí xã hội
    REDUCTION = "reduction"            # giảm 30, 50 hoặc 70%

    @property
    def label(self) -> str:
        return {
            ReliefKind.HARDSHIP: _("Miễn (hoàn cảnh khó khăn)"),
            ReliefKind.SOCIAL_PENSION: _("Miễn (hưởng trợ cấp hưu trí xã hội)"),
            ReliefKind.REDUCTION: _("Giảm"),
        }[self]

    @property
    def is_exemption(self) -> bool:
        return self is not ReliefKind.REDUCTION


class Channel(enum.StrEnum):
    CASH = "cash"
    PORTAL = "portal"

    @property
    def label(self) -> str:
        return _("Tiền mặt") if self is Channel.CASH else _("Cổng DVCQG")


REDUCTION_PERCENTS = (30, 50, 70)
# Quy định 01-QĐ/TW: an exemption for hardship or a reduction lasts at most 12 months per decision.
MAX_RELIEF_MONTHS = 12
MAX_PAYMENT = 100_000_000
MAX_PAYMENT_SPAN = 24
MAX_ADVANCE_MONTHS = 12
EARLIEST_PAYMENT = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class FeeProfile:
    """What a member's fee is computed from, from a month on (history: one row per change)."""

    member_id: int
    effective_from: Month
    category: FeeCategory
    basis: int | None = None
    region: int | None = None
    note: str = ""
    id: int | None = None
    recorded_at: dt.datetime | None = None


@dataclass(frozen=True)
class Relief:
    """A decision to exempt (miễn) or reduce (giảm) a member's fee over a period of months."""

    member_id: int
    kind: ReliefKind
    from_month: Month
    to_month: Month | None
    percent: int = 100
    reason: str = ""
    decision: str = ""
    id: int | None = None
    cancelled: bool = False

    def covers(self, month: Month) -> bool:
        return not self.cancelled and mo.contains(self.from_month, self.to_month, month)

    def describe(self) -> str:
        period = _("từ {start}").format(start=mo.label(self.from_month))
        if self.to_month:
            period = _("{start}–{end}").format(start=mo.label(self.from_month), end=mo.label(self.to_month))
        what = _("Giảm {percent}%").format(percent=self.percent) if self.kind is ReliefKind.REDUCTION else self.kind.label
        return f"{what} ({period})"


@dataclass(frozen=True)
class Payment:
    """One payment: money received on a day for one or more months (advance and back payments alike)."""

    member_id: int
    amount: int
    paid_on: dt.date
    month_from: Month
    month_to: Month
    channel: Channel = Channel.CASH
    reference: str = ""
    received_by: str = ""
    receipt_no: int | None = None
    note: str = ""
    id: int | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)  # said when recorded, never stored


@dataclass(frozen=True)
class Excuse:
    """A month recorded as unpaid with good reason (lý do chính đáng): it never counts towards R2."""

    member_id: int
    month: Month
    reason: str
    id: int | None = None


@dataclass(frozen=True)
class Remittance:
    """Money the cell sent up to its superior body for a month's fees."""

    month: Month
    amount: int
    paid_on: dt.date
    channel: Channel = Channel.CASH
    reference: str = ""
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Due:
    """The fee due from one member for one month, and the rule that produced it."""

    month: Month
    amount: int
    rule: str
    detail: tuple                  # what the explanation is made of; the sentence is written only when read
    regime: Regime
    in_book: bool = True
    exempt: bool = False
    income: int | None = None      # "Thu nhập tính đóng đảng phí": salary, benefit, pension or minimum wage
    reduction: int = 0
    category: FeeCategory | None = None
    missing_profile: bool = False

    @property
    def explanation(self) -> str:
        """The rule in words, e.g. '1% tiền lương đóng BHXH tháng 01/2026 (8.000.000 đ)'."""
        kind, *args = self.detail
        text = args[0] if kind == "text" else _explain(kind, language(), *args)
        if self.reduction:
            text += _("; giảm {percent}%").format(percent=self.reduction)
        return text


@functools.lru_cache(maxsize=256)
def percent_text(rate: Fraction) -> str:
    """Fraction(3, 1000) → '0,3%' (Vietnamese decimal comma)."""
    value = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
    return f"{format_decimal(value, locale='vi')}%"


@dataclass
class MemberFacts:
    """Everything about one member the fee rules read, sorted once so each month is cheap to compute."""

    member: Member
    history: list[StatusChange]
    profiles: list[FeeProfile] = field(default_factory=list)
    reliefs: list[Relief] = field(default_factory=list)
    _party_age_months: dict[int, Month | None] = field(default_factory=dict, repr=False)
    _in_cell: list[tuple[dt.date, bool]] = field(default_factory=list, repr=False)
    _in_cell_by_month: list[tuple[int, bool]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.profiles = sorted(self.profiles, key=lambda p: (p.effective_from, p.id or 0))
        self.reliefs = [r for r in self.reliefs if not r.cancelled]
        ordered = sorted(self.history, key=lambda c: (c.effective_date, c.id or 0))
        self._in_cell = [(c.effective_date, c.status.in_cell) for c in ordered]
        # A change dated any day of a month decides that month (the book counts who is in at its end).
        self._in_cell_by_month = [(mo.index(Month.of(when)), state) for when, state in self._in_cell]
        birth, sex = self.member.birth_date, self.member.sex
        self.retired_from = retired_from(birth, sex) if birth and sex else None

    @property
    def member_id(self) -> int:
        return self.member.id

    def in_book(self, month: Month) -> bool:
        """On the cell's fee book for a month: in the cell (any in-cell status) on its last day."""
        number = month.year * 12 + month.month - 1
        state = False
        for when, in_cell in self._in_cell_by_month:
            if when > number:
                break
            state = in_cell
        return state

    def first_book_month(self) -> Month | None:
        """The month the member first joined the cell's book (admission, or arrival)."""
        for when, in_cell in self._in_cell:
            if in_cell:
                return Month.of(when)
        return None

    def profile_at(self, month: Month) -> FeeProfile | None:
        found = None
        for profile in self.profiles:
            if profile.effective_from > month:
                break
            found = profile
        return found

    def relief_at(self, month: Month) -> Relief | None:
        for relief in self.reliefs:
            if relief.covers(month):
                return relief
        return None

    def party_age_reached(self, years: int) -> Month | None:
        """The first month whose first day finds the member with `years` of party age (R8), or None."""
        if years not in self._party_age_months:
            self._party_age_months[years] = self._search_party_age(years)
        return self._party_age_months[years]

    def _search_party_age(self, years: int) -> Month | None:
        start = self.member.admission_date or self.member.ceremony_date
        if start is None:
            return None
        low = mo.index(Month.of(start))
        high = low + (years + 120) * 12

        def reached(number: int) -> bool:
            age = party_age(self.member, self.history, mo.from_index(number).first_day())
            return age is not None and age.years >= years

        if not reached(high):
            return None
        while low < high:
            middle = (low + high) // 2
            if reached(middle):
                high = middle
            else:
                low = middle + 1
        return mo.from_index(low)


def _exempt(month: Month, rules: MonthRules, rule: str, explanation: str) -> Due:
    return Due(month, 0, rule, ("text", explanation), rules.regime, exempt=True)


def compute_due(facts: MemberFacts, month: Month, rules: MonthRules) -> Due:
    """R1: the fee due in `month` under the rules in force then (exemption, base by category, reduction,
    rounding)."""
    if not facts.in_book(month):
        return Due(month, 0, "not_in_book", ("text", _("Không sinh hoạt tại chi bộ trong tháng")), rules.regime,
                   in_book=False)
    years = rules.rates.party_age_exemption_years
    if years is not None:
        reached = facts.party_age_reached(years)
        if reached is not None and reached <= month:
            return _exempt(month, rules, "exempt.party_age",
                           _("Miễn: đủ {years} năm tuổi đảng ({regime})").format(years=years, regime=rules.regime))
    relief = facts.relief_at(month)
    if relief is not None and relief.kind.is_exemption:
        rule = "exempt.social_pension" if relief.kind is ReliefKind.SOCIAL_PENSION else "exempt.hardship"
        text = relief.kind.label + (f" — {relief.reason}" if relief.reason else "")
        return _exempt(month, rules, rule, text)
    profile = facts.profile_at(month)
    if profile is None:
        return Due(month, 0, "no_profile", ("text", _("Chưa khai đối tượng đóng đảng phí")), rules.regime,
                   missing_profile=True)
    rate, income, rule, detail = _base(facts, profile, month, rules)
    reduction = relief.percent if relief is not None else 0
    numerator = income * rate.numerator * (100 - reduction)
    amount = rules.rounding.apply(numerator, rate.denominator * 100)
    if reduction:
        rule += f"-{reduction}"
    shown_income = income if rate.denominator > 1 or profile.category.needs_basis else None
    return Due(month, amount, rule, detail, rules.regime, income=shown_income, reduction=reduction,
               category=profile.category)


def _base(facts: MemberFacts, profile: FeeProfile, month: Month, rules: MonthRules) -> tuple[Fraction, int, str, tuple]:
    """(rate, what it applies to, rule code, the explanation's parts) before any reduction."""
    rates, prefix = rules.rates, "01" if rules.regime is Regime.QD01 else "342"
    category = profile.category
    if category is FeeCategory.BHXH:
        basis, source = profile.basis or 0, month
        if rates.bhxh_previous_month:
            # 01-QĐ/TW: the salary of the month before; a member new to BHXH this month uses this month's.
            previous = facts.profile_at(month.add(-1))
            if previous is not None and previous.category is FeeCategory.BHXH and previous.basis:
                basis, source = previous.basis, month.add(-1)
        return rates.bhxh, basis, f"{prefix}.bhxh", ("bhxh", rates.bhxh, basis, source)
    if category in (FeeCategory.BENEFIT, FeeCategory.PENSION):
        rate = rates.benefit if category is FeeCategory.BENEFIT else rates.pension
        basis = profile.basis or 0
        return rate, basis, f"{prefix}.{category.value}", (category.value, rate, basis)
    retired = facts.retired_from is not None and facts.retired_from <= month
    if category is FeeCategory.STUDENT:
        amount = rates.student_fixed if rates.student_fixed is not None else rules.old_fixed["student"]
        return Fraction(1), amount, f"{prefix}.student", ("student", amount)
    age_note = "retired" if retired else ("unknown" if facts.retired_from is None else "below")
    rate = rates.other_retired if retired else rates.other_below
    if rate is None:  # 342: a fixed amount set by the province, half of it above working age
        key = "other_retired" if retired else "other"
        amount = rules.old_fixed[key]
        return Fraction(1), amount, f"{prefix}.{key}", ("fixed", amount, age_note)
    region = profile.region or 1
    wage = rules.min_wage[region]
    code = f"{prefix}.other_retired" if retired else f"{prefix}.other_below"
    return rate, wage, code, ("wage", rate, wage, region, age_note)


@functools.lru_cache(maxsize=8192)
def _explain(kind: str, lang: str, *args) -> str:
    """The Vietnamese sentence for a rule; cached, since a book repeats a few hundred of them many times."""
    if kind == "bhxh":
        rate, basis, source = args
        return _("{rate} tiền lương đóng BHXH tháng {month} ({amount})").format(
            rate=percent_text(rate), month=mo.label(source), amount=format_money(basis))
    if kind in ("benefit", "pension"):
        rate, basis = args
        text = _("{rate} trợ cấp ({amount})") if kind == "benefit" else _("{rate} lương hưu ({amount})")
        return text.format(rate=percent_text(rate), amount=format_money(basis))
    if kind == "student":
        return _("Học sinh, sinh viên: {amount}/tháng").format(amount=format_money(args[0]))
    notes = {"retired": _("từ tuổi nghỉ hưu"), "below": _("dưới tuổi nghỉ hưu"),
             "unknown": _("chưa có ngày sinh hoặc giới tính, tính như dưới tuổi nghỉ hưu")}
    if kind == "fixed":
        amount, note = args
        return _("Mức cố định {amount}/tháng ({note})").format(amount=format_money(amount), note=notes[note])
    rate, wage, region, note = args
    return _("{rate} lương tối thiểu {region} ({wage}), {note}").format(
        rate=percent_text(rate), region=region_label(region), wage=format_money(wage), note=notes[note])


def check_profile(category: FeeCategory, basis: int | None, region: int | None) -> list[Issue]:
    """Problems with a profile before it is stored: a basis where one is needed, a real region."""
    issues = []
    if category.needs_basis:
        if basis is None:
            issues.append(Issue("fee.basis", _("đối tượng «{category}» cần nhập {what}.").format(
                category=category.label, what=category.basis_label.lower())))
        elif basis <= 0 or basis > MAX_AMOUNT:
            issues.append(Issue("fee.basis", _("{amount} không hợp lý (phải lớn hơn 0 và không quá {max}).").format(
                amount=format_money(basis), max=format_money(MAX_AMOUNT))))
    elif basis is not None and not 0 <= basis <= MAX_AMOUNT:
        issues.append(Issue("fee.basis", _("{amount} không hợp lý.").format(amount=format_money(basis))))
    if category is FeeCategory.OTHER and region is None:
        issues.append(Issue("fee.region", _("đảng viên khác cần chọn vùng (1, 2, 3 hoặc 4) nơi sinh hoạt.")))
    if region is not None and region not in (1, 2, 3, 4):
        issues.append(Issue("fee.region", _("vùng {region} không có; chọn 1, 2, 3 hoặc 4.").format(region=region)))
    return issues


def check_relief(relief: Relief, others: list[Relief], facts: MemberFacts | None = None) -> list[Issue]:
    """A relief's period and percent, and no overlap with the member's other decisions."""
    issues = []
    if relief.kind is ReliefKind.REDUCTION and relief.percent not in REDUCTION_PERCENTS:
        issues.append(Issue("fee.percent", _("chỉ được giảm 30, 50 hoặc 70%, không phải {percent}%.").format(
            percent=relief.percent)))
    if relief.to_month is None and relief.kind is not ReliefKind.SOCIAL_PENSION:
        issues.append(Issue("fee.to", _("cần nhập tháng kết thúc (mỗi quyết định tối đa 12 tháng).")))
    if relief.to_month is not None:
        if relief.to_month < relief.from_month:
            issues.append(Issue("fee.to", _("tháng kết thúc {end} trước tháng bắt đầu {start}.").format(
                end=mo.label(relief.to_month), start=mo.label(relief.from_month))))
        elif relief.kind is not ReliefKind.SOCIAL_PENSION:
            length = mo.months_between(relief.from_month, relief.to_month) + 1
            if length > MAX_RELIEF_MONTHS:
                issues.append(Issue("fee.to", _("thời hạn {length} tháng, dài hơn 12 tháng cho một quyết định "
                                                "(Quy định 01-QĐ/TW).").format(length=length)))
    if relief.kind is ReliefKind.HARDSHIP and not relief.reason.strip():
        issues.append(Issue("fee.reason", _("cần ghi lý do miễn (hộ nghèo, cận nghèo, bệnh hiểm nghèo…).")))
    for other in others:
        if other.cancelled or other.id == relief.id:
            continue
        if _overlaps(relief, other):
            issues.append(Issue("fee.from", _("trùng thời gian với quyết định đã có: {other}.").format(
                other=other.describe())))
    if facts is not None:
        first = facts.first_book_month()
        if first is not None and relief.from_month < first:
            issues.append(Issue("fee.from", _("tháng {month} trước khi đồng chí vào sinh hoạt tại chi bộ ({first}).")
                                .format(month=mo.label(relief.from_month), first=mo.label(first))))
    return issues


def _overlaps(a: Relief, b: Relief) -> bool:
    a_end = a.to_month or Month(9999, 12)
    b_end = b.to_month or Month(9999, 12)
    return a.from_month <= b_end and b.from_month <= a_end


def check_payment(facts: MemberFacts, amount: int, month_from: Month, month_to: Month, paid_on: dt.date,
                  today: dt.date) -> list[Issue]:
    """A payment that cannot be right is refused whole: a bad amount, a month before admission or after
    leaving, a day in the future."""
    issues = []
    if amount <= 0:
        issues.append(Issue("fee.amount", _("phải lớn hơn 0 (đã nhập {amount}).").format(amount=format_money(amount))))
    elif amount > MAX_PAYMENT:
        issues.append(Issue("fee.amount", _("{amount} quá lớn cho một lần nộp đảng phí; xin kiểm tra lại.").format(
            amount=format_money(amount))))
    if paid_on > today:
        issues.append(Issue("fee.paid_on", _("ngày {day} ở tương lai.").format(day=format_date(paid_on))))
    elif paid_on < EARLIEST_PAYMENT:
        issues.append(Issue("fee.paid_on", _("ngày {day} không hợp lý.").format(day=format_date(paid_on))))
    if month_to < month_from:
        issues.append(Issue("fee.to", _("tháng {end} trước tháng {start}.").format(
            end=mo.label(month_to), start=mo.label(month_from))))
        return issues
    if mo.months_between(month_from, month_to) + 1 > MAX_PAYMENT_SPAN:
        issues.append(Issue("fee.to", _("một lần nộp chỉ cho tối đa {count} tháng.").format(count=MAX_PAYMENT_SPAN)))
        return issues
    if mo.months_between(Month.of(paid_on), month_to) > MAX_ADVANCE_MONTHS:
        if month_from <= Month.of(today):
            # The months are not in the future: it is the payment date that cannot be right.
            issues.append(Issue("fee.paid_on", _("ngày nộp {day} sớm hơn tháng {month} quá {count} tháng; "
                                                 "xin kiểm tra lại ngày nộp.").format(
                day=format_date(paid_on), month=mo.label(month_to), count=MAX_ADVANCE_MONTHS)))
        else:
            issues.append(Issue("fee.to", _("nộp trước quá {count} tháng ({month}).").format(
                count=MAX_ADVANCE_MONTHS, month=mo.label(month_to))))
    first = facts.first_book_month()
    if first is None:
        issues.append(Issue("fee.member", _("đồng chí {name} chưa có ngày vào Đảng hay sinh hoạt tại chi bộ.").format(
            name=facts.member.full_name)))
        return issues
    if month_from < first:
        admitted = facts.member.admission_date
        issues.append(Issue("fee.month", _("tháng {month} trước khi đồng chí {name} vào Đảng/sinh hoạt tại chi bộ "
                                           "({first}{admitted}).").format(
            month=mo.label(month_from), name=facts.member.full_name, first=mo.label(first),
            admitted=_(", quyết định kết nạp {day}").format(day=format_date(admitted)) if admitted else "")))
        return issues
    # Months ahead count too: a member who has left (or whose transfer is already recorded) is not on
    # the book for them, whatever the date of the payment.
    outside = [m for m in mo.month_range(month_from, month_to) if not facts.in_book(m)]
    if outside:
        issues.append(Issue("fee.month", _("tháng {month}: đồng chí {name} không sinh hoạt tại chi bộ.").format(
            month=mo.label(outside[0]), name=facts.member.full_name)))
    return issues


def span_label(start: Month, end: Month) -> str:
    """The months a payment covers, as written in messages: "11/2026", or "09/2026–11/2026"."""
    return mo.label(start) if start == end else f"{mo.label(start)}–{mo.label(end)}"


def nothing_to_pay(due: Due, left: int) -> str | None:
    """Why "take what is due" has nothing to take for a month, in the secretary's words; None when it has."""
    month = mo.label(due.month)
    if not due.in_book:
        return _("Tháng {month}: đồng chí không sinh hoạt tại chi bộ.").format(month=month)
    if due.exempt:
        return _("Tháng {month}: được miễn đảng phí ({why}).").format(month=month, why=due.explanation)
    if due.missing_profile:
        return _("Tháng {month}: chưa khai đối tượng đóng đảng phí, chưa tính được số phải đóng; "
                 "hãy nhập số tiền.").format(month=month)
    if left <= 0:
        return _("Tháng {month} đã đóng đủ {amount}.").format(month=month, amount=format_money(due.amount))
    return None


# A payment below what it should be ÷ this factor, or above it × this factor, is asked about before it is
# written: a slipped digit (1.593 or 159.300 for 15.930) is ten times off, while a member paying a third or
# more of a month, or two months at once, is ordinary. The setting fees.confirm_factor changes it.
DEFAULT_CONFIRM_FACTOR = 3


def unusual_amount(amount: int, expected: int, factor: int = DEFAULT_CONFIRM_FACTOR) -> bool:
    """Whether a payment is far enough from what it should be (`expected`) to ask before recording it.
    Nothing to compare with (expected 0: exempt, no profile) or a factor below 2 never asks."""
    if factor < 2 or expected <= 0 or amount <= 0:
        return False
    return amount * factor < expected or amount > expected * factor
