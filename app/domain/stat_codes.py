"""The code lists of the basic statistics forms (Biểu số N-BTCTW, Hướng dẫn 11-HD/BTCTW; DOMAIN §5.4).

A member's occupation group is stored as one of these codes. The levels (general education, professional
level, political theory) are read from the text the secretary already keeps, by the same code lists, so an
old roster counts without being retyped; text that fits no code is counted as «chưa rõ» and named.
The lists are data: a later edition of the forms changes them here and nowhere else.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.domain import names
from app.i18n import _


@dataclass(frozen=True)
class Code:
    code: str
    label: Callable[[], str]
    # Folded words that identify the code in free text (the first that matches wins, longest first).
    words: tuple[str, ...] = ()
    # Folded words that rule the code out even when one of its words is there («bộ đội xuất ngũ»).
    unless: tuple[str, ...] = ()


UNKNOWN = ""

# Biểu 2 II / Biểu 3 II(a): the occupation of a member who is working; RETIRED is Biểu 3 II(b).
OCCUPATION_GROUPS: tuple[Code, ...] = (
    Code("cbcc-tren-xa", lambda: _("Cán bộ, công chức từ cấp tỉnh trở lên"),
         ("cong chuc tinh", "cong chuc trung uong")),
    Code("cbcc-xa", lambda: _("Cán bộ, công chức, người hoạt động không chuyên trách cấp xã"),
         ("cong chuc xa", "can bo xa", "cong chuc phuong", "can bo phuong", "khong chuyen trach xa")),
    Code("thon-to", lambda: _("Người hoạt động không chuyên trách ở thôn, tổ dân phố"),
         ("truong thon", "to truong", "truong ap", "truong ban cong tac mat tran", "khong chuyen trach thon")),
    Code("vien-chuc", lambda: _("Viên chức"), ("giao vien", "bac si", "y si", "y ta", "dieu duong", "vien chuc",
                                               "giang vien", "duoc si")),
    Code("dn-quan-ly", lambda: _("Doanh nghiệp: người quản lý"), ("giam doc", "quan ly doanh nghiep")),
    Code("dn-nhan-vien", lambda: _("Doanh nghiệp: nhân viên"), ("nhan vien", "ke toan")),
    Code("dn-cong-nhan", lambda: _("Doanh nghiệp: công nhân"), ("cong nhan",)),
    Code("chu-dntn", lambda: _("Chủ doanh nghiệp tư nhân"), ("chu doanh nghiep", "chu dntn")),
    Code("nong-lam-ngu", lambda: _("Nông, lâm, ngư nghiệp"), ("nong dan", "lam nghiep", "ngu dan", "lam ruong",
                                                               "nong nghiep", "trong trot", "chan nuoi")),
    Code("vu-trang", lambda: _("Lực lượng vũ trang"), ("quan doi", "cong an", "bo doi", "si quan", "dan quan"),
         ("xuat ngu", "phuc vien", "giai ngu", "cuu chien binh")),
    Code("sinh-vien", lambda: _("Sinh viên"), ("sinh vien",)),
    Code("hoc-sinh", lambda: _("Học sinh"), ("hoc sinh",)),
    Code("tu-do", lambda: _("Lao động tự do, kinh doanh cá thể"), ("tu do", "buon ban", "kinh doanh", "tieu thuong")),
    Code("khac", lambda: _("Khác"), ()),
    Code("nghi-huu", lambda: _("Nghỉ hưu, thôi việc"), ("huu tri", "nghi huu", "huu", "thoi viec", "mat suc")),
)
RETIRED = "nghi-huu"

# General education (giáo dục phổ thông).
EDUCATION: tuple[Code, ...] = (
    Code("tieu-hoc", lambda: _("Tiểu học"), ("tieu hoc", "cap 1", "5/10", "4/10", "5/12")),
    Code("thcs", lambda: _("Trung học cơ sở"), ("trung hoc co so", "thcs", "cap 2", "7/10", "9/12", "8/10")),
    Code("thpt", lambda: _("Trung học phổ thông"), ("trung hoc pho thong", "thpt", "cap 3", "10/10", "12/12",
                                                    "bo tuc")),
)

# Professional level (chuyên môn, nghiệp vụ), highest first so that «thạc sĩ» is not read as «đại học».
PROFESSIONAL: tuple[Code, ...] = (
    Code("tien-si", lambda: _("Tiến sĩ"), ("tien si", "ts.")),
    Code("thac-si", lambda: _("Thạc sĩ"), ("thac si", "ths")),
    Code("dai-hoc", lambda: _("Đại học"), ("dai hoc", "cu nhan", "ky su", "bac si", "dh")),
    Code("cao-dang", lambda: _("Cao đẳng"), ("cao dang",)),
    Code("trung-cap", lambda: _("Trung cấp"), ("trung cap",)),
    Code("so-cap", lambda: _("Sơ cấp, công nhân kỹ thuật"), ("so cap", "cong nhan ky thuat", "nghe")),
    Code("chua-dao-tao", lambda: _("Chưa qua đào tạo"), ("chua qua dao tao", "khong", "chua")),
)

# Political theory (lý luận chính trị).
THEORY: tuple[Code, ...] = (
    Code("cu-nhan", lambda: _("Cử nhân"), ("cu nhan",)),
    Code("cao-cap", lambda: _("Cao cấp"), ("cao cap",)),
    Code("trung-cap", lambda: _("Trung cấp"), ("trung cap",)),
    Code("so-cap", lambda: _("Sơ cấp"), ("so cap",)),
    Code("chua-hoc", lambda: _("Chưa qua đào tạo"), ("chua", "khong")),
)

# Ethnicity and religion are kept as text; these values mean "the majority" and "none".
MAJORITY_ETHNICITY = frozenset({"kinh"})
NO_RELIGION = frozenset({"khong", "khong co", "khong ton giao", "-"})


def label_of(codes: tuple[Code, ...], code: str) -> str:
    for item in codes:
        if item.code == code:
            return item.label()
    return _("Chưa rõ")


def is_code(codes: tuple[Code, ...], code: str) -> bool:
    return any(item.code == code for item in codes)


def classify(codes: tuple[Code, ...], text: str) -> str:
    """The code a free text names: a code's label or one of its words; UNKNOWN when none fits."""
    folded = names.fold(text or "").strip()
    if not folded:
        return UNKNOWN
    for item in codes:
        if folded in (item.code, names.fold(item.label())):
            return item.code
    for item in codes:
        if any(_has_words(folded, word) for word in item.words) and not any(
                _has_words(folded, word) for word in item.unless):
            return item.code
    return UNKNOWN


def _has_words(text: str, words: str) -> bool:
    """Whole words only: «hưu» in «nghỉ hưu», never «trung» in «trung cấp»'s neighbour «trung học»."""
    padded = f" {' '.join(text.replace(',', ' ').replace('(', ' ').replace(')', ' ').split())} "
    return f" {words} " in padded or (("/" in words or "." in words) and words in text)


def occupation_code(group: str, occupation_text: str) -> str:
    """The stored group when it is one, else the group the free occupation names."""
    return group if is_code(OCCUPATION_GROUPS, group) else classify(OCCUPATION_GROUPS, occupation_text)


def is_minority(ethnicity: str) -> bool:
    folded = names.fold(ethnicity or "").strip()
    return bool(folded) and folded not in MAJORITY_ETHNICITY


def has_religion(religion: str) -> bool:
    folded = names.fold(religion or "").strip()
    return bool(folded) and folded not in NO_RELIGION


def choices(codes: tuple[Code, ...]) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's list, in the forms' order."""
    return [(item.code, item.label()) for item in codes]
