"""Reading what a resident typed: answers, commands and stop words, accent- and case-insensitive.

Residents type "hai long", "ko", "chưa", "1" as readily as they press a button; all text is
NFC-normalised first, then compared without diacritics, case or punctuation.
"""
from __future__ import annotations

import re
import unicodedata

from survey_app.text import fold_reply as fold  # parsing.fold, as the engine calls it: one definition, in text.py

_SPACE = re.compile(r"\s+")

YES = {"1", "hai long", "hl", "co", "yes", "y", "ok", "oke", "dong y", "rat hai long", "hai long roi", "tot",
       "satisfied", "dc", "duoc"}
NO = {"2", "chua hai long", "chua", "chua hl", "ko", "k", "khong", "khong hai long", "ko hai long", "k hai long",
      "khong hl", "ko hl", "no", "n", "not yet", "not satisfied", "not yet satisfied", "chua duoc", "kg"}
SKIP = {"bo qua", "qua", "skip", "khong co", "ko co", "k co", "khong y kien", "ko y kien", "-", "0"}
STOP_EXACT = {"/stop", "stop", "dừng", "dừng lại", "hủy", "huỷ", "hủy bỏ"}
STOP_CAPS = {"DUNG", "HUY", "DUNG LAI"}  # accentless stop words count when shouted, not "dung" (= đúng)
HELP = {"/help", "help", "tro giup", "huong dan", "giup", "/tro_giup"}
CONTINUE = {"tiep", "tiep tuc", "continue", "1"}
RESTART = {"lam lai", "restart", "2", "bat dau lai"}
SEND = {"gui", "gui phieu", "send", "dong y gui", "xac nhan"}


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def answer(text: str | None) -> bool | None:
    """True for "hài lòng", False for "chưa hài lòng", None when it is neither."""
    folded = fold(text)
    if folded in YES:
        return True
    if folded in NO:
        return False
    return None


def is_stop(text: str | None) -> bool:
    clean = nfc(text)
    return clean.lower() in STOP_EXACT or _SPACE.sub(" ", clean) in STOP_CAPS


def is_help(text: str | None) -> bool:
    return fold(text) in {fold(h) for h in HELP} or nfc(text).lower() == "/help"


def is_skip(text: str | None) -> bool:
    return fold(text) in SKIP


def command(text: str | None) -> tuple[str, str] | None:
    """'/start K7QM-3XPA' → ('start', 'K7QM-3XPA'); Telegram may add '@BotName' to the command."""
    clean = nfc(text)
    if not clean.startswith("/"):
        return None
    head, _, rest = clean.partition(" ")
    return head[1:].split("@")[0].lower(), rest.strip()


def number(text: str | None) -> int | None:
    """'3', 'câu 3', 'cau so 3' → 3."""
    match = re.fullmatch(r"(?:cau\s*)?(?:so\s*)?(\d{1,3})", fold(text))
    return int(match.group(1)) if match else None
