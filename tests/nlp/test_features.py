"""The one-text fast path (Featurizer.sparse_row) must give what sklearn's batch transform gives."""
import numpy as np
import pytest

from nlp.features import Featurizer, training_views
from nlp.normalize import normalize, strip_diacritics

TEXTS = ["đường làng bị hư hỏng nặng, đường đất lầy lội", "mất điện cả ngày mất điện", "Cô giáo dạy rất hay",
         "nước sinh hoạt đục ngầu", "đèn đường không sáng nên đường tối"]


@pytest.mark.parametrize("features", [{}, dict(word_ngrams=(1, 3), char_ngrams=(1, 6), char_analyzer="char",
                                               max_word=None, max_char=None)])
def test_sparse_row_matches_the_batch_transform(features):
    normed, _ = training_views(TEXTS, ["x"] * len(TEXTS))
    featurizer = Featurizer(**features)
    featurizer.fit_transform_normalised(normed)
    featurizer.compile()
    for text in TEXTS + ["ĐƯỜNG   hư  hỏng", "mất điện", "xyz chưa thấy bao giờ"]:
        n = normalize(text)
        expected = np.concatenate([featurizer.words.transform([n]).toarray()[0],
                                   featurizer.chars.transform([strip_diacritics(n)]).toarray()[0]])
        cols, vals = featurizer.sparse_row(text)
        got = np.zeros(featurizer.n_features)
        got[cols] = vals
        assert len(set(cols.tolist())) == len(cols)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)  # sklearn keeps float32


def test_sparse_row_of_a_text_without_words_is_empty():
    featurizer = Featurizer()
    featurizer.fit_transform_normalised(TEXTS)
    featurizer.compile()
    cols, vals = featurizer.sparse_row("😀 123 !!!")
    assert len(cols) == 0 and len(vals) == 0 and cols.dtype == np.intp


def test_sparse_row_segments_words_like_the_batch_transform():
    pytest.importorskip("underthesea")  # experiment only (benchmarks/vsfc.py), not an app dependency
    normed, _ = training_views(TEXTS, ["x"] * len(TEXTS))
    featurizer = Featurizer(segmenter="underthesea")
    featurizer.fit_transform_normalised(normed)
    featurizer.compile()
    assert any("_" in term for term in featurizer.words.vocabulary_)
    for text in TEXTS + ["sinh viên rất thích giảng viên"]:
        n = normalize(text)
        expected = np.concatenate([featurizer.words.transform([featurizer._words_view(n)]).toarray()[0],
                                   featurizer.chars.transform([strip_diacritics(n)]).toarray()[0]])
        cols, vals = featurizer.sparse_row(text)
        got = np.zeros(featurizer.n_features)
        got[cols] = vals
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
