"""Held-out evaluation of a trained classifier, as written and with diacritics stripped."""
from nlp import metrics
from nlp.normalize import strip_diacritics


def evaluate(clf, rows, strip=False):
    """(macro_f1, report lines) of clf on [(label, text)]; labels the model never saw still count."""
    gold = [label for label, _ in rows]
    texts = [strip_diacritics(text) if strip else text for _, text in rows]
    pred = [p.top_label for p in clf.predict_many(texts)]
    labels = list(clf.labels) + sorted(set(gold) - set(clf.labels))
    return metrics.macro_f1(gold, pred, sorted(set(gold))), metrics.report(gold, pred, labels)


def accuracy(clf, rows):
    """Share of [(label, text)] whose top label is the given one (staff corrections: production accuracy)."""
    if not rows:
        return 0.0
    preds = clf.predict_many([t for _, t in rows])
    return sum(p.top_label == label for p, (label, _) in zip(preds, rows)) / len(rows)


def heldout_metrics(clf, test_rows):
    """The metrics dict stored in model metadata."""
    gold, labels = [l for l, _ in test_rows], sorted({l for l, _ in test_rows})
    preds = clf.predict_many([t for _, t in test_rows])
    written = metrics.macro_f1(gold, [p.top_label for p in preds], labels)
    bare, _ = evaluate(clf, test_rows, strip=True)
    flagged = sum(p.needs_review for p in preds) / len(test_rows)
    return {"n_test": len(test_rows), "macro_f1_test": round(written, 4),
            "macro_f1_test_accentless": round(bare, 4), "flagged_share_test": round(flagged, 4)}
