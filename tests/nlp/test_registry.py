"""Versioned models: default training, retraining that promotes only a model that is not worse."""
import json

import pytest

from nlp.classifier import ModelUnavailable
from nlp.corpus import Corpus, load_bundled
from nlp.registry import current_model_path, list_versions, load_current, restore, retrain, train_default

quiet = lambda msg: None


@pytest.fixture(scope="module")
def corpus():
    return load_bundled()


@pytest.fixture(scope="module")
def weak(corpus):
    """A deliberately weak base: one training example in eight, same dev and test splits."""
    return Corpus(train=corpus.train[::8], dev=corpus.dev, test=corpus.test)


def test_load_current_trains_default_when_empty(tmp_path, weak):
    clf = load_current(tmp_path, corpus=weak, progress=quiet)
    assert current_model_path(tmp_path).name == "model-v0001.joblib"
    manifest = json.loads((tmp_path / "current.json").read_text(encoding="utf-8"))
    assert manifest["current"] == "v0001"
    assert clf.metadata["metrics"]["macro_f1_test"] > 0
    assert load_current(tmp_path, corpus=weak, progress=quiet).metadata == clf.metadata


def test_retrain_promotes_better_and_refuses_poisoned(tmp_path, corpus, weak):
    train_default(tmp_path, corpus=weak, progress=quiet)
    corrections = [row for row in corpus.train if row not in set(weak.train)]
    better = retrain(tmp_path, corrections, corpus=weak, progress=quiet)
    assert better.promoted and better.new_macro_f1 > better.old_macro_f1
    assert better.current == better.version == "v0002"

    labels = sorted({l for l, _ in corpus.train})
    poisoned = [(labels[(labels.index(l) + 1) % len(labels)], t) for l, t in corrections]
    worse = retrain(tmp_path, poisoned, corpus=weak, progress=quiet)
    assert not worse.promoted and worse.new_macro_f1 < worse.old_macro_f1
    assert worse.current == "v0002" and current_model_path(tmp_path).name == "model-v0002.joblib"
    assert [v["version"] for v in list_versions(tmp_path)] == ["v0001", "v0002", "v0003"]


def test_corrections_never_copy_test_texts(tmp_path, weak):
    train_default(tmp_path, corpus=weak, progress=quiet)
    result = retrain(tmp_path, list(weak.test[:50]), corpus=weak, progress=quiet)
    assert result.n_extra == 0


def test_restore_earlier_version(tmp_path, weak):
    train_default(tmp_path, corpus=weak, progress=quiet)
    train_default(tmp_path, corpus=weak, seed=7, progress=quiet)
    restore(tmp_path, "v0001")
    assert [v["version"] for v in list_versions(tmp_path) if v["current"]] == ["v0001"]
    with pytest.raises(ModelUnavailable):
        restore(tmp_path, "v9999")


def test_broken_current_model_raises(tmp_path, weak):
    train_default(tmp_path, corpus=weak, progress=quiet)
    current_model_path(tmp_path).write_bytes(b"garbage")
    with pytest.raises(ModelUnavailable):
        load_current(tmp_path, corpus=weak, progress=quiet)
