"""The app's words for its codes: complaint fields, channels, feedback statuses and sources, and their names.

The classifier owns the field codes (`nlp.LABELS`, `nlp.NEEDS_REVIEW`, "cần xem xét"); this module adds what
people read. Staff pages, charts, reports and the bots take their names from here, so a field or a channel is
called the same everywhere and translated once in `translations/`.
"""
from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from nlp import LABELS, NEEDS_REVIEW

from .models import Channel, FeedbackSource, FeedbackStatus

__all__ = ["CHANNEL_NAMES", "CHANNELS", "FIELD_NAMES", "LABELS", "NEEDS_REVIEW", "SOURCE_NAMES", "STATUS_NAMES",
           "channel_name"]


def N_(text: str) -> str:
    """Marks a msgid for `pybabel extract` (a default keyword) without translating it here."""
    return text


FIELD_NAMES = {
    "giao_thong": _l("Giao thông"), "thuy_loi": _l("Thủy lợi"), "dien": _l("Điện"), "giao_duc": _l("Giáo dục"),
    "van_hoa": _l("Văn hóa"), "thong_tin": _l("Thông tin - truyền thông"), "kinh_te": _l("Kinh tế - đời sống"),
    "y_te": _l("Y tế"), "moi_truong": _l("Môi trường"), "nuoc_sach": _l("Nước sạch"), "dat_dai": _l("Đất đai"),
    "hanh_chinh": _l("Hành chính"), "an_ninh": _l("An ninh trật tự"), "khac": _l("Khác"),
    NEEDS_REVIEW: _l("Cần xem xét"),
}
STATUS_NAMES = {
    FeedbackStatus.NEW: _l("Mới"), FeedbackStatus.IN_PROGRESS: _l("Đang xử lý"),
    FeedbackStatus.RESOLVED: _l("Đã giải quyết"), FeedbackStatus.REJECTED: _l("Không xử lý"),
}
SOURCE_NAMES = {
    FeedbackSource.REASON: _l("Lý do chưa hài lòng"), FeedbackSource.OTHER: _l("Ý kiến khác"),
    FeedbackSource.COMPLAINT: _l("Phản ánh qua chat"),
}

CHANNELS = Channel.ALL
# One name per channel, as said mid-sentence ("đã trả lời qua trang web"); msgids, translated where shown
# because the bots translate into the conversation's language, not the request's.
_CHANNEL_WORDS = {Channel.WEB: N_("trang web"), Channel.TELEGRAM: "Telegram", Channel.ZALO: "Zalo",
                  Channel.PAPER: N_("phiếu giấy")}


def channel_name(channel: str | None, gettext=_) -> str:
    """A channel's name inside a sentence ("trang web"), in `gettext`'s language; an unknown code as it is."""
    word = _CHANNEL_WORDS.get(channel or "")
    return gettext(word) if word else (channel or "")


def _standing_alone(channel: str) -> str:
    name = channel_name(channel)
    return name[:1].upper() + name[1:]


# The same names standing alone (a table cell, a chart bar, a filter): "Trang web", "Phiếu giấy".
CHANNEL_NAMES = {channel: LazyString(_standing_alone, channel) for channel in CHANNELS}
