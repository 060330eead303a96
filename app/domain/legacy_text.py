"""Text typed with the legacy Vietnamese encodings, recognised column by column and converted to Unicode NFC.

Before Unicode, Vietnamese was typed in Excel and Word with fonts that drew Vietnamese letters in place of the
Western (Windows-1252) ones. The file keeps the Western characters, so an old list opened today reads
«NguyÔn V¨n An» (TCVN3, also called ABC, with the .VnTime/.VnArial fonts) or «Nguyeãn Vaên An» (VNI, with the
VNI-Times fonts). No maintained Python library converts these (the converters in use are Windows programs and
Unikey's clipboard tool), so the two tables are written out here by hand from the published charts:

* TCVN3 = TCVN 5712:1993, table VN3: one byte per letter, lowercase letters only, plus the seven capitals
  without a tone (Ă Â Ê Ô Ơ Ư Đ).
* VNI-Windows: a Latin base letter followed by one character that adds the mark(s): «aù» = á, «aâ» = â,
  «aá» = ấ, «aê» = ă, «oâ» = ô, «ô» = ơ, «ö» = ư, «ñ» = đ; the capitals are the same characters in capitals.

A column is converted only on evidence: its values read as Unicode are not Vietnamese syllables, and read
through one table they are. Correct Unicode text («Nguyễn Văn An», «Ông», «Thôn Đông»), plain ASCII and
French or English words are never touched.
"""
from __future__ import annotations

import enum
import functools
import re
import unicodedata
from dataclasses import dataclass

from app.i18n import _


class Encoding(enum.StrEnum):
    TCVN3 = "tcvn3"
    VNI = "vni"

    @property
    def label(self) -> str:
        return _("TCVN3 (ABC, phông .Vn)") if self is Encoding.TCVN3 else _("VNI (phông VNI-Times)")


# --- the tables ---------------------------------------------------------------------------------------------

# TCVN3 (VN3), each byte as Windows-1252 shows it -> the letter the .Vn font draws.
# Capitals: VN3 has codes only for Ă Â Ê Ô Ơ Ư Đ (0xA1-0xA7). A capital with a tone (Ễ, Ấ, Ọ...) has no code:
# it was typed with the lowercase code in a .VnTimeH-style font, which draws every code as a capital. The font
# is formatting, not text, so from the text alone a capital with a tone can be recovered only when the words
# around it are typed in ASCII capitals («NGUYÔN» -> «NGUYỄN»); a word whose only ASCII letter is its first
# («Hå», shown «HỒ» in .VnTimeH or «Hồ» in .VnTime) and text typed in lowercase under a capitals font come
# back in lowercase. Names are capitalised afterwards by the roster anyway.
TCVN3_TABLE: dict[str, str] = {
    "\u00b5": "à", "\u00b6": "ả", "\u00b7": "ã", "\u00b8": "á", "\u00b9": "ạ",
    "\u00a8": "ă", "\u00bb": "ằ", "\u00bc": "ẳ", "\u00bd": "ẵ", "\u00be": "ắ", "\u00c6": "ặ",
    "\u00a9": "â", "\u00c7": "ầ", "\u00c8": "ẩ", "\u00c9": "ẫ", "\u00ca": "ấ", "\u00cb": "ậ",
    "\u00ae": "đ",
    "\u00cc": "è", "\u00ce": "ẻ", "\u00cf": "ẽ", "\u00d0": "é", "\u00d1": "ẹ",
    "\u00aa": "ê", "\u00d2": "ề", "\u00d3": "ể", "\u00d4": "ễ", "\u00d5": "ế", "\u00d6": "ệ",
    "\u00d7": "ì", "\u00d8": "ỉ", "\u00dc": "ĩ", "\u00dd": "í", "\u00de": "ị",
    "\u00df": "ò", "\u00e1": "ỏ", "\u00e2": "õ", "\u00e3": "ó", "\u00e4": "ọ",
    "\u00ab": "ô", "\u00e5": "ồ", "\u00e6": "ổ", "\u00e7": "ỗ", "\u00e8": "ố", "\u00e9": "ộ",
    "\u00ac": "ơ", "\u00ea": "ờ", "\u00eb": "ở", "\u00ec": "ỡ", "\u00ed": "ớ", "\u00ee": "ợ",
    "\u00ef": "ù", "\u00f1": "ủ", "\u00f2": "ũ", "\u00f3": "ú", "\u00f4": "ụ",
    "\u00ad": "ư", "\u00f5": "ừ", "\u00f6": "ử", "\u00f7": "ữ", "\u00f8": "ứ", "\u00f9": "ự",
    "\u00fa": "ỳ", "\u00fb": "ỷ", "\u00fc": "ỹ", "\u00fd": "ý", "\u00fe": "ỵ",
    "\u00a1": "Ă", "\u00a2": "Â", "\u00a3": "Ê", "\u00a4": "Ô", "\u00a5": "Ơ", "\u00a6": "Ư", "\u00a7": "Đ",
}

# VNI-Windows, lowercase: letter -> what the file holds (Windows-1252 characters). The capitals are the same
# characters in capitals («AÙ» = Á, «Ô» = Ơ, «Ñ» = Đ), added below.
_VNI_LOWER: dict[str, str] = {
    "á": "aù", "à": "aø", "ả": "aû", "ã": "aõ", "ạ": "aï",
    "ă": "aê", "ắ": "aé", "ằ": "aè", "ẳ": "aú", "ẵ": "aü", "ặ": "aë",
    "â": "aâ", "ấ": "aá", "ầ": "aà", "ẩ": "aå", "ẫ": "aã", "ậ": "aä",
    "đ": "ñ",
    "é": "eù", "è": "eø", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï",
    "ê": "eâ", "ế": "eá", "ề": "eà", "ể": "eå", "ễ": "eã", "ệ": "eä",
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
    "ó": "où", "ò": "oø", "ỏ": "oû", "õ": "oõ", "ọ": "oï",
    "ô": "oâ", "ố": "oá", "ồ": "oà", "ổ": "oå", "ỗ": "oã", "ộ": "oä",
    "ơ": "ô", "ớ": "ôù", "ờ": "ôø", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï",
    "ú": "uù", "ù": "uø", "ủ": "uû", "ũ": "uõ", "ụ": "uï",
    "ư": "ö", "ứ": "öù", "ừ": "öø", "ử": "öû", "ữ": "öõ", "ự": "öï",
    "ý": "yù", "ỳ": "yø", "ỷ": "yû", "ỹ": "yõ", "ỵ": "î",
}
VNI_TABLE: dict[str, str] = {**{v: k for k, v in _VNI_LOWER.items()},
                             **{v.upper(): k.upper() for k, v in _VNI_LOWER.items()}}


def legacy_form(letter: str, encoding: Encoding) -> str:
    """What a file in the encoding holds for one Vietnamese letter (the tables read backwards). A TCVN3 capital
    with a tone has no code of its own: its lowercase code is given (see TCVN3_TABLE)."""
    if encoding is Encoding.VNI:
        return _VNI_INVERSE.get(letter, letter)
    return _TCVN3_INVERSE.get(letter) or _TCVN3_INVERSE.get(letter.lower(), letter)


_VNI_INVERSE = {v: k for k, v in VNI_TABLE.items()}
_TCVN3_INVERSE = {v: k for k, v in TCVN3_TABLE.items()}


# --- converting ----------------------------------------------------------------------------------------------

_TCVN3_UPPER_BASES = frozenset("\u00a1\u00a2\u00a3\u00a4\u00a5\u00a6\u00a7")
_TCVN3_WORD = re.compile("[A-Za-z" + "".join(TCVN3_TABLE) + "]+")


def _tcvn3_capitals(text: str) -> bool:
    """Typed in capitals (a heading or a name in a .VnTimeH font): no lowercase ASCII letter, and some word
    has a capital after its first letter, so a title-case «Hå» alone does not count."""
    if any("a" <= ch <= "z" for ch in text):
        return False
    for word in _TCVN3_WORD.findall(text):
        if any(("A" <= ch <= "Z") or ch in _TCVN3_UPPER_BASES for ch in word[1:]):
            return True
    return False


def _convert_tcvn3(text: str) -> str:
    capitals = _tcvn3_capitals(text)
    out = []
    for ch in text:
        letter = TCVN3_TABLE.get(ch)
        if letter is None:
            out.append(ch)
        else:
            out.append(letter.upper() if capitals else letter)
    return "".join(out)


def _convert_vni(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        pair = VNI_TABLE.get(text[i:i + 2]) if i + 1 < len(text) else None
        if pair is not None:
            out.append(pair)
            i += 2
            continue
        out.append(VNI_TABLE.get(text[i], text[i]))
        i += 1
    return "".join(out)


def convert(text: str, encoding: Encoding) -> str:
    """The text read through the encoding's table, as Unicode NFC. Characters outside the table are kept."""
    converted = _convert_tcvn3(text) if Encoding(encoding) is Encoding.TCVN3 else _convert_vni(text)
    return unicodedata.normalize("NFC", converted)


# --- Vietnamese syllables ------------------------------------------------------------------------------------

_ONSETS = ("ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_RHYMES = frozenset("""
a ai ao au ay âu ây e eo ê êu i ia iu iêu o oa oai oao oay oe oeo oi ô ôi ơ ơi u ua uê ui uy uya uyu uơ uây
uôi ư ưa ưi ưu ươi ươu y yêu
ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât ec em en eng ep et êch êm ên ênh êp êt
ich im in inh ip it iêc iêm iên iêng iêp iêt oc om on ong op ot ooc oong ôc ôm ôn ông ôp ôt ơm ơn ơp ơt
uc um un ung up ut uôc uôm uôn uông uôt ưc ưng ưt ươc ươm ươn ương ươp ươt
oac oach oan oang oanh oap oat oăc oăm oăn oăng oăt oen oet uân uâng uât uêch uênh uych uynh uyt uyên uyêt
yêm yên yêng yêt
""".split())
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_STOP_TONES = frozenset("\u0301\u0323")  # a syllable ending in c, ch, p, t takes only sắc or nặng
_BASE_LETTERS = frozenset("abcdđeghiklmnopqrstuvxyăâêôơư")
_FRONT = ("e", "ê", "i", "y")


@functools.lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """One Vietnamese syllable as the spelling rules allow it (onset, rhyme, at most one tone that fits)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    if not base or any(ch not in _BASE_LETTERS for ch in base):
        return False
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset):]
        if onset == "gi" and (rhyme == "" or f"i{rhyme}" in _RHYMES):
            rhyme = rhyme or "i"
        elif rhyme not in _RHYMES:
            continue
        if onset in ("k", "gh", "ngh") and not rhyme.startswith(_FRONT):
            continue
        if onset in ("c", "g", "ng") and rhyme.startswith(_FRONT):
            continue
        if onset == "qu" and rhyme.startswith("u"):
            continue
        if rhyme.endswith(("c", "ch", "p", "t")) and not (tones and tones[0] in _STOP_TONES):
            continue
        return True
    return False


# --- judging values ------------------------------------------------------------------------------------------

_PATTERNS = {
    Encoding.TCVN3: re.compile("(?:[^\\W\\d_]|[" + "".join(TCVN3_TABLE) + "])+"),
    Encoding.VNI: re.compile("[^\\W\\d_]+"),  # every VNI character is a letter
}
_KEYS = {Encoding.TCVN3: frozenset(TCVN3_TABLE), Encoding.VNI: frozenset("".join(VNI_TABLE))}


@dataclass(frozen=True)
class _Reading:
    legacy: bool  # read as Unicode some word is no Vietnamese syllable, read through the table every word is
    unicode_ok: bool  # read as Unicode every word with a non-ASCII letter is a Vietnamese syllable
    converted_ok: bool  # read through the table every such word is one, and no character is left over
    foreign: bool  # it has a letter the table never produces: typed in Unicode
    text: str  # the text read through the table


def _read(value: str, encoding: Encoding) -> _Reading:
    converted = convert(value, encoding)
    keys = _KEYS[encoding]
    # Legacy text is Windows-1252 characters: a combining mark (Unicode typed decomposed) or a letter no table
    # holds (ễ, ă, Đ) says the value was typed in Unicode.
    composed = unicodedata.normalize("NFC", value)
    foreign = composed != value or any(
        not ch.isascii() and (unicodedata.category(ch).startswith("M") or (ch.isalpha() and ch not in keys))
        for ch in composed)
    words = _PATTERNS[encoding].findall(value)
    wide = [w for w in words if not w.isascii()]
    if not wide:
        return _Reading(False, True, False, foreign, converted)
    unicode_ok = all(is_syllable(w) for w in _PATTERNS[encoding].findall(composed) if not w.isascii())
    read_words = [convert(w, encoding) for w in wide]
    converted_ok = all(is_syllable(w) for w in read_words)
    # Plain ASCII words of three letters or more must mostly be syllables too: «Où est la gare» is French.
    plain = [w for w in words if w.isascii() and len(w) > 2 and not w.isupper()]
    if converted_ok and plain:
        good = len(read_words) + sum(is_syllable(w) for w in plain)
        converted_ok = good * 2 > len(read_words) + len(plain)
    return _Reading(not unicode_ok and converted_ok and not foreign, unicode_ok, converted_ok, foreign, converted)


# A column is taken as legacy when at least this share of its non-blank values, and this share of those with
# a non-ASCII character, are legacy evidence; below that the evidence is too weak and nothing is changed.
MIN_SHARE_OF_VALUES = 0.5
MIN_SHARE_OF_WIDE_VALUES = 0.6


def _score(values: list[str], encoding: Encoding) -> tuple[int, int, int]:
    filled = [v for v in values if isinstance(v, str) and v.strip()]
    wide = [v for v in filled if not v.isascii()]
    evidence = sum(_read(v, encoding).legacy for v in wide)
    return evidence, len(filled), len(wide)


def detect(values: list[str]) -> Encoding | None:
    """The legacy encoding the whole column is typed in, or None (Unicode, ASCII, or too little evidence).

    The score is the share of values that hold characters only a legacy table explains and that become
    Vietnamese syllables through it."""
    scores = {}
    for encoding in Encoding:
        evidence, filled, wide = _score(values, encoding)
        if evidence and evidence >= MIN_SHARE_OF_VALUES * filled and evidence >= MIN_SHARE_OF_WIDE_VALUES * wide:
            scores[encoding] = evidence
    if not scores:
        return None
    best = max(scores.values())
    winners = [e for e, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 else None


@dataclass(frozen=True)
class ColumnConversion:
    encoding: Encoding | None
    values: list[str]
    changed: int


def _in_legacy_column(value: str, encoding: Encoding) -> str:
    """One value of a column known to be in the encoding: converted unless it was typed in Unicode."""
    if not isinstance(value, str) or value.isascii():
        return value
    reading = _read(value, encoding)
    if reading.foreign:
        return value
    if reading.converted_ok or not reading.unicode_ok:
        return reading.text
    return value


def convert_column(values: list[str]) -> ColumnConversion:
    """detect, then convert every value of the column (a value typed in Unicode among them is kept).
    Unchanged, with encoding None, when the column is not legacy text."""
    encoding = detect(values)
    if encoding is None:
        return ColumnConversion(None, list(values), 0)
    converted = [_in_legacy_column(v, encoding) for v in values]
    return ColumnConversion(encoding, converted, sum(a != b for a, b in zip(values, converted)))


def convert_evident(values: list[str], encoding: Encoding) -> ColumnConversion:
    """For a column too short of evidence in a file whose other columns are in the encoding («Nam» and a few
    «N÷» under Giới tính): only the values that are themselves evidence are converted."""
    converted = [v if not isinstance(v, str) or v.isascii() or not (r := _read(v, encoding)).legacy else r.text
                 for v in values]
    changed = sum(a != b for a, b in zip(values, converted))
    return ColumnConversion(encoding if changed else None, converted, changed)
