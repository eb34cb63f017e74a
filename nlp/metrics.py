"""Evaluation figures and the choices made on the dev split (temperature, review threshold)."""
import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support


def macro_f1(gold, pred, labels):
    return float(f1_score(gold, pred, labels=list(labels), average="macro", zero_division=0))


def report(gold, pred, labels):
    """Per-label precision/recall/F1/support table and a confusion matrix, as text lines."""
    labels = [l for l in labels if l in set(gold) | set(pred)]
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    width = max(12, *map(len, labels))
    lines = [f"{'label':{width}}  precision  recall  f1      support"]
    for row in zip(labels, p, r, f, s):
        lines.append(f"{row[0]:{width}}  {row[1]:9.4f}  {row[2]:6.4f}  {row[3]:6.4f}  {int(row[4]):7d}")
    acc = float(np.mean(np.asarray(gold) == np.asarray(pred)))
    lines.append(f"accuracy {acc:.4f} over {len(gold)} texts")
    lines.append("")
    lines.append("confusion matrix (rows = gold, columns = predicted):")
    abbrev = [l[:6] for l in labels]
    lines.append(" " * width + " " + " ".join(f"{a:>6}" for a in abbrev))
    for label, row in zip(labels, confusion_matrix(gold, pred, labels=labels)):
        lines.append(f"{label:{width}} " + " ".join(f"{v:6d}" for v in row))
    return lines


def softmax(scores, temperature):
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores, gold_idx, weights=None):
    """Temperature minimising the (weighted) negative log-likelihood of softmax(scores / T) (grid search)."""
    grid = np.exp(np.linspace(np.log(0.02), np.log(5.0), 120))
    rows = np.arange(len(gold_idx))
    w = np.ones(len(rows)) if weights is None else np.asarray(weights, float)
    nll = [-(w * np.log(softmax(scores, t)[rows, gold_idx] + 1e-12)).sum() / w.sum() for t in grid]
    return float(grid[int(np.argmin(nll))])
