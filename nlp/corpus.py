"""Reading labelled TSV files (`label<TAB>text`, UTF-8, with a header) and the bundled corpus."""
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN_TSV = DATA_DIR / "train.tsv"
DEV_TSV = DATA_DIR / "dev.tsv"
TEST_TSV = DATA_DIR / "test.tsv"
SANITY_TSV = DATA_DIR / "sanity.tsv"
UNSEEN_TSV = DATA_DIR / "unseen.tsv"


class CorpusError(ValueError):
    """A TSV file that is not `label<TAB>text` with a header."""


def read_tsv(path):
    """[(label, text)] from a UTF-8 TSV with header `label<TAB>text`; blank lines are skipped."""
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\r\n").split("\t")
        if header[:2] != ["label", "text"]:
            raise CorpusError(f"{path}: header must be 'label<TAB>text', got {header!r}")
        for lineno, line in enumerate(f, start=2):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            label, sep, text = line.partition("\t")
            if not sep or not label.strip() or not text.strip():
                raise CorpusError(f"{path}:{lineno}: expected 'label<TAB>text'")
            rows.append((label.strip(), text.strip()))
    if not rows:
        raise CorpusError(f"{path}: no examples")
    return rows


def data_sha256(rows):
    """Order-sensitive fingerprint of labelled examples (what a model was trained on)."""
    h = hashlib.sha256()
    for label, text in rows:
        h.update(f"{label}\t{text}\n".encode("utf-8"))
    return h.hexdigest()


@dataclass(frozen=True)
class Corpus:
    """Train, dev (threshold and calibration) and held-out test examples as (label, text) lists;
    `calibration`: texts written differently from training (sanity.tsv), used beside dev to calibrate."""
    train: list
    dev: list
    test: list
    calibration: list = field(default_factory=list)


def load_bundled():
    return Corpus(read_tsv(TRAIN_TSV), read_tsv(DEV_TSV), read_tsv(TEST_TSV), read_tsv(SANITY_TSV))
