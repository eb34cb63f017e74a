"""Normalisation of residents' Vietnamese as typed on phones.

`clean` removes what is not the resident's words (HTML tags and entities, URLs, zero-width and control
characters) and caps the length the model reads (MAX_CHARS); `normalize` gives one canonical written form
(NFC, one tone-mark placement, lower case, laughter dropped, collapsed letter runs, teencode expanded,
numbers and units untouched); `strip_diacritics` gives the accentless view ("đường xá" -> "duong xa").
All are pure functions of their argument.
"""
import html
import re
import unicodedata

from nlp.teencode import expand

# Longer texts are cut here (at a word boundary): the model's cost grows with the length, and the first
# 2,000 characters (about 400 words, ten times a long complaint) say what the complaint is about.
MAX_CHARS = 2000

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

_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,500}>")
_URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|vn|net|org|gov\.vn|me|ly)(?:/\S*)?")
# Zero-width space/joiners, word joiner, BOM, soft hyphen, bidi marks; other control characters.
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Laughter, removed before letter runs collapse ("kkk" would otherwise become "k" = "không"):
# runs of h/k with a doubled letter (kk, hhh, hhhkkkk, khkh) and ha/he/hi/hj/hu/ka/ke repeated.
_LAUGH_RE = re.compile(r"(?<!\w)(?:(?=[hk]*(?:kk|hh))[hk]{2,}|(?:h[aeiju]|k[ae]|hj){2,}h?|=+\)+|:+[)d]+)(?!\w)")
# Three or more of the same letter, marks ignored ("quáaaa", "điiiện") -> one; on the NFD form so
# the tone mark of the first letter survives. Digits are never touched.
_REPEAT_RE = re.compile(r"([^\W\d_])([\u0300-\u036f]*)(?:\1[\u0300-\u036f]*){2,}")
_SPACE_RE = re.compile(r"\s+")


def clean(text):
    """The resident's words only: no HTML, URLs or invisible characters, at most MAX_CHARS long."""
    text = str(text)
    if len(text) > 4 * MAX_CHARS:
        text = text[:4 * MAX_CHARS]  # cleaning below is linear, but no reason to scan megabytes
    if "<" in text or "&" in text:
        text = html.unescape(_TAG_RE.sub(" ", text))
    text = _URL_RE.sub(" ", text)
    text = _INVISIBLE_RE.sub("", text)
    if len(text) > MAX_CHARS:
        cut = text.rfind(" ", 0, MAX_CHARS)
        text = text[:cut if cut > MAX_CHARS // 2 else MAX_CHARS]
    return text


def _fix_placement(text):
    return _PLACEMENT_RE.sub(lambda m: _PLACEMENT[m.group(1)], text)


def normalize(text):
    """Canonical lower-case NFC form of a resident's message."""
    text = unicodedata.normalize("NFC", clean(text)).lower()
    text = _LAUGH_RE.sub(" ", text)
    text = unicodedata.normalize("NFC", _REPEAT_RE.sub(r"\1\2", unicodedata.normalize("NFD", text)))
    text = _fix_placement(text)
    text = _SPACE_RE.sub(" ", text).strip()
    return expand(text)


def has_words(normed):
    """True when a normalised text contains at least one letter (emoji, digits, punctuation do not count)."""
    return any(c.isalpha() for c in normed)


def strip_diacritics(text):
    """Remove every Vietnamese diacritic, including đ/Đ -> d/D; keeps case and everything else."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def accentless(text):
    """The accentless view of the normalised text, used for character n-grams."""
    return strip_diacritics(normalize(text))
