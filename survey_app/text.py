"""Text as it enters the app (forms, paths, sign-in, webhooks, imports): one place that makes it safe and folds it.

PostgreSQL refuses a NUL byte in any text column, and control characters show as garbage on staff screens
and in exports; both are stripped. Text is NFC-normalised so "ờ" typed as o + ̀ + ̛ compares equal to the
precomposed letter. Accent stripping (for headers and slugs) reuses `nlp.normalize.strip_diacritics`, so the
app and the classifier agree on what "without diacritics" means (nlp stays Flask-free; survey_app may use it).

Two folds compare text without accents or case, and differ on purpose: `fold` keeps every character but the
marks (feedback rows store it as `text_folded`, so the queue's search finds "đường" when "duong" is typed, and
stored values must never change); `fold_reply` also drops punctuation, compatibility forms and extra spaces, so
a resident's short reply ("  Hài  LÒNG! ", "ｈａｉ ｌｏｎｇ") matches the bots' word lists.
"""
from __future__ import annotations

import re
import unicodedata

from nlp.normalize import strip_diacritics

__all__ = ["clean_line", "clean_multiline", "fold", "fold_reply", "strip_diacritics", "wtf_line", "wtf_multiline"]

# C0 and C1 controls (NUL included), DEL, and the invisible bidirectional overrides that can disguise text;
# newlines and tabs are kept where text may span several lines.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff"
_ONE_LINE = re.compile(f"[{_CONTROLS}\t\n\r\u2028\u2029]+")
_MULTI_LINE = re.compile(f"[{_CONTROLS}]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
_PUNCT = re.compile(r"[^\w\s/]+")
_SPACE = re.compile(r"\s+")


def clean_line(text: str | None) -> str:
    """One-line text (a code, a name, a username): controls and line breaks become one space; NFC; trimmed."""
    if not text:
        return ""
    return unicodedata.normalize("NFC", _ONE_LINE.sub(" ", str(text))).strip()


def clean_multiline(text: str | None) -> str:
    """Free text (a reason, an opinion): controls dropped, line breaks as \\n, tabs kept; NFC; trimmed."""
    if not text:
        return ""
    text = _LINE_BREAKS.sub("\n", str(text))
    return unicodedata.normalize("NFC", _MULTI_LINE.sub("", text)).strip()


def wtf_line(value):
    """WTForms filter for one-line fields (leaves None and non-text values alone)."""
    return clean_line(value) if isinstance(value, str) else value


def wtf_multiline(value):
    """WTForms filter for text areas."""
    return clean_multiline(value) if isinstance(value, str) else value


def fold(text: str | None) -> str:
    """Lower case without diacritics ("Đường xá" → "duong xa"), the form search compares."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def fold_reply(text: str | None) -> str:
    """'  Hài  LÒNG! ' → 'hai long': no diacritics (đ → d), lower case, no punctuation, single spaces."""
    text = unicodedata.normalize("NFC", text or "").strip().replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower())).strip()
