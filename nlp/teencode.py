"""Teencode and abbreviations typed by residents, expanded as whole tokens of a lower-cased text.

ABBREVIATIONS are safe everywhere. CONTEXTUAL forms are one letter or a real word in their own right
("t", "a", "m", "b", "h", "hông"): they are expanded only next to the words that make their meaning
clear ("t ko biết", "a ơi", "bây h", "các b"), and left alone otherwise ("loại a", "5 m", "nhà b").
"""
import re

ABBREVIATIONS = {
    # không
    "ko": "không", "k": "không", "kh": "không", "khg": "không", "kg": "không", "hok": "không",
    "hk": "không", "kô": "không", "khôg": "không", "khum": "không", "khom": "không", "hum": "không",
    "hông": "không", "hem": "không", "hổng": "không",
    # được, gì, với, người, nước
    "dc": "được", "đc": "được", "dx": "được", "đx": "được", "đươc": "được",
    "j": "gì", "ji": "gì", "vs": "với", "ng": "người", "nc": "nước",
    # pronouns and people
    "mik": "mình", "mk": "mình", "mh": "mình", "ae": "anh em", "mn": "mọi người", "mng": "mọi người",
    "ngta": "người ta", "ck": "chồng", "vk": "vợ", "gđ": "gia đình", "e": "em",
    # frequent words
    "bt": "biết", "bik": "biết", "bít": "biết", "r": "rồi", "rùi": "rồi", "rui": "rồi", "ròi": "rồi",
    "thui": "thôi", "lun": "luôn", "nhìu": "nhiều", "nhiu": "nhiều", "iu": "yêu", "hnay": "hôm nay",
    "hqua": "hôm qua", "bjo": "bây giờ", "bh": "bây giờ", "bgio": "bây giờ", "ntn": "như thế nào",
    "bn": "bao nhiêu", "bnh": "bao nhiêu", "z": "vậy", "dz": "vậy", "v": "vậy", "dzậy": "vậy",
    "zậy": "vậy", "trc": "trước", "cx": "cũng", "cg": "cũng", "lm": "làm", "ns": "nói", "ms": "mới",
    "đt": "điện thoại", "tg": "thời gian", "kq": "kết quả", "wa": "qua", "uk": "ừ", "thik": "thích",
    "ak": "à", "ah": "à", "ok": "ok", "oke": "ok", "tks": "cảm ơn", "thanks": "cảm ơn",
    # institutions
    "ubnd": "ủy ban nhân dân", "ub": "ủy ban", "hs": "học sinh", "gv": "giáo viên",
    "bhyt": "bảo hiểm y tế", "ntm": "nông thôn mới", "sđt": "số điện thoại", "sdt": "số điện thoại",
    "cty": "công ty", "csgt": "cảnh sát giao thông", "tt": "thông tin",
}

_WORD = r"[^\W\d_]+"
# (form, expansion, pattern): the form is the group "w"; what precedes it is matched (not looked behind,
# Python's look-behind needs a fixed width) and put back unchanged.
CONTEXTUAL = [
    # tôi: at the start or after a verb/preposition, followed by a word ("t ko biết", "nhà t mất điện")
    ("t", "tôi", r"(?:^|\b(?:của|nhà|cho|với|là|mà|bọn|tụi|xóm|vợ|chồng|mẹ|bố|con) )(?P<w>t)(?= " + _WORD + "|$)"),
    # anh: "a ơi", "a ạ", "em chào a", "nhờ a", "a xem giúp"
    ("a", "anh", r"(?:\b(?:chào|nhờ|gửi|hỏi|cho|em|các|cảm ơn) (?P<w>a)\b|\b(?P<w2>a)(?= (?:ơi|ạ|chị|xem|giúp)\b))"),
    # mình: before a verb or negation, never after a digit ("5 m")
    ("m", "mình", r"(?:^|(?<=[^\d\s]) )(?P<w>m)(?= (?:không|chưa|đã|cũng|muốn|thấy|hỏi|xin|đi|có|bị|ở)\b)"),
    # bạn: "b ơi", "các b", "cảm ơn b"
    ("b", "bạn", r"(?:\b(?:các|cảm ơn|cám ơn|chào) (?P<w>b)\b|\b(?P<w2>b)(?= ơi\b))"),
    # giờ: "bây h", "mấy h", "h này", "đến h", "2 h" (a time, never "5 ha")
    ("h", "giờ", r"(?:\b(?:bây|mấy|đến|tới|giờ|từ) (?P<w>h)\b|\d (?P<w3>h)\b"
                 r"|\b(?P<w2>h)(?= (?:này|vẫn|đã|chưa|mới)\b))"),
]

_ABBREV_RE = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")(?![\w])"
)
_CONTEXT_RES = [(re.compile(p), expansion) for _, expansion, p in CONTEXTUAL]


def _replacer(expansion):
    def sub(m):
        name = next(g for g in ("w", "w2", "w3") if g in m.re.groupindex and m.group(g) is not None)
        start, end = m.span(name)
        return m.group(0)[:start - m.start()] + expansion + m.group(0)[end - m.start():]
    return sub


def expand(text):
    """Expand the safe forms, then the contextual ones (they look at the expanded words around them)."""
    text = _ABBREV_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    for pattern, expansion in _CONTEXT_RES:
        text = pattern.sub(_replacer(expansion), text)
    return text
