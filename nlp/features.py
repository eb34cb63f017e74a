"""Sparse features: word 1–2-grams of the normalised text + char_wb 2–5-grams of its accentless view."""
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.normalize import normalize, strip_diacritics

_TOKEN = r"(?u)\b\w+\b"  # keep one-letter tokens and numbers ("3", "m3", "k")


def views(texts):
    """(normalised, accentless) views of raw texts."""
    normed = [normalize(t) for t in texts]
    return normed, [strip_diacritics(t) for t in normed]


def training_views(texts, labels):
    """Every example twice: as written (normalised) and stripped of diacritics (once if already bare)."""
    out_texts, out_labels = [], []
    for text, label in zip(*[texts, labels]):
        normed = normalize(text)
        bare = strip_diacritics(normed)
        out_texts.append(normed)
        out_labels.append(label)
        if bare != normed:
            out_texts.append(bare)
            out_labels.append(label)
    return out_texts, out_labels


class Featurizer:
    """Fits on already-normalised texts; transforms raw texts."""

    def __init__(self, max_word=60000, max_char=120000, min_df=1):
        common = dict(sublinear_tf=True, min_df=min_df, dtype=np.float32)
        self.words = TfidfVectorizer(ngram_range=(1, 2), token_pattern=_TOKEN, max_features=max_word,
                                     lowercase=False, **common)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), max_features=max_char,
                                     lowercase=False, **common)

    def fit_transform_normalised(self, normed):
        bare = [strip_diacritics(t) for t in normed]
        return sp.hstack([self.words.fit_transform(normed), self.chars.fit_transform(bare)], format="csr")

    def transform(self, texts):
        normed, bare = views(texts)
        return sp.hstack([self.words.transform(normed), self.chars.transform(bare)], format="csr")

    @property
    def n_features(self):
        return len(self.words.vocabulary_) + len(self.chars.vocabulary_)
