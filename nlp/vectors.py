"""Pretrained Vietnamese word vectors as a dense feature block: the mean and the maximum of the vectors of a
text's words, beside the sparse n-grams.

The vectors come from a package on PyPI, so nothing is downloaded at run time: deepai-nlp 1.0.0 (MIT) ships
a word2vec model of Vietnamese Wikipedia, 10,087 words and compounds ("giảng_viên") × 100 dimensions, as a
gensim pickle. It is installed without its dependencies (gensim, TensorFlow, Keras: none is needed to read
the vectors), see requirements-vectors.txt. The vectors are copied into the trained model file, so a model
that uses them predicts without the package; only training needs it.

The pickle is read by an unpickler that builds numpy arrays and nothing else: every other class named in
the file (gensim's model, numpy's random state) becomes an inert record, so reading it runs no code of it.
"""
import importlib.util
import pickle
import re
from pathlib import Path

import numpy as np

from nlp.normalize import strip_diacritics

SOURCES = {"deepai": ("deepai_nlp", "models/pretrained_word2vec.bin")}
MAX_COMPOUND = 4  # syllables in the longest compound looked up ("hoa_hậu_thế_giới")
_WORD = re.compile(r"\w+")


class VectorsUnavailable(RuntimeError):
    """The package holding the vectors is not installed, or its file cannot be read."""


class _Record:
    """Stands in for any class of the pickle other than numpy's arrays; keeps its state, runs nothing."""

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        if isinstance(state, dict):
            self.__dict__.update(state)


class _ArraysOnly(pickle.Unpickler):
    _ALLOWED = {("numpy.core.multiarray", "_reconstruct"), ("numpy", "ndarray"), ("numpy", "dtype")}

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        return type(name, (_Record,), {})


def source_path(source="deepai"):
    """Where the installed package keeps the vectors (found without importing the package)."""
    if source not in SOURCES:
        raise VectorsUnavailable(f"unknown source of word vectors {source!r} (known: {', '.join(SOURCES)})")
    package, relative = SOURCES[source]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise VectorsUnavailable(f"the package {package} is not installed (pip install --no-deps -r "
                                 f"requirements-vectors.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / relative


def read_word2vec(path):
    """(words, float32 matrix) of a gensim 3 Word2Vec pickle."""
    try:
        with open(path, "rb") as f:
            model = _ArraysOnly(f, encoding="latin1").load()
        words, matrix = list(model.index2word), np.asarray(model.syn0, dtype=np.float32)
    except (OSError, pickle.UnpicklingError, AttributeError, EOFError, ValueError) as exc:
        raise VectorsUnavailable(f"cannot read word vectors from {path}: {exc}") from exc
    if len(words) != len(matrix):
        raise VectorsUnavailable(f"{path}: {len(words)} words for {len(matrix)} vectors")
    return words, matrix


class WordVectors:
    """Looks up a text's words (longest compound first) and pools their unit vectors."""

    def __init__(self, words, matrix, weight=1.0):
        matrix = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        self.weight = weight
        self.written = {w: i for i, w in enumerate(words)}
        # Texts typed without diacritics look up the accentless form; words that collide there ("bàn",
        # "bán", "bạn" → "ban") share the mean of their vectors.
        groups = {}
        for i, w in enumerate(words):
            groups.setdefault(strip_diacritics(w), []).append(i)
        self.bare = {w: len(words) + j for j, w in enumerate(groups)}
        merged = np.array([matrix[rows].mean(axis=0) for rows in groups.values()], dtype=np.float32)
        merged /= np.maximum(np.linalg.norm(merged, axis=1, keepdims=True), 1e-12)
        # Half precision from the start: the model file stores it so (about 3.6 MB less), and a loaded model
        # computes exactly what the trained one did.
        self.matrix = np.vstack([matrix, merged]).astype(np.float16).astype(np.float32)
        self._written_longest, self._bare_longest = _longest_compounds(self.written), _longest_compounds(self.bare)

    def __getstate__(self):
        return dict(self.__dict__, matrix=self.matrix.astype(np.float16))

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.matrix = self.matrix.astype(np.float32)

    @classmethod
    def from_source(cls, source="deepai", weight=1.0):
        return cls(*read_word2vec(source_path(source)), weight=weight)

    @property
    def dim(self):
        return 2 * self.matrix.shape[1]

    def rows(self, normed, accentless=None):
        """Matrix rows of the words of one normalised text, compounds first ("giảng viên" → giảng_viên).
        `accentless`: whether the text has no diacritics (then the accentless table), if already known."""
        if accentless is None:
            accentless = normed == strip_diacritics(normed)
        vocab, longest = (self.bare, self._bare_longest) if accentless else (self.written, self._written_longest)
        tokens = _WORD.findall(normed)
        found, i, end = [], 0, len(tokens)
        get, starts = vocab.get, longest.get
        while i < end:
            token, step = tokens[i], 1
            row = None
            for n in range(min(starts(token, 1), end - i), 1, -1):  # compounds that start here, longest first
                row = get("_".join(tokens[i:i + n]))
                if row is not None:
                    step = n
                    break
            if row is None:
                row = get(token)
            if row is not None:
                found.append(row)
            i += step
        return found

    def pool(self, normed, accentless=None):
        """[mean | max] of the text's word vectors, each half of unit length, times the block weight;
        zeros when no word is known."""
        out = np.zeros(self.dim, dtype=np.float32)
        rows = self.rows(normed, accentless)
        if rows:
            vectors, half = self.matrix[rows], self.matrix.shape[1]
            total, top = vectors.sum(axis=0), vectors.max(axis=0)  # the sum points where the mean does
            scale = self.weight / np.sqrt(2.0)
            out[:half] = total * (scale / (np.sqrt(total @ total) or 1.0))
            out[half:] = top * (scale / (np.sqrt(top @ top) or 1.0))
        return out

    def block(self, normed_texts):
        return np.vstack([self.pool(t) for t in normed_texts]) if normed_texts else np.zeros((0, self.dim))


def _longest_compounds(vocab):
    """{first syllable: syllables in the longest entry starting with it}, for entries of two or more."""
    longest = {}
    for key in vocab:
        parts = key.split("_")
        if len(parts) > 1:
            longest[parts[0]] = min(MAX_COMPOUND, max(longest.get(parts[0], 1), len(parts)))
    return longest
