"""The complaint pipeline on UIT-VSFC topics (real student feedback, 4 topics): macro-F1 as written and
without diacritics, and single-text latency, for a few classifier settings.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/vsfc.py --data DIR [--configs baseline,balanced,...]

DIR holds train/, dev/, test/ each with sents.txt and topics.txt (one line per sentence), as in the
UIT-VSFC release. The dataset's licence forbids committing it: fetch it at evaluation time (for example a
public GitHub repository that contains the release, copied out of /work/.mirror; see benchmarks/RESULTS.md).
The published best on topics is 0.774 macro-F1 (ViWordFormer). dev calibrates, test is only evaluated.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.classifier import ComplaintClassifier  # noqa: E402
from nlp.evaluation import evaluate  # noqa: E402

CONFIGS = {
    "baseline": {},  # the complaint model's settings
    "balanced": dict(class_weight="balanced"),
    "wide": dict(class_weight="balanced", C=0.3,
                 features=dict(word_ngrams=(1, 3), char_ngrams=(1, 6), char_analyzer="char")),
    "wide_wb": dict(class_weight="balanced", C=0.3,
                    features=dict(word_ngrams=(1, 3), char_ngrams=(1, 6), char_analyzer="char_wb")),
    "wide_full": dict(class_weight="balanced", C=0.3,
                      features=dict(word_ngrams=(1, 3), char_ngrams=(1, 6), char_analyzer="char",
                                    max_word=None, max_char=None)),
    "wide_full_pyvi": dict(class_weight="balanced", C=0.3,
                           features=dict(word_ngrams=(1, 3), char_ngrams=(1, 6), char_analyzer="char",
                                         max_word=None, max_char=None, segmenter="pyvi")),
    "wide_full_c05": dict(class_weight="balanced", C=0.5,
                          features=dict(word_ngrams=(1, 3), char_ngrams=(1, 6), char_analyzer="char",
                                        max_word=None, max_char=None)),
    "wide_full_c02": dict(class_weight="balanced", C=0.2,
                          features=dict(word_ngrams=(1, 3), char_ngrams=(1, 6), char_analyzer="char",
                                        max_word=None, max_char=None)),
    "mid": dict(class_weight="balanced", C=0.3,
                features=dict(word_ngrams=(1, 3), char_ngrams=(2, 5), char_analyzer="char_wb")),
}


def read_split(root, split):
    folder = Path(root) / split
    try:
        sents = (folder / "sents.txt").read_text(encoding="utf-8").splitlines()
        topics = (folder / "topics.txt").read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise SystemExit(f"error: UIT-VSFC not found under {root} ({exc.filename} is missing); it cannot be "
                         f"bundled (licence): see the docstring of {__file__} for how to get it") from None
    return [(t.strip(), s) for s, t in zip(sents, topics) if s.strip() and t.strip()]


def latency(clf, texts, n=2000):
    calls = (texts * (n // len(texts) + 1))[:n]
    for text in calls[:100]:
        clf.predict(text)
    lat = []
    for text in calls:
        t0 = time.perf_counter()
        clf.predict(text)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    return statistics.mean(lat), lat[int(len(lat) * 0.99)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--configs", default=",".join(CONFIGS))
    args = parser.parse_args(argv)
    train, dev, test = (read_split(args.data, s) for s in ("train", "dev", "test"))
    print(f"UIT-VSFC topics  train={len(train)} dev={len(dev)} test={len(test)}")
    for name in args.configs.split(","):
        t0 = time.perf_counter()
        clf = ComplaintClassifier(**CONFIGS[name]).fit([t for _, t in train], [l for l, _ in train],
                                                       dev_texts=[t for _, t in dev],
                                                       dev_labels=[l for l, _ in dev])
        fit_s = time.perf_counter() - t0
        written, bare = evaluate(clf, test)[0], evaluate(clf, test, strip=True)[0]
        mean, p99 = latency(clf, [t for _, t in test])
        print(f"{name:10} macro_f1 {written:.4f} accentless {bare:.4f}  latency mean {mean:.3f} ms "
              f"p99 {p99:.3f} ms  train {fit_s:.1f} s  features {clf.featurizer.n_features}", flush=True)


if __name__ == "__main__":
    main()
