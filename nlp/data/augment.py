"""Surface noise the way residents type: dialect, teencode, slips, no diacritics, shouting."""
import re

from nlp.data.fragments import DIALECT, REGION_TAILS, TEENCODE
from nlp.normalize import strip_diacritics


def _swap_words(text, table, rng, p):
    for src, dst in table.items():
        if src != dst and rng.random() < p:
            text = re.sub(r"(?<!\w)" + re.escape(src) + r"(?!\w)", dst, text)
    return text


def dialect(text, region, rng):
    text = _swap_words(text, DIALECT.get(region, {}), rng, 0.7)
    if rng.random() < 0.25 and region in REGION_TAILS:
        text = text.rstrip(" .!") + " " + rng.choice(REGION_TAILS[region])
    return text


def teencode(text, rng, p=0.6):
    for word, codes in TEENCODE.items():
        text = re.sub(r"(?<!\w)" + word + r"(?!\w)",
                      lambda m: rng.choice(codes) if rng.random() < p else m.group(0), text)
    return text


def slips(text, rng, n=1):
    """A few keyboard slips: a dropped, doubled or swapped letter inside a word."""
    words = text.split(" ")
    for _ in range(n):
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) < 4:
            continue
        j = rng.randrange(1, len(w) - 1)
        kind = rng.random()
        if kind < 0.4:
            w = w[:j] + w[j + 1:]
        elif kind < 0.7:
            w = w[:j] + w[j] + w[j:]
        else:
            w = w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]
        words[i] = w
    return " ".join(words)


def elongate(text, rng):
    """Stretch one vowel the way angry or chatty messages do ("quáaaa")."""
    m = list(re.finditer(r"[aeiouyáàảãạ]", text))
    if not m:
        return text
    k = rng.choice(m).end()
    return text[:k] + text[k - 1] * rng.randint(2, 4) + text[k:]


def surface(text, rng, accentless_p=0.4, teencode_p=0.3):
    """Random case, teencode, slips and diacritic stripping; returns (text, is_accentless)."""
    if rng.random() < teencode_p:
        text = teencode(text, rng)
    if rng.random() < 0.15:
        text = slips(text, rng, n=rng.randint(1, 2))
    if rng.random() < 0.08:
        text = elongate(text, rng)
    r = rng.random()
    if r < 0.35:
        text = text.lower()
    elif r < 0.40:
        text = text.upper()
    if rng.random() < 0.3:
        text = text.rstrip(".!? ")
    stripped = rng.random() < accentless_p
    if stripped:
        text = strip_diacritics(text)
    return text, stripped
