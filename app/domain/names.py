"""Vietnamese names: normalisation, collation and diacritic-insensitive search."""
from __future__ import annotations

import re
import unicodedata

# The collation tables below are written by hand because ICU, the usual source of
# Vietnamese collation, cannot be installed on the target Windows / fresh machines.
# Order as taught in Vietnamese schools; f j w z sit where they fall in the Latin
# alphabet so foreign names still sort sensibly. Digits come before letters.
_ALPHABET = (
    "0123456789"
    "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
)

# NFD splits ă â ê ô ơ ư into a base letter plus one of these marks, but in
# Vietnamese they are letters of their own, not accented variants.
_MODIFIED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}

# Tones only break ties between otherwise equal words, in the traditional order
# ngang (none) < huyền < hỏi < ngã < sắc < nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Code points of the key: separators < tones < letters < "other" marker. Separators
# lowest makes a prefix sort first ("An" < "Anh") and a toneless word sort before
# the same word with a tone. \x00 is avoided because some storage layers choke on it.
_WORD_SEP = "\x01"
_GIVEN_SEP = "\x02"
_TONE_SEP = "\x03"
_TONE_BASE = 0x10
_LETTER_CODE = {letter: chr(0x20 + i) for i, letter in enumerate(_ALPHABET)}
# Unknown characters sort after every letter, then among themselves by code point.
_OTHER = "\x7f"

_APOSTROPHES = ("'", "\u2019", "\u02bc")


def normalize_text(s: str) -> str:
    """NFC, trimmed, every run of whitespace (NBSP and tabs too) as one space."""
    return " ".join(unicodedata.normalize("NFC", s).split())


def _capitalise(word: str) -> str:
    # Names like H'Hen carry their own capitals; guessing would mangle them.
    if any(mark in word for mark in _APOSTROPHES):
        return word
    return word.capitalize()


def normalize_name(s: str) -> str:
    """normalize_text, then each word as Capitalised (words with apostrophes kept)."""
    words = (_capitalise(w) for w in normalize_text(s).split())
    return unicodedata.normalize("NFC", " ".join(words))


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _caseless_nfd(s: str) -> str:
    # NFD on both sides of casefold: the Unicode recipe for canonical caseless matching.
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", s).casefold())


def fold(s: str) -> str:
    """Search form: no diacritics, đ as d, casefolded, whitespace collapsed."""
    kept = ("d" if ch == "đ" else ch for ch in _caseless_nfd(s) if not _is_mark(ch))
    return " ".join("".join(kept).split())


# Search looks at word beginnings only: a short syllable typed must not match everyone whose middle
# name merely contains it ("an" finds An, Anh and Ân, not Lan). A space in front of the haystack and of
# each token turns "begins a word" into a plain substring test, which keeps search-as-you-type fast.
def search_tokens(query: str) -> list[str]:
    """The typed words, folded, each with the leading space that anchors it to a word beginning."""
    return [" " + token for token in fold(query).split()]


def search_haystack(folded_haystack: str) -> str:
    """A folded haystack (space-joined words, as stored in search_text) ready for search_tokens."""
    return " " + folded_haystack


def matches(query: str, folded_haystack: str) -> bool:
    """Every typed word begins some word of the folded haystack, in any order."""
    haystack = search_haystack(folded_haystack)
    return all(token in haystack for token in search_tokens(query))


def _clusters(word: str) -> list[tuple[str, list[str]]]:
    clusters: list[tuple[str, list[str]]] = []
    for ch in word:
        if clusters and _is_mark(ch):
            clusters[-1][1].append(ch)
        else:
            clusters.append((ch, []))
    return clusters


def _encode_word(word: str) -> str:
    letters, tones = [], []
    for base, marks in _clusters(word):
        for mark in marks:
            base = _MODIFIED.get((base, mark), base)
            if mark in _TONE_RANK:
                tones.append(chr(_TONE_BASE + _TONE_RANK[mark]))
        letters.append(_LETTER_CODE.get(base) or _OTHER + base)
    return "".join(letters) + _TONE_SEP + "".join(tones)


def sort_key(full_name: str) -> str:
    """A string whose plain code point order is the Vietnamese roster order."""
    words = _caseless_nfd(full_name).split()
    if not words:
        return ""
    others = _WORD_SEP.join(_encode_word(w) for w in words[:-1])
    return _encode_word(words[-1]) + _GIVEN_SEP + others


def given_name(full_name: str) -> str:
    """The last word: what Vietnamese call a person by and sort on."""
    words = normalize_text(full_name).split()
    return words[-1] if words else ""


def family_and_middle(full_name: str) -> str:
    """Everything before the given name."""
    return " ".join(normalize_text(full_name).split()[:-1])


def _choice_key(text: object) -> str:
    return "_".join(re.sub(r"[^a-z0-9_ ]+", " ", fold(str(text))).split())


def choice(text: str, options, keys=lambda option: (option.value, option.label)):
    """The option whose code or Vietnamese label the user typed (case, diacritics, spaces and punctuation
    ignored): "Từ trần", "tu tran" and "tu_tran" all name the same status. None when nothing matches."""
    wanted = _choice_key(text)
    for option in options:
        if wanted and wanted in {_choice_key(k) for k in keys(option)}:
            return option
    return None
