"""Legacy Vietnamese encodings (TCVN3/ABC and VNI): the tables, the detection and its refusals."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.legacy_text import (
    ColumnConversion,
    Encoding,
    convert,
    convert_column,
    convert_evident,
    detect,
    is_syllable,
    legacy_form,
)

_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # ngang, huyền, sắc, hỏi, ngã, nặng
LOWER = [unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES] + ["đ"]
UPPER = [letter.upper() for letter in LOWER]


def test_the_letter_lists_are_the_134_non_ascii_letters_and_the_ascii_vowels():
    assert len(LOWER) == len(UPPER) == 73
    assert len({ch for ch in LOWER + UPPER if not ch.isascii()}) == 134


def _legacy(text: str, encoding: Encoding) -> str:
    return "".join(legacy_form(ch, encoding) for ch in text)


@pytest.mark.parametrize("letter", LOWER + UPPER)
def test_every_letter_round_trips_through_vni(letter):
    assert convert(_legacy(letter, Encoding.VNI), Encoding.VNI) == letter
    word = f"NG{letter}N" if letter.isupper() else f"ng{letter}n"
    assert convert(_legacy(word, Encoding.VNI), Encoding.VNI) == word


@pytest.mark.parametrize("letter", LOWER)
def test_every_lowercase_letter_round_trips_through_tcvn3(letter):
    assert convert(_legacy(letter, Encoding.TCVN3), Encoding.TCVN3) == letter
    assert convert(_legacy(f"Ng{letter}n", Encoding.TCVN3), Encoding.TCVN3) == f"Ng{letter}n"


@pytest.mark.parametrize("letter", UPPER)
def test_every_capital_round_trips_through_tcvn3_in_a_word_typed_in_capitals(letter):
    # A capital with a tone has no TCVN3 code: the lowercase code in a .VnTimeH font; the capital letters
    # around it say so.
    assert convert(_legacy(f"NG{letter}N", Encoding.TCVN3), Encoding.TCVN3) == f"NG{letter}N"


def test_the_tcvn3_capitals_without_tone_have_codes_of_their_own():
    for letter in "ĂÂÊÔƠƯĐ":
        code = legacy_form(letter, Encoding.TCVN3)
        assert len(code) == 1 and code != legacy_form(letter.lower(), Encoding.TCVN3)
        assert convert(code, Encoding.TCVN3) == letter


@pytest.mark.parametrize(("legacy", "unicode"), [
    ("NguyÔn V¨n An", "Nguyễn Văn An"),
    ("Ph¹m V¨n §ång", "Phạm Văn Đồng"),
    ("Ng« Quèc H\u00adng", "Ngô Quốc Hưng"),
    ("TrÇn ThÞ Thñy", "Trần Thị Thủy"),
    ("Hoµng V¨n Th¾ng", "Hoàng Văn Thắng"),
    ("Tr\u00ad¬ng ThÞ Ngäc BÝch", "Trương Thị Ngọc Bích"),
    ("Th«n §«ng, x· Hßa B×nh", "Thôn Đông, xã Hòa Bình"),
    ("NGUYÔN V¡N AN", "NGUYỄN VĂN AN"),
    ("Hå ChÝ Minh", "Hồ Chí Minh"),
    ("§¶ng viªn dù bÞ", "Đảng viên dự bị"),
])
def test_real_tcvn3_text(legacy, unicode):
    assert convert(legacy, Encoding.TCVN3) == unicode


@pytest.mark.parametrize(("legacy", "unicode"), [
    ("Nguyeãn Vaên An", "Nguyễn Văn An"),
    ("Ñaëng Thò AÙnh", "Đặng Thị Ánh"),
    ("Phaïm Vaên Ñoàng", "Phạm Văn Đồng"),
    ("Ngoâ Quoác Höng", "Ngô Quốc Hưng"),
    ("Traàn Thò Thuûy", "Trần Thị Thủy"),
    ("Tröông Thò Ngoïc Bích", "Trương Thị Ngọc Bích"),
    ("Thoân Ñoâng, xaõ Hoøa Bình", "Thôn Đông, xã Hòa Bình"),
    ("NGUYEÃN VAÊN AN", "NGUYỄN VĂN AN"),
    ("ngöôøi khuyeát taät", "người khuyết tật"),
])
def test_real_vni_text(legacy, unicode):
    assert convert(legacy, Encoding.VNI) == unicode


def test_the_result_is_nfc():
    for encoding in Encoding:
        for letter in LOWER + UPPER:
            out = convert(_legacy(letter, encoding), encoding)
            assert out == unicodedata.normalize("NFC", out)


def test_labels_are_vietnamese():
    assert Encoding.TCVN3.label == "TCVN3 (ABC, phông .Vn)"
    assert Encoding.VNI.label == "VNI (phông VNI-Times)"


def test_columns_in_each_encoding_are_detected_and_converted():
    tcvn3 = ["NguyÔn V¨n An", "Lª ThÞ Hoa", "TrÇn V¨n B×nh", "", "Hoµng Minh"]
    result = convert_column(tcvn3)
    assert result == ColumnConversion(Encoding.TCVN3,
                                      ["Nguyễn Văn An", "Lê Thị Hoa", "Trần Văn Bình", "", "Hoàng Minh"], 4)
    vni = ["Nguyeãn Vaên An", "Ñaëng Thò AÙnh", "Traàn Vaên Bình"]
    assert convert_column(vni) == ColumnConversion(Encoding.VNI,
                                                   ["Nguyễn Văn An", "Đặng Thị Ánh", "Trần Văn Bình"], 3)


def test_a_one_member_list_is_enough_evidence():
    assert detect(["NguyÔn V¨n An"]) is Encoding.TCVN3
    assert detect(["Nguyeãn Vaên An"]) is Encoding.VNI


def test_a_value_typed_in_unicode_inside_a_legacy_column_is_kept():
    result = convert_column(["NguyÔn V¨n An", "Lª ThÞ Hoa", "Phạm Văn Đồng"])
    assert result.values == ["Nguyễn Văn An", "Lê Thị Hoa", "Phạm Văn Đồng"] and result.changed == 2


@pytest.mark.parametrize("column", [
    ["Nguyễn Văn An", "Đặng Thị Ánh", "Ông", "Thôn Đông"],
    ["Ông"], ["Tô"], ["Bà"], ["Lê Bé"], ["Thôn Đông"], ["Đặng Thị Ánh"], ["Hà Tĩnh", "Tô Thị Hà", "Võ Văn Tú"],
    ["Nguyen Van An", "Tran Thi Binh"],
    ["1", "2", "12/03/1965", "0912345678", "25.000"],
    [], ["", "  "],
    ["café", "crème brûlée", "Hélène", "naïve", "Noël", "señor", "Où est la gare", "résumé", "façade", "déjà vu"],
    ["Müller", "Jürgen", "Ångström", "Zoë", "garçon", "piñata", "über", "schön"],
])
def test_detection_refuses_what_is_not_legacy(column):
    assert detect(column) is None
    assert convert_column(column) == ColumnConversion(None, column, 0)


@pytest.mark.parametrize("column", [
    ["Nguyen Van An", "Tran Thi B", "Le Van C", "Pham Thi D ¸"],
    ["Nguyen Van An", "Tran Thi B", "Le Van Cµ", "Hoang Van D"],
    ["Nguyễn Văn An", "Trần Thị Bé", "Lê Văn Hùng µ"],
    ["Nguyễn Văn An", "Trần Thị Bé", "Lê Văn Hùng", "Hoàng Minh ñ"],
    ["1", "2", "3", "4 ª"],
])
def test_one_stray_character_is_too_weak_an_evidence(column):
    assert detect(column) is None


def test_a_sex_column_converts_its_few_legacy_values_once_the_encoding_is_known():
    assert detect(["Nam", "Nam", "Nam", "N÷"]) is None
    result = convert_evident(["Nam", "Nam", "Nam", "N÷", "Nữ"], Encoding.TCVN3)
    assert result.values == ["Nam", "Nam", "Nam", "Nữ", "Nữ"] and result.changed == 1
    assert convert_evident(["Ông", "Tô"], Encoding.VNI).changed == 0


@pytest.mark.parametrize("word", ["ngoẹo", "khuỷu", "giếng", "gì", "quốc", "người", "thuở", "khuya", "xoong",
                                  "kẻng", "ghế", "nghỉ", "yêu", "uyên", "oái", "Đặng", "Ánh"])
def test_real_syllables_are_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["cafe", "est", "nguyeãn", "ce", "ghá", "quu", "ác̀", "bát" + "\u0300", "cat"])
def test_garbage_is_not_a_syllable(word):
    assert not is_syllable(word)


# Real syllables written in Unicode, drawn independently of the module's own spelling rules.
_SYLLABLES = """Nguyễn Văn An Đặng Thị Ánh Ông Bà Thôn Đông Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đỗ Hồ Ngô Dương Lý
Hùng Lan Sơn Thủy Minh Ngọc Hương Tuấn Dũng Hải Yến Nga Tú Khuê Quý Quỳnh Thắng Lợi Bích Liên Nguyệt Tường Ước
xã phường tổ dân phố ấp bản làng khu số đường ngõ ngách hẻm chi bộ đảng viên dự bị chính thức miễn sinh hoạt
nông dân công nhân giáo viên hưu trí bộ đội cán bộ Kinh Tày Nùng Mường Thái Khmer không Phật giáo Công giáo
khuya ngoẹo khuỷu giếng gì quốc người thuở xoong kẻng ghế nghỉ yêu uyên oái huấn luyện khuyết tật tiếng""".split()
_word = st.sampled_from(_SYLLABLES).flatmap(lambda w: st.sampled_from([w, w.lower(), w.upper()]))
_value = st.lists(st.one_of(_word, st.sampled_from(["12", "3/4", "-", ","])), min_size=0, max_size=6).map(" ".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(_value, min_size=0, max_size=12))
def test_a_column_of_unicode_vietnamese_is_never_changed(column):
    column = [unicodedata.normalize("NFC", v) for v in column]
    result = convert_column(column)
    assert result.encoding is None and result.values == column and result.changed == 0


_letter = st.sampled_from(LOWER + UPPER + list("bcdghklmnpqrstvx"))
_no_legacy_letter = st.sampled_from([ch for ch in LOWER + UPPER if not ch.isascii() and ord(ch) > 0xFF])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.lists(_letter, max_size=8), _no_legacy_letter, st.lists(_letter, max_size=8))
                .map(lambda t: "".join(t[0]) + t[1] + "".join(t[2])), min_size=1, max_size=10))
def test_a_column_whose_every_value_has_a_letter_no_table_makes_is_never_changed(column):
    assert convert_column(column) == ColumnConversion(None, column, 0)
