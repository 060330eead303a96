"""Rule sets for đảng phí as dated data: the regime in force is chosen by the month (DOMAIN §1, R1).

Two kinds of data live here:
- the rates each regulation sets (Quyết định 342-QĐ/TW before 02/2026, Quy định 01-QĐ/TW from 02/2026):
  fixed by the regulation, so kept in code, each table with the month it applies from;
- the figures a superior body may give differently (regional minimum wage, the share the cell keeps,
  rounding, the old regime's fixed amounts): defaults here, each with an effective-from month; the
  secretary adds newer rows (kept in the database), and the row in force for a month is the latest one
  whose month is not after it.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from app.domain.cell import CellLevel
from app.domain.dates import Month
from app.i18n import _


class Regime(enum.StrEnum):
    QD342 = "342-QĐ/TW"
    QD01 = "01-QĐ/TW"

    @property
    def label(self) -> str:
        if self is Regime.QD342:
            return _("Quyết định 342-QĐ/TW (đến tháng 01/2026)")
        return _("Quy định 01-QĐ/TW (từ tháng 02/2026)")


# Quy định 01-QĐ/TW was signed 03/02/2026 and applies from 01/02/2026.
NEW_REGIME_FROM = Month(2026, 2)


@dataclass(frozen=True)
class RateTable:
    """The rates one regulation sets, from a month on."""

    effective_from: Month
    regime: Regime
    bhxh: Fraction                 # of the compulsory-insurance salary
    bhxh_previous_month: bool      # 01-QĐ/TW: the salary of "tháng trước liền kề"
    benefit: Fraction              # of the sickness or maternity benefit (342: of the BHXH allowance)
    pension: Fraction              # of the pension
    student_fixed: int | None      # None: the old regime's editable fixed amount
    other_below: Fraction | None   # share of the regional minimum wage, below retirement age; None: fixed
    other_retired: Fraction | None  # … at or above retirement age
    party_age_exemption_years: int | None  # 01-QĐ/TW: ≥ 50 years of party age pay nothing


RATE_TABLES: tuple[RateTable, ...] = (
    # Quyết định 342-QĐ/TW (28/12/2010), from 01/2011: 1% of salary; 0.5% of pension and BHXH allowances;
    # other members a fixed amount set by the province, half of it above working age.
    RateTable(Month(2011, 1), Regime.QD342, bhxh=Fraction(1, 100), bhxh_previous_month=False,
              benefit=Fraction(5, 1000), pension=Fraction(5, 1000), student_fixed=None,
              other_below=None, other_retired=None, party_age_exemption_years=None),
    # Quy định 01-QĐ/TW, Điều 3: 1% of last month's BHXH salary; 1% of the sickness/maternity benefit;
    # 0.5% of the pension; 5,000 đ for pupils and students; 0.3% / 0.2% of the regional minimum wage to 12/2027.
    RateTable(NEW_REGIME_FROM, Regime.QD01, bhxh=Fraction(1, 100), bhxh_previous_month=True,
              benefit=Fraction(1, 100), pension=Fraction(5, 1000), student_fixed=5_000,
              other_below=Fraction(3, 1000), other_retired=Fraction(2, 1000), party_age_exemption_years=50),
    # … and 0.5% / 0.3% from 01/01/2028 (point 2.2, khoản 2, Điều 3).
    RateTable(Month(2028, 1), Regime.QD01, bhxh=Fraction(1, 100), bhxh_previous_month=True,
              benefit=Fraction(1, 100), pension=Fraction(5, 1000), student_fixed=5_000,
              other_below=Fraction(5, 1000), other_retired=Fraction(3, 1000), party_age_exemption_years=50),
)


def rate_table(month: Month) -> RateTable:
    """The regulation's rates in force in a month (the oldest table for anything before it)."""
    found = RATE_TABLES[0]
    for table in RATE_TABLES:
        if table.effective_from <= month:
            found = table
    return found


def regime(month: Month) -> Regime:
    return Regime.QD01 if month >= NEW_REGIME_FROM else Regime.QD342


class RoundingMode(enum.StrEnum):
    HALF_UP = "half_up"
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Rounding:
    """Round a computed fee to a multiple of `step` đồng. The default (1, half_up) is 'no rounding': the
    exact amount, with a half đồng rounded up, since no rule was found (DOMAIN §1.1, R1(d))."""

    step: int = 1
    mode: RoundingMode = RoundingMode.HALF_UP

    def apply(self, numerator: int, denominator: int = 1) -> int:
        """numerator/denominator đồng (non-negative), rounded; integers only, never a float."""
        unit = self.step * denominator
        if self.mode is RoundingMode.UP:
            return -(-numerator // unit) * self.step
        if self.mode is RoundingMode.DOWN:
            return numerator // unit * self.step
        return (2 * numerator + unit) // (2 * unit) * self.step

    def describe(self) -> str:
        if self.step == 1 and self.mode is RoundingMode.HALF_UP:
            return _("không làm tròn (lấy đến đồng, nửa đồng làm tròn lên)")
        how = {RoundingMode.HALF_UP: _("làm tròn"), RoundingMode.UP: _("làm tròn lên"),
               RoundingMode.DOWN: _("làm tròn xuống")}[self.mode]
        return _("{how} đến bội số của {step} đồng").format(how=how, step=self.step)


ROUNDING_STEPS = (1, 10, 100, 500, 1000)
REGIONS = (1, 2, 3, 4)
REGION_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


def region_label(region: int) -> str:
    return _("Vùng {name}").format(name=REGION_NAMES.get(region, str(region)))


class RuleKey(enum.StrEnum):
    """The editable, dated figures."""

    MIN_WAGE = "min_wage"
    RETAINED_SHARE = "retained_share"
    ROUNDING = "rounding"
    OLD_FIXED = "old_fixed"

    @property
    def label(self) -> str:
        return {
            RuleKey.MIN_WAGE: _("Lương tối thiểu vùng (đồng/tháng)"),
            RuleKey.RETAINED_SHARE: _("Tỷ lệ đảng phí chi bộ được trích giữ lại (%)"),
            RuleKey.ROUNDING: _("Làm tròn số tiền đảng phí"),
            RuleKey.OLD_FIXED: _("Mức đóng cố định theo Quyết định 342-QĐ/TW (đồng/tháng)"),
        }[self]


# Old-regime fixed amounts: 342-QĐ/TW lets the province set 2,000–30,000 đ for "other" members and half
# of it above working age; these defaults are placeholders for the province's own figures.
OLD_FIXED_KEYS = ("student", "other", "other_retired")
OLD_FIXED_LABELS = {
    "student": lambda: _("Học sinh, sinh viên"),
    "other": lambda: _("Đảng viên khác (trong độ tuổi lao động)"),
    "other_retired": lambda: _("Đảng viên khác (ngoài độ tuổi lao động)"),
}


@dataclass(frozen=True)
class RuleValue:
    """One dated figure: in force from `effective_from` until a later row of the same key."""

    key: RuleKey
    effective_from: Month
    value: dict
    note: str = ""
    id: int | None = None  # None: a built-in default

    @property
    def is_default(self) -> bool:
        return self.id is None


DEFAULT_VALUES: tuple[RuleValue, ...] = (
    # Nghị định 38/2022/NĐ-CP (01/7/2022), 74/2024/NĐ-CP (01/7/2024), 293/2025/NĐ-CP (01/01/2026).
    RuleValue(RuleKey.MIN_WAGE, Month(2022, 7), {"1": 4_680_000, "2": 4_160_000, "3": 3_640_000, "4": 3_250_000},
              "Nghị định 38/2022/NĐ-CP"),
    RuleValue(RuleKey.MIN_WAGE, Month(2024, 7), {"1": 4_960_000, "2": 4_410_000, "3": 3_860_000, "4": 3_450_000},
              "Nghị định 74/2024/NĐ-CP"),
    RuleValue(RuleKey.MIN_WAGE, Month(2026, 1), {"1": 5_310_000, "2": 4_730_000, "3": 4_140_000, "4": 3_700_000},
              "Nghị định 293/2025/NĐ-CP"),
    # Unverified recollection of 342 (DOMAIN §1.1); not found for 01-QĐ/TW: the superior body's figure wins.
    RuleValue(RuleKey.RETAINED_SHARE, Month(2011, 1), {CellLevel.SUBORDINATE.value: "30", CellLevel.GRASSROOTS.value: "70"},
              "Mặc định, chưa xác minh; sửa theo hướng dẫn của cấp ủy cấp trên"),
    RuleValue(RuleKey.ROUNDING, Month(2011, 1), {"step": 1, "mode": RoundingMode.HALF_UP.value},
              "Chưa có quy định làm tròn"),
    RuleValue(RuleKey.OLD_FIXED, Month(2011, 1), {"student": 3_000, "other": 10_000, "other_retired": 5_000},
              "Mặc định; sửa theo mức tỉnh ủy quy định"),
)


class RuleValueError(ValueError):
    """A figure that cannot be right; the message names it."""


MAX_MIN_WAGE = 100_000_000
MAX_FIXED = 1_000_000


def _percent(text: object) -> Fraction:
    try:
        value = Fraction(Decimal(str(text).strip().replace(",", ".").rstrip("%")))
    except (InvalidOperation, ValueError):
        raise RuleValueError(_("«{value}» không phải một tỷ lệ phần trăm.").format(value=text)) from None
    if not 0 <= value <= 100:
        raise RuleValueError(_("tỷ lệ {value}% phải trong khoảng 0–100.").format(value=text))
    return value


def _whole(text: object, low: int, high: int, what: str) -> int:
    cleaned = re.sub(r"[\s.đ]|đồng", "", str(text)) if isinstance(text, str) else text
    try:
        value = int(cleaned)
    except (TypeError, ValueError):
        raise RuleValueError(_("{what}: «{value}» phải là số đồng nguyên.").format(what=what, value=text)) from None
    if not low <= value <= high:
        raise RuleValueError(_("{what}: {value} nằm ngoài khoảng hợp lý {low}–{high} đồng.").format(
            what=what, value=value, low=low, high=high))
    return value


def validate_value(key: RuleKey, value: dict) -> dict:
    """The value cleaned to its stored form, or RuleValueError naming what is wrong."""
    if key is RuleKey.MIN_WAGE:
        return {str(r): _whole(value.get(str(r), value.get(r)), 1_000_000, MAX_MIN_WAGE, region_label(r))
                for r in REGIONS}
    if key is RuleKey.RETAINED_SHARE:
        out = {}
        for level in CellLevel:
            raw = value.get(level.value)
            if raw is None:
                raise RuleValueError(_("thiếu tỷ lệ cho {level}.").format(level=level.label))
            _percent(raw)
            out[level.value] = _percent_text(raw)
        return out
    if key is RuleKey.ROUNDING:
        step = _whole(value.get("step", 1), 1, 1000, _("Bước làm tròn"))
        if step not in ROUNDING_STEPS:
            raise RuleValueError(_("bước làm tròn phải là một trong {steps} đồng.").format(
                steps=", ".join(str(s) for s in ROUNDING_STEPS)))
        mode = str(value.get("mode", RoundingMode.HALF_UP.value))
        if mode not in {m.value for m in RoundingMode}:
            raise RuleValueError(_("cách làm tròn «{mode}» không có; chọn half_up, up hoặc down.").format(mode=mode))
        return {"step": step, "mode": mode}
    if key is RuleKey.OLD_FIXED:
        return {k: _whole(value.get(k), 0, MAX_FIXED, OLD_FIXED_LABELS[k]()) for k in OLD_FIXED_KEYS}
    raise RuleValueError(_("Không có định mức «{key}».").format(key=key))


def _percent_text(raw: object) -> str:
    """'30', '12.5': the decimal the secretary typed, without trailing zeros."""
    text = format(Decimal(str(raw).strip().replace(",", ".").rstrip("%")).normalize(), "f")
    return text


def parse_text(key: RuleKey, text: str) -> dict:
    """The command-line form of a value: '5310000,4730000,4140000,3700000' for the minimum wage (regions
    I–IV); 'truc_thuoc=30,co_so=70'; '1000:up' (step:mode); 'student=3000,other=10000,other_retired=5000'."""
    text = text.strip()
    if key is RuleKey.MIN_WAGE:
        parts = [p for p in re.split(r"[;,/]\s*|\s+", text) if p]
        if len(parts) != 4:
            raise RuleValueError(_("cần đúng 4 mức lương tối thiểu cho vùng I, II, III, IV."))
        return validate_value(key, {str(r): p for r, p in zip(REGIONS, parts)})
    if key is RuleKey.ROUNDING:
        step, _sep, mode = text.partition(":")
        return validate_value(key, {"step": step, "mode": mode or RoundingMode.HALF_UP.value})
    pairs = {}
    # Pairs are split at ',' or ';' only before the next name, so a decimal comma (72,5) stays in its value.
    for part in re.split(r"[;,]\s*(?=[A-Za-z_]+\s*=)", text):
        name, sep, amount = part.partition("=")
        if not sep:
            raise RuleValueError(_("«{part}» phải có dạng tên=giá trị.").format(part=part))
        pairs[name.strip()] = amount.strip()
    return validate_value(key, pairs)


def describe_value(key: RuleKey, value: dict) -> str:
    from app.domain.money import format_money

    if key is RuleKey.MIN_WAGE:
        return "; ".join(f"{region_label(r)}: {format_money(int(value[str(r)]))}" for r in REGIONS)
    if key is RuleKey.RETAINED_SHARE:
        return "; ".join(f"{level.label}: {value[level.value]}%" for level in CellLevel)
    if key is RuleKey.ROUNDING:
        return Rounding(int(value["step"]), RoundingMode(value["mode"])).describe()
    return "; ".join(f"{OLD_FIXED_LABELS[k]()}: {format_money(int(value[k]))}" for k in OLD_FIXED_KEYS)


@dataclass(frozen=True)
class MonthRules:
    """Everything needed to compute one month's fees: the regulation's rates and the figures in force."""

    month: Month
    rates: RateTable
    min_wage: dict[int, int]
    retained_share: dict[str, Fraction]
    rounding: Rounding
    old_fixed: dict[str, int]

    @property
    def regime(self) -> Regime:
        return self.rates.regime


@dataclass
class RuleBook:
    """Defaults plus the secretary's rows; `for_month` answers from a small cache."""

    values: list[RuleValue] = field(default_factory=lambda: list(DEFAULT_VALUES))
    _cache: dict[Month, MonthRules] = field(default_factory=dict, repr=False)

    def in_force(self, key: RuleKey, month: Month) -> RuleValue:
        """The row of `key` in force in `month`: the latest effective month not after it; on the same
        month the secretary's row beats the default and a later row beats an earlier one. Before the
        first row, the first row."""
        rows = sorted((v for v in self.values if v.key is key),
                      key=lambda v: (v.effective_from, v.id is not None, v.id or 0))
        found = rows[0]
        for row in rows:
            if row.effective_from <= month:
                found = row
        return found

    def history(self, key: RuleKey) -> list[RuleValue]:
        return sorted((v for v in self.values if v.key is key), key=lambda v: (v.effective_from, v.id or 0))

    def for_month(self, month: Month) -> MonthRules:
        cached = self._cache.get(month)
        if cached is not None:
            return cached
        wage = self.in_force(RuleKey.MIN_WAGE, month).value
        share = self.in_force(RuleKey.RETAINED_SHARE, month).value
        rounding = self.in_force(RuleKey.ROUNDING, month).value
        fixed = self.in_force(RuleKey.OLD_FIXED, month).value
        rules = MonthRules(
            month=month,
            rates=rate_table(month),
            min_wage={r: int(wage[str(r)]) for r in REGIONS},
            retained_share={k: Fraction(Decimal(str(v))) / 100 for k, v in share.items()},
            rounding=Rounding(int(rounding["step"]), RoundingMode(rounding["mode"])),
            old_fixed={k: int(fixed[k]) for k in OLD_FIXED_KEYS},
        )
        self._cache[month] = rules
        return rules
