"""Money as whole đồng (int): formatting the Vietnamese way (1.250.000 đ) and reading what is typed."""
from __future__ import annotations

import re

from babel.numbers import format_decimal

from app.i18n import _

# A payment or a basis above this is a typing slip (one more zero), not a party fee.
MAX_AMOUNT = 1_000_000_000


class MoneyError(ValueError):
    """Text that is not a whole number of đồng; the message says why."""


def format_number(amount: int) -> str:
    """1250000 → '1.250.000' (babel, Vietnamese grouping)."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError(f"money must be int đồng, got {type(amount).__name__}")
    return format_decimal(amount, locale="vi")


def format_money(amount: int) -> str:
    """1250000 → '1.250.000 đ' (non-breaking space, so the unit never wraps away from the number)."""
    return f"{format_number(amount)}\u00a0đ"


_GROUPED = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_UNIT = re.compile(r"(đồng|đ|vnd|₫)$", re.IGNORECASE)


def parse_money(text: object) -> int:
    """'1.250.000', '1 250 000 đ', '15930' or an int → đồng. A decimal part (15,5) or a sign is refused."""
    if isinstance(text, bool):
        raise MoneyError(_("«{value}» không phải số tiền.").format(value=text))
    if isinstance(text, int):
        return text
    raw = str(text)
    cleaned = _UNIT.sub("", raw.strip().replace("\u00a0", " ")).strip().replace(" ", "")
    if cleaned.startswith("-"):
        raise MoneyError(_("số tiền không được âm: «{value}».").format(value=raw.strip()))
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"[0-9]+", cleaned):
        raise MoneyError(_("«{value}» không phải số đồng nguyên (ví dụ 15.930 hoặc 15930).").format(value=raw.strip()))
    return int(cleaned)
