"""Benchmark of the complaint classifier (issue 3).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/nlp.py

Prints held-out macro-F1, per-label F1 on test/sanity/unseen, how right the flagged and unflagged
predictions are, the latency of one 100,000-character text, (test as written, test stripped of
diacritics, hand-written sanity set,
and the independent hand-written `nlp/data/unseen.tsv` as written and stripped, when present), the
three lowest per-label F1, the dev-chosen review threshold and the share of texts it flags, single-text
prediction latency (mean and p99 over >= 2000 calls) and the time to train on 10,000 texts.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")  # one core, set before numpy is imported

import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp import LABELS  # noqa: E402
from nlp.classifier import ComplaintClassifier  # noqa: E402
from nlp.corpus import DATA_DIR, SANITY_TSV, load_bundled, read_tsv  # noqa: E402
from nlp.data.augment import surface  # noqa: E402
from nlp.evaluation import evaluate  # noqa: E402

UNSEEN_TSV = DATA_DIR / "unseen.tsv"


def lowest_labels(clf, rows, n=3):
    """The n labels with the lowest F1 on rows, as 'label 0.xxxx' strings."""
    from sklearn.metrics import f1_score
    gold = [label for label, _ in rows]
    pred = [p.top_label for p in clf.predict_many([t for _, t in rows])]
    labels = [label for label in LABELS if label in set(gold)]
    scores = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
    return ", ".join(f"{label} {f:.4f}" for f, label in sorted(zip(scores, labels))[:n])


def fit(rows, dev, calibration=()):
    return ComplaintClassifier().fit([t for _, t in rows], [l for l, _ in rows], dev_texts=[t for _, t in dev],
                                     dev_labels=[l for l, _ in dev], calibration=calibration)


def per_label(clf, rows):
    from sklearn.metrics import f1_score
    gold = [label for label, _ in rows]
    pred = [p.top_label for p in clf.predict_many([t for _, t in rows])]
    labels = [label for label in LABELS if label in set(gold)]
    scores = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
    return " ".join(f"{label}={f:.2f}" for label, f in zip(labels, scores))


def flag_groups(clf, rows):
    """How right the flagged and the unflagged predictions are, and how many errors are flagged."""
    preds = clf.predict_many([t for _, t in rows])
    ok = [p.top_label == label for p, (label, _) in zip(preds, rows)]
    flagged = [o for o, p in zip(ok, preds) if p.needs_review]
    kept = [o for o, p in zip(ok, preds) if not p.needs_review]
    errors = len(ok) - sum(ok)
    def acc(xs):
        return f"{sum(xs) / len(xs):.3f}" if xs else "n/a"
    return (f"flagged {len(flagged)}/{len(rows)} ({len(flagged) / len(rows):.1%}) right {acc(flagged)}; "
            f"unflagged right {acc(kept)}; errors flagged {errors - (len(kept) - sum(kept))}/{errors}")


def ten_thousand(rows, seed=1):
    """10,000 training texts: the corpus plus perturbed copies (case, teencode, slips, no diacritics)."""
    rng = random.Random(seed)
    out = list(rows)
    while len(out) < 10_000:
        label, text = rng.choice(rows)
        out.append((label, surface(text, rng)[0]))
    return out


def main():
    corpus = load_bundled()
    start = time.perf_counter()
    sanity = read_tsv(SANITY_TSV)
    clf = fit(corpus.train, corpus.dev, [sanity])  # as nlp.registry trains it
    train_s = time.perf_counter() - start
    test_f1, stripped_f1, sanity_f1 = (evaluate(clf, corpus.test)[0], evaluate(clf, corpus.test, strip=True)[0],
                                       evaluate(clf, sanity)[0])
    unseen = read_tsv(UNSEEN_TSV) if UNSEEN_TSV.exists() else []
    if unseen:
        unseen_f1, unseen_strip_f1 = evaluate(clf, unseen)[0], evaluate(clf, unseen, strip=True)[0]
    texts = [t for _, t in corpus.test + sanity]
    flagged = sum(p.needs_review for p in clf.predict_many(texts)) / len(texts)

    calls = (texts * (2000 // len(texts) + 1))[:2400]
    for text in calls[:100]:
        clf.predict(text)  # warm-up
    lat = []
    for text in calls:
        t0 = time.perf_counter()
        clf.predict(text)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    huge = "Đường vào thôn bị sạt lở, xe không đi được, đề nghị xã sửa. " * 1700  # about 100,000 characters
    t0 = time.perf_counter()
    for _ in range(20):
        clf.predict(huge)
    huge_ms = (time.perf_counter() - t0) / 20 * 1000

    big = ten_thousand(corpus.train)
    t0 = time.perf_counter()
    fit(big, corpus.dev)
    big_s = time.perf_counter() - t0

    print(f"corpus               train={len(corpus.train)} dev={len(corpus.dev)} test={len(corpus.test)} "
          f"sanity={len(sanity)} unseen={len(unseen)}")
    print(f"macro_f1 test        {test_f1:.4f}")
    print(f"macro_f1 test strip  {stripped_f1:.4f}")
    print(f"macro_f1 sanity      {sanity_f1:.4f}")
    if unseen:
        print(f"macro_f1 unseen      {unseen_f1:.4f}")
        print(f"macro_f1 unseen strip {unseen_strip_f1:.4f}")
    print(f"lowest F1 test       {lowest_labels(clf, corpus.test)}")
    if unseen:
        print(f"lowest F1 unseen     {lowest_labels(clf, unseen)}")
    for name, rows in (("test", corpus.test), ("sanity", sanity), ("unseen", unseen)):
        if rows:
            print(f"per-label F1 {name:7} {per_label(clf, rows)}")
    for name, rows in (("test", corpus.test), ("sanity", sanity), ("unseen", unseen)):
        if rows:
            print(f"review {name:7}       {flag_groups(clf, rows)}")
    print(f"review rule          confidence < {clf.threshold:.4f} or margin < {clf.margin_threshold:.4f} "
          f"(dev + sanity, kept accuracy >= {clf.review_target}); unseen is not used to choose it")
    print(f"flagged for review   {flagged:.1%} of test+sanity, {clf.metadata['dev']['flagged_share']:.1%} of dev")
    print(f"features             {clf.featurizer.n_features}")
    print(f"predict latency      mean {statistics.mean(lat):.3f} ms, p99 {lat[int(len(lat) * 0.99)]:.3f} ms "
          f"over {len(lat)} single-text calls")
    print(f"predict 100k chars   {huge_ms:.2f} ms (read up to nlp.normalize.MAX_CHARS)")
    print(f"train bundled        {train_s:.1f} s ({len(corpus.train)} texts)")
    print(f"train 10k            {big_s:.1f} s ({len(big)} texts)")


if __name__ == "__main__":
    main()
