"""Features: word 1–2-grams of the normalised text + char_wb 2–5-grams of its accentless view, and optionally
a dense block of pretrained word vectors (nlp.vectors)."""
import math

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.normalize import has_words, normalize, strip_diacritics
from nlp.vectors import VectorsUnavailable, WordVectors

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

    def __init__(self, max_word=60000, max_char=120000, min_df=1, word_ngrams=(1, 2), char_ngrams=(2, 5),
                 char_analyzer="char_wb", segmenter=None, vectors=None, vectors_weight=1.0):
        # segmenter: None, "pyvi" or "underthesea" to read words as that segmenter joins them ("sinh_viên"),
        # or "underthesea_add" (the raw words plus its compounds appended) — experiments of
        # benchmarks/vsfc.py; neither library is a dependency of the app (see benchmarks/RESULTS.md).
        self.segmenter = segmenter
        # vectors: None, or a source of nlp.vectors ("deepai"): [mean | max] of the text's word vectors as
        # a dense block of that weight beside the n-grams. Read at fit time and kept in the model.
        self.vectors, self.vectors_weight, self._word_vectors = vectors, vectors_weight, None
        self.vectors_error = None
        common = dict(sublinear_tf=True, min_df=min_df, dtype=np.float32)
        self.words = TfidfVectorizer(ngram_range=word_ngrams, token_pattern=_TOKEN, max_features=max_word,
                                     lowercase=False, **common)
        self.chars = TfidfVectorizer(analyzer=char_analyzer, ngram_range=char_ngrams, max_features=max_char,
                                     lowercase=False, **common)

    def _words_view(self, normed):
        segmenter = getattr(self, "segmenter", None)  # models pickled before the option have none
        if segmenter == "pyvi":
            from pyvi import ViTokenizer
            return ViTokenizer.tokenize(normed)
        if segmenter in ("underthesea", "underthesea_add"):
            from underthesea import word_tokenize  # bundled model (underthesea_core), no download
            segmented = word_tokenize(normed, format="text")
            if segmenter == "underthesea":
                return segmented
            return " ".join([normed] + [w for w in segmented.split() if "_" in w])  # raw words + compounds
        return normed

    def fit_transform_normalised(self, normed):
        bare = [strip_diacritics(t) for t in normed]
        words = [self._words_view(t) for t in normed]
        blocks = [self.words.fit_transform(words), self.chars.fit_transform(bare)]
        if getattr(self, "vectors", None):
            try:
                self._word_vectors = WordVectors.from_source(self.vectors, self.vectors_weight)
            except VectorsUnavailable as exc:  # the model still trains, on the n-grams alone; fit says so
                self.vectors, self.vectors_error = None, str(exc)
            else:
                blocks.append(sp.csr_matrix(self._word_vectors.block(normed)))
        return sp.hstack(blocks, format="csr")

    def compile(self):
        """Plain dicts and arrays for fast one-text transforms (sklearn's per-call checks cost ~1 ms)."""
        self._parts = []
        offset = 0
        for vec in (self.words, self.chars):
            vocab = {term: offset + j for term, j in vec.vocabulary_.items()}
            idf = np.zeros(offset + len(vec.vocabulary_))
            idf[offset:] = vec.idf_
            self._parts.append((vec.build_analyzer(), vocab, idf))
            offset += len(vec.vocabulary_)
        return self

    def sparse_row(self, text):
        """(column indices, tf-idf values) of one raw text: sublinear tf, idf, l2 per block.

        Counting and weighting run in numpy: a long text has a thousand or more character n-grams, and a
        Python loop over them made long texts (the p99) about 1.5 times slower with uncapped char 1–6-grams
        (UIT-VSFC, benchmarks/RESULTS.md)."""
        normed = normalize(text)
        cols, vals = [], []
        if has_words(normed):  # emoji, digits, punctuation only: nothing the model may judge
            bare = strip_diacritics(normed)
            for (analyze, vocab, idf), view in zip(self._parts, (self._words_view(normed), bare)):
                hits = [j for j in map(vocab.get, analyze(view)) if j is not None]
                if hits:
                    block, counts = np.unique(np.array(hits, dtype=np.intp), return_counts=True)
                    weights = (1.0 + np.log(counts)) * idf[block]
                    cols.append(block)
                    vals.append(weights / (math.sqrt(weights @ weights) or 1.0))
            dense = self._dense(normed, bare == normed)
            if dense is not None:
                cols.append(self._sparse_width + np.flatnonzero(dense))
                vals.append(dense[dense != 0])
        if not cols:
            return np.array([], dtype=np.intp), np.array([])
        return np.concatenate(cols), np.concatenate(vals)

    def _dense(self, normed, accentless):
        vectors = getattr(self, "_word_vectors", None)  # models pickled before the option have none
        return None if vectors is None else vectors.pool(normed, accentless)

    @property
    def _sparse_width(self):
        return len(self.words.vocabulary_) + len(self.chars.vocabulary_)

    @property
    def n_features(self):
        vectors = getattr(self, "_word_vectors", None)
        return self._sparse_width + (vectors.dim if vectors is not None else 0)
