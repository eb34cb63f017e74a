"""Normalisation of residents' typing: one canonical form, and an accentless view."""
import unicodedata

import pytest

from nlp.normalize import accentless, normalize, strip_diacritics


def test_nfc_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Đường xã")
    assert normalize(decomposed) == "đường xã"
    assert normalize(decomposed) == unicodedata.normalize("NFC", normalize(decomposed))


@pytest.mark.parametrize("old, new", [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Hoà Bình", "hòa bình"),
                                      ("thuỷ lợi", "thủy lợi"), ("loà", "lòa")])
def test_tone_marks_take_one_placement(old, new):
    assert normalize(old) == new


@pytest.mark.parametrize("word", ["quý", "quỳ", "hoàng", "thuyền", "khuya", "hòa"])
def test_tone_placement_leaves_correct_words_alone(word):
    assert normalize(word) == word


@pytest.mark.parametrize("typed, expected", [
    ("ko co nuoc", "không co nuoc"), ("k có điện", "không có điện"), ("hok dc j", "không được gì"),
    ("đc hỗ trợ", "được hỗ trợ"), ("ae trong xom", "anh em trong xom"), ("mik ko bt", "mình không biết"),
    ("nc máy vs điện", "nước máy với điện"), ("ubnd xã", "ủy ban nhân dân xã"),
])
def test_teencode_is_expanded(typed, expected):
    assert normalize(typed) == expected


def test_repeated_letters_collapse_but_digits_stay():
    assert normalize("đường xấu quáaaaa!!!") == "đường xấu quá!!!"
    assert normalize("điiiiện") == "điện"
    assert normalize("nộp 1000000 đồng") == "nộp 1000000 đồng"
    assert normalize("xoong nồi") == "xoong nồi"


def test_numbers_and_units_are_kept():
    text = normalize("Tiền nước 150.000đ/tháng, dùng 12m3, nộp 100k, đường 2,5km")
    for token in ("150.000đ/tháng", "12m3", "100k", "2,5km"):
        assert token in text


def test_lower_case_and_whitespace():
    assert normalize("  MẤT   ĐIỆN\tcả ngày ") == "mất điện cả ngày"


def test_strip_diacritics_including_d_bar():
    assert strip_diacritics("Đường đê bị hỏng, thủy lợi kém") == "Duong de bi hong, thuy loi kem"
    assert strip_diacritics("ữỮđĐ") == "uUdD"
    assert accentless("Ko có NƯỚC sạch") == "khong co nuoc sach"


def test_functions_are_pure_and_idempotent():
    text = "K có đc j, hoà thuận, quáaaa"
    assert normalize(text) == normalize(text)
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize("typed, expected", [
    ("kkk", ""), ("hhhkkkk", ""), ("hahaha", ""), ("hihi", ""), ("đường hư kkk :)) =))", "đường hư"),
    ("hk có điện", "không có điện"), ("kho hàng", "kho hàng"),
])
def test_laughter_is_dropped_not_read_as_khong(typed, expected):
    assert normalize(typed) == expected


def test_html_urls_and_invisible_characters_are_removed():
    assert normalize("<p>Đường <b>hư</b></p> &amp; xem https://zalo.me/abc?x=1 www.xa.gov.vn") == "đường hư & xem"
    assert normalize("đ\u200bường\u200d x\ufeffã\u00ad") == "đường xã"


def test_the_model_reads_at_most_max_chars():
    from nlp.normalize import MAX_CHARS, clean
    text = "mất điện " * 50_000
    assert len(clean(text)) <= MAX_CHARS and clean(text).endswith("điện")
