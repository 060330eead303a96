"""The rows of the basic statistics forms a cell computes its slice of (DOMAIN §5.4), kept as data.

A row is (code, label, level); level 0 is a heading line, 1 a line under it, 2 a «trong đó» line. Codes are
stable: they are what a package carries and what the superior adds up. Rows whose code starts with «_» are
carried for the sums (the total of ages behind the mean age) and never printed. A row marked «chưa rõ»
counts members whose field the forms need is empty or fits no code, so the totals still add up.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.domain import stat_codes
from app.domain.member_events import BADGE_MILESTONES, CARD_REASONS, REWARD_FORMS
from app.i18n import _


@dataclass(frozen=True)
class RowDef:
    code: str
    label: Callable[[], str]
    level: int = 1
    # How the superior combines the cells' values: "sum", or "mean" (from the hidden _sum and _count rows).
    combine: str = "sum"


@dataclass(frozen=True)
class FormDef:
    code: str  # "1", "2", "3", "6F", "7"
    title: Callable[[], str]
    rows: tuple[RowDef, ...]

    @property
    def name(self) -> str:
        return _("Biểu số {code}-BTCTW").format(code=self.code)


AGE_BANDS = ((18, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, 60), (61, None))


def age_band(age: int) -> str:
    for low, high in AGE_BANDS:
        if high is None or age <= high:
            return f"{low}-{high}" if high else f"{low}+"
    return "?"


def _age_rows(prefix: str) -> tuple[RowDef, ...]:
    rows = []
    for low, high in AGE_BANDS:
        code = f"{low}-{high}" if high else f"{low}+"
        label = (lambda a=low, b=high: _("Từ {low} đến {high} tuổi").format(low=a, high=b)) if high else (
            lambda: _("Trên 60 tuổi"))
        rows.append(RowDef(f"{prefix}:{code}", label, 2))
    rows.append(RowDef(f"{prefix}:?", lambda: _("Chưa rõ ngày sinh"), 2))
    return tuple(rows)


def _code_rows(prefix: str, codes: tuple[stat_codes.Code, ...], level: int = 2) -> tuple[RowDef, ...]:
    rows = [RowDef(f"{prefix}:{c.code}", c.label, level) for c in codes]
    rows.append(RowDef(f"{prefix}:?", lambda: _("Chưa rõ"), level))
    return tuple(rows)


WORKING_GROUPS = tuple(c for c in stat_codes.OCCUPATION_GROUPS if c.code != stat_codes.RETIRED)

# Admission eras of Biểu 3 (by the date of the admission decision).
ERAS = (
    ("truoc-1945", None, "1945-08-18", lambda: _("Trước 19/8/1945")),
    ("1945-1954", "1945-08-19", "1954-07-20", lambda: _("Từ 19/8/1945 đến 20/7/1954")),
    ("1954-1975", "1954-07-21", "1975-04-30", lambda: _("Từ 21/7/1954 đến 30/4/1975")),
    ("tu-1975", "1975-05-01", None, lambda: _("Từ 01/5/1975 đến nay")),
)

FORM_1 = FormDef("1", lambda: _("Tăng, giảm đảng viên"), (
    RowDef("A", lambda: _("A. Số đảng viên cuối kỳ trước chuyển sang"), 0),
    RowDef("B", lambda: _("B. Số đảng viên tăng trong kỳ"), 0),
    RowDef("B1", lambda: _("1. Kết nạp")),
    RowDef("B1a", lambda: _("Trong đó: kết nạp lại"), 2),
    RowDef("B2", lambda: _("2. Chuyển đến")),
    RowDef("B2a", lambda: _("a) Từ tỉnh, thành phố khác"), 2),
    RowDef("B2b", lambda: _("b) Từ đơn vị khác trong tỉnh"), 2),
    RowDef("B3", lambda: _("3. Phục hồi đảng tịch")),
    RowDef("B9", lambda: _("Chưa ghi hình thức tăng")),
    RowDef("C", lambda: _("C. Số đảng viên giảm trong kỳ"), 0),
    RowDef("C1", lambda: _("1. Từ trần")),
    RowDef("C2", lambda: _("2. Khai trừ")),
    RowDef("C3", lambda: _("3. Xóa tên")),
    RowDef("C3a", lambda: _("Trong đó: đảng viên dự bị"), 2),
    RowDef("C4", lambda: _("4. Xin ra khỏi Đảng")),
    RowDef("C5", lambda: _("5. Chuyển đi")),
    RowDef("C5a", lambda: _("a) Đến tỉnh, thành phố khác"), 2),
    RowDef("C5b", lambda: _("b) Đến đơn vị khác trong tỉnh"), 2),
    RowDef("C9", lambda: _("Giảm khác (chuyển sang sinh hoạt tạm thời)")),
    RowDef("D", lambda: _("D. Số đảng viên cuối kỳ báo cáo (A + B − C)"), 0),
))

FORM_2 = FormDef("2", lambda: _("Đảng viên mới kết nạp"), (
    RowDef("T", lambda: _("I. Tổng số đảng viên mới kết nạp"), 0),
    RowDef("T1", lambda: _("Trong đó: người dân tộc thiểu số"), 2),
    RowDef("T2", lambda: _("Trong đó: đoàn viên thanh niên"), 2),
    RowDef("T3", lambda: _("Trong đó: chủ doanh nghiệp tư nhân"), 2),
    RowDef("T4", lambda: _("Trong đó: kết nạp lại"), 2),
    RowDef("T5", lambda: _("Trong đó: nữ"), 2),
    RowDef("O", lambda: _("II. Chia theo nghề nghiệp"), 0),
    *_code_rows("O", stat_codes.OCCUPATION_GROUPS),
    RowDef("AGE", lambda: _("Chia theo tuổi (khi kết nạp)"), 0),
    *_age_rows("AGE"),
    RowDef("AGE:mean", lambda: _("Tuổi bình quân"), 2, "mean"),
    RowDef("_age_sum", lambda: "", 2),
    RowDef("_age_count", lambda: "", 2),
    RowDef("E", lambda: _("Giáo dục phổ thông"), 0),
    *_code_rows("E", stat_codes.EDUCATION),
    RowDef("P", lambda: _("Chuyên môn, nghiệp vụ"), 0),
    *_code_rows("P", stat_codes.PROFESSIONAL),
))

FORM_3 = FormDef("3", lambda: _("Đội ngũ đảng viên"), (
    RowDef("T", lambda: _("I. Tổng số đảng viên"), 0),
    RowDef("T1", lambda: _("Trong đó: nữ"), 2),
    RowDef("T2", lambda: _("Trong đó: đảng viên dự bị"), 2),
    RowDef("T3", lambda: _("Trong đó: người dân tộc thiểu số"), 2),
    RowDef("T4", lambda: _("Trong đó: có tôn giáo"), 2),
    RowDef("T5", lambda: _("Trong đó: đoàn viên thanh niên"), 2),
    RowDef("T6", lambda: _("Trong đó: chủ doanh nghiệp tư nhân"), 2),
    RowDef("O", lambda: _("II. Nghề nghiệp: a) Đang làm việc"), 0),
    *(RowDef(f"O:{c.code}", c.label, 2) for c in WORKING_GROUPS),
    RowDef("O:?", lambda: _("Chưa rõ"), 2),
    RowDef("O:nghi-huu", lambda: _("b) Nghỉ hưu, thôi việc"), 1),
    RowDef("O:nghi-huu:mien", lambda: _("Trong đó: miễn công tác và sinh hoạt đảng"), 2),
    RowDef("AGE", lambda: _("III. Chia theo tuổi"), 0),
    *_age_rows("AGE"),
    RowDef("AGE:mean", lambda: _("Tuổi bình quân"), 2, "mean"),
    RowDef("_age_sum", lambda: "", 2),
    RowDef("_age_count", lambda: "", 2),
    RowDef("K", lambda: _("IV. Thời kỳ vào Đảng"), 0),
    *(RowDef(f"K:{code}", label, 2) for code, _start, _end, label in ERAS),
    RowDef("K:?", lambda: _("Chưa rõ ngày vào Đảng"), 2),
    RowDef("E", lambda: _("V. Giáo dục phổ thông"), 0),
    *_code_rows("E", stat_codes.EDUCATION),
    RowDef("P", lambda: _("VI. Chuyên môn, nghiệp vụ"), 0),
    *_code_rows("P", stat_codes.PROFESSIONAL),
    RowDef("L", lambda: _("VII. Lý luận chính trị"), 0),
    *_code_rows("L", stat_codes.THEORY),
))

FORM_6F = FormDef("6F", lambda: _("Kết quả kiểm điểm, đánh giá, xếp loại"), (
    RowDef("TT", lambda: _("I. Tập thể chi bộ thuộc diện kiểm điểm"), 0),
    RowDef("TT1", lambda: _("Đã kiểm điểm"), 1),
    RowDef("TT2", lambda: _("Chưa kiểm điểm (tổ chức mới thành lập)"), 1),
    RowDef("DV", lambda: _("II. Đảng viên thuộc diện kiểm điểm"), 0),
    RowDef("DV1", lambda: _("Đã kiểm điểm"), 1),
    RowDef("DV2", lambda: _("Không kiểm điểm"), 1),
    RowDef("DV2a", lambda: _("Trong đó: mới kết nạp dưới 6 tháng"), 2),
    RowDef("DV2b", lambda: _("Trong đó: miễn công tác và sinh hoạt đảng"), 2),
    RowDef("DV2c", lambda: _("Trong đó: đình chỉ sinh hoạt đảng"), 2),
    RowDef("G", lambda: _("III. Kết quả xếp loại đảng viên (Biểu 6)"), 0),
    RowDef("G:xuat-sac", lambda: _("Hoàn thành xuất sắc nhiệm vụ"), 1),
    RowDef("G:tot", lambda: _("Hoàn thành tốt nhiệm vụ"), 1),
    RowDef("G:hoan-thanh", lambda: _("Hoàn thành nhiệm vụ"), 1),
    RowDef("G:khong-hoan-thanh", lambda: _("Không hoàn thành nhiệm vụ"), 1),
    RowDef("G:?", lambda: _("Chưa có kết quả cấp trên quyết định"), 1),
    RowDef("GC", lambda: _("IV. Kết quả xếp loại tập thể chi bộ"), 0),
    RowDef("GC:xuat-sac", lambda: _("Hoàn thành xuất sắc nhiệm vụ"), 1),
    RowDef("GC:tot", lambda: _("Hoàn thành tốt nhiệm vụ"), 1),
    RowDef("GC:hoan-thanh", lambda: _("Hoàn thành nhiệm vụ"), 1),
    RowDef("GC:khong-hoan-thanh", lambda: _("Không hoàn thành nhiệm vụ"), 1),
))

FORM_7 = FormDef("7", lambda: _("Nghiệp vụ công tác đảng viên"), (
    RowDef("R", lambda: _("I. Khen thưởng đảng viên"), 0),
    *(RowDef(f"R:{code}", label, 1) for code, label in REWARD_FORMS.items()),
    RowDef("H", lambda: _("II. Huy hiệu Đảng"), 0),
    *(RowDef(f"H:{years}", (lambda y=years: _("Huy hiệu {years} năm tuổi Đảng").format(years=y)), 1)
      for years in BADGE_MILESTONES),
    RowDef("TD", lambda: _("III. Thẻ đảng viên"), 0),
    *(RowDef(f"TD:{code}", label, 1) for code, label in CARD_REASONS.items()),
    RowDef("CS", lambda: _("IV. Chuyển sinh hoạt đảng"), 0),
    RowDef("CS:ct-den", lambda: _("Chuyển sinh hoạt chính thức đến"), 1),
    RowDef("CS:ct-di", lambda: _("Chuyển sinh hoạt chính thức đi"), 1),
    RowDef("CS:tt-den", lambda: _("Chuyển sinh hoạt tạm thời đến"), 1),
    RowDef("CS:tt-di", lambda: _("Chuyển sinh hoạt tạm thời đi"), 1),
))

FORMS: dict[str, FormDef] = {f.code: f for f in (FORM_1, FORM_2, FORM_3, FORM_6F, FORM_7)}
# The header lines (level 0) of these codes carry their own totals; the others are headings only.
TOTAL_HEADINGS = frozenset({"A", "B", "C", "D", "T", "TT", "DV", "G", "GC", "R", "H", "TD", "CS"})


def form_def(code: str) -> FormDef:
    key = code.upper()
    if key not in FORMS:
        raise KeyError(code)
    return FORMS[key]
