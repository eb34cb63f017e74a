"""Normalisation of residents' Vietnamese as typed on phones.

`normalize` gives one canonical written form (NFC, one tone-mark placement, lower case,
collapsed letter runs, teencode expanded, numbers and units untouched);
`strip_diacritics` gives the accentless view ("đường xá" -> "duong xa").
Both are pure functions of their argument.
"""
import re
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}  # huyền sắc hỏi ngã nặng


def _toned(base, tone):
    return unicodedata.normalize("NFC", base + tone)


# Old/new tone placement in open syllables: hoà -> hòa, khoẻ -> khỏe, thuỷ -> thủy.
_PLACEMENT = {
    first + _toned(second, tone): _toned(first, tone) + second
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for tone in _TONES
}
# Not after "q" (quý, quỳ are already right: "qu" is the consonant) and only at the end of a word.
_PLACEMENT_RE = re.compile("(?<!q)(" + "|".join(sorted(_PLACEMENT)) + ")(?!\\w)")

# Teencode and abbreviations, matched as whole tokens after lower-casing.
ABBREVIATIONS = {
    "ko": "không", "k": "không", "kh": "không", "khg": "không", "kg": "không", "hok": "không",
    "hk": "không", "hong": None, "kô": "không", "khôg": "không", "0k": None,
    "dc": "được", "đc": "được", "dk": None, "dx": "được", "đx": "được",
    "j": "gì", "ji": "gì", "vs": "với", "ng": "người", "nguoi": None, "nc": "nước",
    "mik": "mình", "mk": "mình", "mh": "mình", "ae": "anh em", "bt": "biết", "r": "rồi",
    "ntn": "như thế nào", "bn": "bao nhiêu", "bnh": "bao nhiêu", "nhiu": "nhiêu",
    "z": "vậy", "dz": "vậy", "v": "vậy", "dzậy": "vậy", "zậy": "vậy", "trc": "trước",
    "cx": "cũng", "cg": "cũng", "lm": "làm", "ns": "nói", "ms": "mới", "đt": "điện thoại",
    "tg": "thời gian", "kq": "kết quả", "ubnd": "ủy ban nhân dân", "ub": "ủy ban",
    "hs": "học sinh", "gv": "giáo viên", "bhyt": "bảo hiểm y tế", "ntm": "nông thôn mới",
    "sđt": "số điện thoại", "sdt": "số điện thoại", "wa": "qua", "uk": "ừ", "ok": "ok",
    "thik": "thích", "bik": "biết", "bít": "biết", "ak": "à", "ah": "à", "e": "em",
    "a": None, "cty": "công ty", "csgt": "cảnh sát giao thông", "tt": "thông tin",
}
ABBREVIATIONS = {k: v for k, v in ABBREVIATIONS.items() if v}
_ABBREV_RE = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")(?![\w])"
)
# Three or more of the same letter, marks ignored ("quáaaa", "điiiện") -> one; on the NFD form so
# the tone mark of the first letter survives. Digits are never touched.
_REPEAT_RE = re.compile(r"([^\W\d_])([\u0300-\u036f]*)(?:\1[\u0300-\u036f]*){2,}")
_SPACE_RE = re.compile(r"\s+")


def _fix_placement(text):
    return _PLACEMENT_RE.sub(lambda m: _PLACEMENT[m.group(1)], text)


def normalize(text):
    """Canonical lower-case NFC form of a resident's message."""
    text = unicodedata.normalize("NFD", str(text)).lower()
    text = unicodedata.normalize("NFC", _REPEAT_RE.sub(r"\1\2", text))
    text = _fix_placement(text)
    text = _ABBREV_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    return _SPACE_RE.sub(" ", text).strip()


def strip_diacritics(text):
    """Remove every Vietnamese diacritic, including đ/Đ -> d/D; keeps case and everything else."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def accentless(text):
    """The accentless view of the normalised text, used for character n-grams."""
    return strip_diacritics(normalize(text))
