"""One classifier trained on the bundled corpus for every nlp test that needs it (about 8 s)."""
import pytest

from nlp.classifier import ComplaintClassifier
from nlp.corpus import load_bundled


@pytest.fixture(scope="session")
def corpus():
    return load_bundled()


@pytest.fixture(scope="session")
def model(corpus):
    return ComplaintClassifier().fit([t for _, t in corpus.train], [l for l, _ in corpus.train],
                                     dev_texts=[t for _, t in corpus.dev], dev_labels=[l for l, _ in corpus.dev],
                                     calibration=[corpus.calibration])
