"""Teencode measured on a small hand-written normalisation set (nlp/data/lexnorm.tsv)."""
import pytest

from nlp.corpus import DATA_DIR
from nlp.normalize import normalize

LEXNORM = DATA_DIR / "lexnorm.tsv"


def _pairs():
    rows = LEXNORM.read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(r.split("\t")) for r in rows if r.strip()]


def test_normalisation_set_is_mostly_right():
    pairs = _pairs()
    right = sum(normalize(informal) == normalize(standard) for informal, standard in pairs)
    assert len(pairs) >= 60 and right / len(pairs) >= 0.9


@pytest.mark.parametrize("typed, expected", [
    ("t ko biết", "tôi không biết"), ("nhà t mất điện", "nhà tôi mất điện"), ("a ơi", "anh ơi"),
    ("m không biết", "mình không biết"), ("bây h vẫn chưa", "bây giờ vẫn chưa"), ("các b", "các bạn"),
    ("khum có nước", "không có nước"), ("hông có điện", "không có điện"), ("ck em đi làm", "chồng em đi làm"),
    ("vk tôi", "vợ tôi"), ("mn ơi", "mọi người ơi"), ("nhìu lắm rùi thui", "nhiều lắm rồi thôi"),
    ("iu xã lun", "yêu xã luôn"), ("ngta bảo", "người ta bảo"), ("gđ nghèo", "gia đình nghèo"),
])
def test_informal_forms_are_expanded(typed, expected):
    assert normalize(typed) == expected


@pytest.mark.parametrize("text", ["loại a", "cách 5 m", "nhà b", "5 ha lúa", "duong hong", "vitamin b"])
def test_ambiguous_forms_stay_without_context(text):
    assert normalize(text) == text
