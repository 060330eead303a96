"""Every user-visible string is in the catalogue, and another language can be switched on."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app import i18n
from app.domain.members import MemberStatus

ROOT = Path(__file__).resolve().parents[1]


def _catalogue_ids(path: Path) -> set[str]:
    with path.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def _source_ids() -> set[str]:
    found = set()
    for folder in ("app", "ui"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords={"_": None}):
            found.add(message)
    return found


def test_the_catalogue_template_lists_exactly_the_strings_in_the_code():
    missing = _source_ids() - _catalogue_ids(ROOT / "i18n" / "chibo.pot")
    stale = _catalogue_ids(ROOT / "i18n" / "chibo.pot") - _source_ids()
    assert (sorted(missing), sorted(stale)) == ([], []), "run the commands in i18n/README.md"


def test_english_catalogue_only_holds_strings_the_code_still_uses():
    assert _catalogue_ids(ROOT / "i18n" / "en.po") <= _catalogue_ids(ROOT / "i18n" / "chibo.pot")


def test_switching_language_translates_and_falls_back_to_vietnamese():
    try:
        i18n.set_language("en")
        assert MemberStatus.PROBATIONARY.label == "Probationary"
        assert i18n._("Một câu chưa dịch") == "Một câu chưa dịch"
        i18n.set_language("xx")
        assert MemberStatus.PROBATIONARY.label == "Dự bị"
    finally:
        i18n.set_language("vi")
