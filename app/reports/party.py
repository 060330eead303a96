"""Text rules of Party documents (DOMAIN §5, R14): dates, numbers and symbols, upper case, NFC."""
from __future__ import annotations

import datetime as dt
import unicodedata
from xml.sax.saxutils import escape

# The issuing body's symbol after the slash: CB for a chi bộ (DOMAIN §5.2).
ISSUER_SYMBOL = "CB"


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def upper(text: str | None) -> str:
    """Upper case that keeps Vietnamese letters whole (NFC before and after: ư → Ư, not U + horn)."""
    return nfc(nfc(text).upper())


def markup(text: str | None) -> str:
    """NFC text made safe for reportlab's paragraph mark-up (&, <, > escaped)."""
    return escape(nfc(text))


def lower_first(text: str) -> str:
    """A topic put after a word ("về xây dựng …"): its first letter lowered, unless it starts a name
    ("Hồ Chí Minh …", whose second word is capitalised too)."""
    words = nfc(text).split()
    if not words or (len(words) > 1 and words[1][:1].isupper()):
        return nfc(text)
    return words[0][:1].lower() + " ".join(words)[1:]


def day_text(day: int) -> str:
    """Days below 10 are written with a leading zero: ngày 05."""
    return f"{day:02d}"


def month_text(month: int) -> str:
    """Only January and February get a leading zero (tháng 01, tháng 02, but tháng 5), so that a
    handwritten 1 cannot be turned into 11 or 12 afterwards (Hướng dẫn 36-HD/VPTW)."""
    return f"{month:02d}" if month <= 2 else str(month)


def long_date(day: dt.date) -> str:
    """ngày 05 tháng 02 năm 2026 / ngày 27 tháng 5 năm 2026."""
    return f"ngày {day_text(day.day)} tháng {month_text(day.month)} năm {day.year}"


def month_year(year: int, month: int) -> str:
    """tháng 02 năm 2026, with the same padding rule as the date line."""
    return f"tháng {month_text(month)} năm {year}"


def date_line(place: str, day: dt.date | None) -> str:
    """The italic line under ĐẢNG CỘNG SẢN VIỆT NAM; dots where the place or the date is not known."""
    place = nfc(place).strip() or "……"
    if day is None:
        return f"{place}, ngày …… tháng …… năm ……"
    return f"{place}, {long_date(day)}"


NBSP = "\u00a0"


def number_text(number: int | None, symbol: str, issuer: str = ISSUER_SYMBOL) -> str:
    """Số 03-BB/CB: zero-padded to two digits, and "Số" with no colon; blank when not yet issued."""
    if number is None:
        # No-break spaces: a paragraph collapses ordinary ones, and the gap is where the number is written by hand.
        return f"Số{NBSP * 10}-{symbol}/{issuer}"
    return f"Số {number:02d}-{symbol}/{issuer}"


def clock_text(value: dt.time | None) -> str:
    """19 giờ 30 phút, as minutes write the hour."""
    if value is None:
        return "…… giờ …… phút"
    return f"{value.hour} giờ {value.minute:02d} phút"


def percent_text(part: int, whole: int) -> str:
    """A share as Vietnamese write it (comma decimal, one place): 92,9%."""
    if whole <= 0:
        return "…%"
    value = round(part * 1000 / whole) / 10
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def committee_of(superior_name: str, spelling: str = "Đảng ủy") -> str:
    """The committee that receives reports: "Đảng bộ xã Hòa Bình" is led by "Đảng ủy xã Hòa Bình".

    The "ủy"/"uỷ" spelling is a template setting because the two readings of 05-HD/VPTW disagree.
    """
    name = nfc(superior_name).strip()
    for prefix in ("Đảng bộ", "ĐẢNG BỘ", "đảng bộ"):
        if name.startswith(prefix):
            return spelling + name[len(prefix):]
    return name
