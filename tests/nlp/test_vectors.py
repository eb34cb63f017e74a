"""Pretrained word vectors (nlp.vectors): read safely from the installed package, looked up compound first,
pooled into the dense block that Featurizer.sparse_row and the batch transform agree on."""
import pickle

import numpy as np
import pytest

from nlp.features import Featurizer, training_views
from nlp.normalize import normalize
from nlp.vectors import VectorsUnavailable, WordVectors, read_word2vec, source_path

TEXTS = ["đường làng bị hư hỏng nặng", "mất điện cả ngày", "giảng viên dạy rất hay", "nước sinh hoạt đục"]


@pytest.fixture(scope="module")
def shipped():
    return WordVectors.from_source("deepai")


def test_the_shipped_vectors_are_vietnamese_words_and_compounds():
    words, matrix = read_word2vec(source_path("deepai"))
    assert matrix.shape == (len(words), 100) and len(words) > 10000
    assert {"giảng_viên", "sinh_viên", "điện", "đường"} <= set(words)


def test_reading_the_pickle_runs_nothing_it_names(tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (exec, (f"open({str(marker)!r}, 'w').write('x')",))

    path = tmp_path / "evil.bin"
    path.write_bytes(pickle.dumps(Payload(), protocol=2))
    with pytest.raises(VectorsUnavailable):
        read_word2vec(path)  # exec became an inert record: no index2word, so it is refused
    assert not marker.exists()


def test_a_missing_or_damaged_file_is_vectors_unavailable(tmp_path):
    with pytest.raises(VectorsUnavailable):
        read_word2vec(tmp_path / "absent.bin")
    (tmp_path / "bad.bin").write_bytes(b"not a pickle")
    with pytest.raises(VectorsUnavailable):
        read_word2vec(tmp_path / "bad.bin")


def test_compounds_win_over_their_syllables_and_bare_text_uses_the_accentless_table(shipped):
    assert shipped.rows("giảng viên") == [shipped.written["giảng_viên"]]
    assert shipped.rows("giang vien") == [shipped.bare["giang_vien"]]
    bare = shipped.matrix[shipped.bare["ban"]]  # bàn, bán, bạn ... share one unit vector
    assert np.isclose(np.linalg.norm(bare), 1.0, atol=1e-5)


def test_pool_is_mean_and_max_of_unit_length_times_the_weight():
    words = ["đá", "bò", "cá_rô"]
    vectors = WordVectors(words, np.array([[3.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), weight=2.0)
    block = vectors.pool("đá bò cá rô zzz")
    assert vectors.rows("đá bò cá rô zzz") == [0, 1, 2]
    mean, top = block[:2], block[2:]
    np.testing.assert_allclose(np.linalg.norm(mean), 2.0 / np.sqrt(2), rtol=1e-6)
    np.testing.assert_allclose(top / np.linalg.norm(top), [np.sqrt(0.5), np.sqrt(0.5)], rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(block), 2.0, rtol=1e-6)
    assert not vectors.pool("zzz yyy").any()


def test_sparse_row_carries_the_dense_block_like_the_batch_transform():
    normed, _ = training_views(TEXTS, ["x"] * len(TEXTS))
    featurizer = Featurizer(vectors="deepai")
    batch = featurizer.fit_transform_normalised(normed).toarray()
    featurizer.compile()
    assert featurizer.n_features == batch.shape[1] == featurizer._sparse_width + 200
    for text, row in zip(TEXTS, batch[::2]):  # training views alternate: as written, accentless
        cols, vals = featurizer.sparse_row(text)
        got = np.zeros(featurizer.n_features)
        got[cols] = vals
        np.testing.assert_allclose(got, row, rtol=1e-5, atol=1e-6)


def test_without_the_package_the_model_trains_on_the_ngrams_and_says_so(monkeypatch, corpus):
    from nlp import vectors
    from nlp.classifier import ComplaintClassifier

    monkeypatch.setitem(vectors.SOURCES, "deepai", ("no_such_package_of_vectors", "x.bin"))
    said = []
    rows = corpus.train[:300]
    clf = ComplaintClassifier(features={"vectors": "deepai"}).fit([t for _, t in rows], [l for l, _ in rows],
                                                               progress=said.append)
    assert clf.metadata["word_vectors"] is None and clf.featurizer.n_features == clf.featurizer._sparse_width
    assert any("word vectors unavailable" in line and "not installed" in line for line in said)
    assert clf.predict("đường làng bị hư hỏng").top3


def test_a_saved_and_loaded_block_pools_exactly_as_the_trained_one(shipped):
    loaded = pickle.loads(pickle.dumps(shipped))
    assert loaded.matrix.dtype == np.float32
    for text in TEXTS + ["giang vien day hay"]:
        np.testing.assert_array_equal(loaded.pool(normalize(text)), shipped.pool(normalize(text)))
    assert len(pickle.dumps(shipped)) < shipped.matrix.nbytes  # stored in half precision
