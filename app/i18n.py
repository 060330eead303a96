"""The translation catalogue: every string a user sees goes through `_`.

Vietnamese is the source language, so the Vietnamese catalogue is the identity. Other
languages are read from i18n/<lang>.po with babel (no compile step, no Qt).
"""
from __future__ import annotations

from babel.messages.pofile import read_po

from app.paths import i18n_dir

_catalog: dict[str, str] = {}
_language = "vi"


def _(message: str) -> str:
    return _catalog.get(message) or message


def set_language(lang: str) -> None:
    """Switch the catalogue; an unknown language falls back to Vietnamese."""
    global _language
    _catalog.clear()
    _language = "vi"
    path = i18n_dir() / f"{lang}.po"
    if lang == "vi" or not path.exists():
        return
    with path.open("rb") as fh:
        catalog = read_po(fh)
    _catalog.update({m.id: m.string for m in catalog if m.id and m.string})
    _language = lang


def language() -> str:
    return _language
