"""Vietnamese names: worked examples and properties against a slow reference order."""
from __future__ import annotations

import random
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.domain.names import (
    family_and_middle,
    fold,
    given_name,
    matches,
    normalize_name,
    normalize_text,
    sort_key,
)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def roster_sorted(names: list[str]) -> list[str]:
    return sorted(names, key=sort_key)


# --- normalisation -------------------------------------------------------------


def test_normalize_text_collapses_every_kind_of_whitespace():
    assert normalize_text("  Chi bộ\u00a0\u00a0 số\t1 \n") == "Chi bộ số 1"
    assert normalize_text("") == ""
    assert normalize_text(" \t\u00a0") == ""


def test_normalize_text_turns_nfd_into_nfc():
    decomposed = nfd("Nguyễn Thị Ngọc Ánh")
    assert decomposed != nfc(decomposed)  # the test input really is decomposed
    assert normalize_text(decomposed) == nfc("Nguyễn Thị Ngọc Ánh")


def test_normalize_name_capitalises_each_word():
    assert normalize_name("nguyễn  VĂN an") == "Nguyễn Văn An"
    assert normalize_name("đặng") == "Đặng"
    assert normalize_name("ĐỖ\u00a0thị\tỨC") == "Đỗ Thị Ức"
    assert normalize_name(nfd("lê văn ất")) == nfc("Lê Văn Ất")


def test_normalize_name_leaves_apostrophe_words_alone():
    assert normalize_name("H'Hen Niê") == "H'Hen Niê"
    assert normalize_name("  H'Hen   niê ") == "H'Hen Niê"


def test_given_name_and_family_and_middle():
    assert given_name(" Nguyễn  Thị Ngọc Ánh ") == "Ánh"
    assert family_and_middle(" Nguyễn  Thị Ngọc Ánh ") == "Nguyễn Thị Ngọc"
    assert given_name("Ánh") == "Ánh"
    assert family_and_middle("Ánh") == ""
    assert given_name("") == "" and family_and_middle("") == ""


# --- folding and search --------------------------------------------------------


def test_fold_worked_examples():
    assert fold("Đặng Văn Đông") == "dang van dong"
    assert fold(nfd("Đặng  Văn\u00a0Đông ")) == "dang van dong"
    assert fold("Số thẻ: 01.234.567") == "so the: 01.234.567"
    assert fold("ƯỚC Ờ ỰA") == "uoc o ua"


def test_matches_finds_names_without_diacritics_or_case():
    hay = fold("Đặng Văn Đông")
    assert matches("dang van dong", hay)
    assert matches("DANG", hay)
    assert matches("đông", fold("Đông"))
    assert matches("dong dang", hay)  # order-free
    assert matches("  ", hay) and matches("", hay)
    assert not matches("dung", hay)
    assert not matches("dang hung", hay)  # every token must be present


def test_each_typed_word_must_begin_a_word_of_the_name():
    lan = fold("Trần Thị Lan")
    assert matches("lan", lan) and matches("th", lan) and matches("tr l", lan)
    assert matches("l tran", lan)  # word order is free
    assert not matches("an", lan)  # "an" is inside Lan, not at its start
    assert not matches("hi", lan) and not matches("ran", lan)
    assert matches("lan", fold("Lê Thị Lành"))  # a prefix once folded: lan begins lanh
    assert not matches("lanh", lan)
    assert matches("đ", fold("Đặng Văn Đông")) and not matches("ong", fold("Đặng Văn Đông"))


def test_numbers_match_from_their_first_digit():
    hay = fold("Đặng Văn Đông 01234567 0912345678")
    assert matches("0123", hay) and matches("dong 0912", hay)
    assert not matches("234", hay) and not matches("345678", hay)


# --- collation: worked examples ------------------------------------------------


def test_letter_order_puts_modified_vowels_and_dd_after_their_base():
    letters = ["Ư", "U", "Ơ", "O", "Ô", "Đ", "D", "E", "Ê", "A", "Ă", "Â"]
    assert roster_sorted(letters) == ["A", "Ă", "Â", "D", "Đ", "E", "Ê", "O", "Ô", "Ơ", "U", "Ư"]


def test_full_alphabet_order():
    alphabet = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
    shuffled = alphabet[:]
    random.Random(7).shuffle(shuffled)
    assert roster_sorted(shuffled) == alphabet


def test_tone_order():
    tones = ["a", "à", "ả", "ã", "á", "ạ"]
    for shuffled in (tones[::-1], tones[2:] + tones[:2]):
        assert roster_sorted(shuffled) == tones
    assert roster_sorted([nfd(t) for t in reversed(tones)]) == [nfd(t) for t in tones]


def test_tone_is_secondary_and_prefix_is_first():
    # ă is its own letter after a, so every a-word (anh too) precedes every ă-word.
    assert roster_sorted(["ăn", "anh", "án", "an"]) == ["an", "án", "anh", "ăn"]
    assert roster_sorted(["ăn", "ạn", "àn"]) == ["àn", "ạn", "ăn"]
    assert sort_key("An") < sort_key("Anh")
    assert sort_key("Ánh") < sort_key("Ăn")  # primary letters beat tones
    assert sort_key("hòa") == sort_key("hoà")  # tone position does not matter


def test_case_is_ignored():
    assert sort_key("NGUYỄN VĂN AN") == sort_key("nguyễn văn an") == sort_key("Nguyễn Văn An")


def test_digits_first_other_characters_last():
    assert roster_sorted(["b", "-", "a", "2", "ư", "10", "z"]) == ["10", "2", "a", "b", "ư", "z", "-"]


def test_given_name_decides_first():
    assert sort_key("Trần Văn An") < sort_key("Nguyễn Văn Án")
    assert sort_key("Lê Văn An") < sort_key("Trần Văn An")
    assert sort_key("Nguyễn Văn An") < sort_key("Nguyễn Văn Ánh")
    assert sort_key("Vũ Anh") < sort_key("Âu Bình")


def test_sample_roster_order():
    roster = [
        "Nguyễn Văn Hùng",
        "Trần Thị Lan",
        "Âu Thị Ư",
        "Nguyễn Thị Ngọc Ánh",
        "Đoàn Văn Ất",
        "Lò Thị Ếch",
        "Đặng Quốc Việt",
        "Đỗ Văn Thắng",
    ]
    # Given names: Ánh (a) < Ất (â) < Ếch (ê) < Hùng < Lan < Thắng < Ư (ư) < Việt (v).
    expected = [
        "Nguyễn Thị Ngọc Ánh",
        "Đoàn Văn Ất",
        "Lò Thị Ếch",
        "Nguyễn Văn Hùng",
        "Trần Thị Lan",
        "Đỗ Văn Thắng",
        "Âu Thị Ư",
        "Đặng Quốc Việt",
    ]
    assert roster_sorted(roster) == expected
    assert roster_sorted([nfd(n) for n in reversed(roster)]) == [nfd(n) for n in expected]


def test_same_given_name_orders_by_family_then_middle():
    expected = [
        "An",  # no family name at all
        "Dương Văn An",  # d < đ
        "Đặng Văn An",  # đ ă < đ o < đ ô
        "Đoàn Văn An",
        "Đô Xuân An",  # the family word is compared whole (tone included) before the middle
        "Đỗ Văn An",
        "Lê An",  # shorter family+middle first
        "Lê Văn An",
        "Nguyễn Văn An",
        "Trần Văn An",
        "Nguyễn Văn Án",  # given tone beats every family name
        "Nguyễn Văn Ánh",
    ]
    assert roster_sorted(list(reversed(expected))) == expected


# --- collation: properties against a slow reference ----------------------------

# No test may depend on the machine's speed, and hypothesis' default 200 ms deadline per example would.
untimed = settings(deadline=None)

ALPHABET = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Index = tone rank: ngang, huyền, hỏi, ngã, sắc, nặng.
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]

# A word is a list of (letter, tone index); a name is a list of words.


def reference_word_key(word):
    return [ALPHABET.index(letter) for letter, _ in word], [t for _, t in word if t]


def reference_key(name):
    """Given name (letters, then tones), then the other words in order, each whole."""
    return reference_word_key(name[-1]), [reference_word_key(w) for w in name[:-1]]


def reference_cmp(a, b) -> int:
    ka, kb = reference_key(a), reference_key(b)
    return (ka > kb) - (ka < kb)


@st.composite
def names(draw, letters=None):
    # A tiny per-example alphabet makes shared prefixes and tone-only differences common.
    if letters is None:
        letters = draw(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=3, unique=True))
    letter = st.tuples(st.sampled_from(letters), st.sampled_from(range(len(TONES))))
    word = st.lists(letter, min_size=1, max_size=3)
    return draw(st.lists(word, min_size=1, max_size=3))


@st.composite
def rendered(draw, name):
    """The name as text: random case, random NFC/NFD, random whitespace between words."""
    parts = []
    for word in name:
        text = "".join(
            (letter.upper() if draw(st.booleans()) else letter) + TONES[tone]
            for letter, tone in word
        )
        parts.append(draw(st.sampled_from([nfc, nfd]))(text))
    space = st.sampled_from([" ", "  ", "\t", "\u00a0"])
    text = parts[0]
    for part in parts[1:]:
        text += draw(space) + part
    return text


@st.composite
def roster(draw):
    letters = draw(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=3, unique=True))
    structs = draw(st.lists(names(letters), min_size=2, max_size=6))
    return [(s, draw(rendered(s))) for s in structs]


@settings(max_examples=400, deadline=None)
@given(roster())
@example([([[("a", 0)]], "a"), ([[("a", 4)]], "á"), ([[("ă", 0)]], "ă"), ([[("a", 0), ("n", 0)]], "an")])
@example([([[("đ", 0), ("ô", 0)], [("a", 0)]], "Đô An"), ([[("đ", 0), ("ô", 3)], [("a", 0)]], "Đỗ An")])
def test_sort_key_agrees_with_reference(pairs):
    for sa, ta in pairs:
        for sb, tb in pairs:
            ka, kb = sort_key(ta), sort_key(tb)
            assert (ka > kb) - (ka < kb) == reference_cmp(sa, sb), (ta, tb)


@untimed
@given(st.data())
def test_sort_key_over_whole_alphabet_agrees_with_reference(data):
    a = data.draw(names(ALPHABET))
    b = data.draw(names(ALPHABET))
    ka, kb = sort_key(data.draw(rendered(a))), sort_key(data.draw(rendered(b)))
    assert (ka > kb) - (ka < kb) == reference_cmp(a, b)


vietnamese_text = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ0129 '-.\u00a0\t")
        + ["\u0300", "\u0309", "\u0303", "\u0301", "\u0323", "\u0306", "\u0302", "\u031b"]
    )
)
any_text = st.one_of(st.text(), vietnamese_text)


@untimed
@given(st.data())
def test_sort_key_is_case_insensitive_for_names(data):
    text = data.draw(rendered(data.draw(names(ALPHABET))))
    assert sort_key(text.upper()) == sort_key(text.lower())


@untimed
@given(any_text)
def test_sort_key_ignores_normalisation_form(text):
    assert sort_key(nfd(text)) == sort_key(text) == sort_key(nfc(text))


@untimed
@given(any_text)
def test_fold_has_no_marks_and_no_dd(text):
    folded = fold(text)
    assert not any(unicodedata.category(ch).startswith("M") for ch in folded)
    assert "đ" not in folded and "Đ" not in folded


@untimed
@given(any_text)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@untimed
@given(any_text)
def test_text_matches_its_own_fold(text):
    assert matches(text, fold(text))


def reference_matches(query: str, folded_haystack: str) -> bool:
    """The rule spelled out slowly: each typed word, folded, begins some word of the haystack."""
    words = folded_haystack.split()
    return all(any(word.startswith(token) for word in words) for token in fold(query).split())


@untimed
@given(any_text, any_text)
@example("an", "tran thi lan")
@example("lan", "tran thi lanh")
def test_matches_agrees_with_the_word_beginning_rule(query, text):
    assert matches(query, fold(text)) == reference_matches(query, fold(text))


@untimed
@given(st.data())
def test_every_beginning_of_every_word_matches_in_any_case_and_form(data):
    text = data.draw(rendered(data.draw(names(ALPHABET))))
    word = data.draw(st.sampled_from(text.split()))
    beginning = word[:data.draw(st.integers(1, len(word)))]
    typed = data.draw(st.sampled_from([nfc, nfd]))(beginning.upper() if data.draw(st.booleans()) else beginning)
    assert matches(typed, fold(text))


@untimed
@given(vietnamese_text)
def test_search_ignores_case_and_form(text):
    assert matches(nfd(text.upper()), fold(nfc(text.lower())))


@untimed
@given(any_text)
def test_normalize_text_is_idempotent_and_nfc(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "  " not in once and once == once.strip()


def test_choice_reads_a_code_or_a_label_however_it_is_typed():
    from app.domain import names
    from app.domain.members import MemberStatus

    for typed in ("Từ trần", "tu tran", "TU_TRAN", " từ  trần. "):
        assert names.choice(typed, MemberStatus) is MemberStatus.DECEASED
    assert names.choice("Miễn công tác và sinh hoạt", MemberStatus) is MemberStatus.EXEMPT
    assert names.choice("bay đi", MemberStatus) is None
    assert names.choice("", MemberStatus) is None
