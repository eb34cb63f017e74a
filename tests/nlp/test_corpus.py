"""The bundled corpus: sizes, every label in every split, honest held-out splits."""
from collections import Counter

import pytest

from nlp import LABEL_NAMES_VI, LABELS
from nlp.corpus import SANITY_TSV, CorpusError, load_bundled, read_tsv
from nlp.normalize import accentless, strip_diacritics

MIN_PER_SPLIT = {"train": 150, "dev": 30, "test": 30}


@pytest.fixture(scope="module")
def corpus():
    return load_bundled()


def test_labels_and_names_match():
    assert len(LABELS) == 14 and set(LABEL_NAMES_VI) == set(LABELS)


@pytest.mark.parametrize("split", ["train", "dev", "test"])
def test_every_label_in_every_split(corpus, split):
    counts = Counter(label for label, _ in getattr(corpus, split))
    assert set(counts) == set(LABELS)
    assert min(counts.values()) >= MIN_PER_SPLIT[split]


def test_corpus_size_and_accentless_share(corpus):
    rows = corpus.train + corpus.dev + corpus.test
    counts = Counter(label for label, _ in rows)
    assert len(rows) >= 4000
    assert all(n >= 250 for label, n in counts.items() if label != "khac")
    bare = sum(text == strip_diacritics(text) for _, text in rows)
    assert bare / len(rows) >= 0.30


def test_no_test_text_appears_in_training(corpus):
    train = {accentless(t) for _, t in corpus.train}
    assert not [t for _, t in corpus.test if accentless(t) in train]
    assert not [t for _, t in corpus.dev if accentless(t) in train]


def test_sanity_set_covers_all_labels():
    assert {label for label, _ in read_tsv(SANITY_TSV)} == set(LABELS)


def test_bad_tsv_is_rejected(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("text\tlabel\nx\ty\n", encoding="utf-8")
    with pytest.raises(CorpusError):
        read_tsv(bad)
