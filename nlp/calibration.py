"""Choices made on held-out texts: a family-disjoint holdout when no dev split is given, and the
"needs review" rule (confidence below t, or the first two labels closer than m)."""
import hashlib

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.metrics import macro_f1
from nlp.normalize import accentless

FAMILY_COSINE = 0.6  # texts at least this similar (char 3–5-grams) are variants of one family
HOLDOUT_SHARE = 0.2


def family_groups(texts, threshold=FAMILY_COSINE, block=1000):
    """Group id per text: connected components of the 'char n-gram cosine >= threshold' graph, so
    perturbed copies of one sentence (teencode, no diacritics, slips) share a group."""
    X = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                        dtype=np.float32).fit_transform([accentless(t) for t in texts])
    rows, cols = [], []
    for start in range(0, X.shape[0], block):
        sims = (X[start:start + block] @ X.T).toarray()
        r, c = np.nonzero(sims >= threshold)
        rows.append(r + start)
        cols.append(c)
    n = X.shape[0]
    graph = sp.csr_matrix((np.ones(sum(map(len, rows))), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(n, n))
    return connected_components(graph, directed=False)[1]


def family_holdout(texts, labels, seed, share=HOLDOUT_SHARE):
    """((fit_texts, fit_labels), (held_texts, held_labels)): whole families are held out, in an order
    fixed by a hash of (seed, family), until about `share` of every label is held out."""
    groups = family_groups(texts)
    members = {}
    for i, g in enumerate(groups):
        members.setdefault(int(g), []).append(i)
    totals = {label: labels.count(label) for label in set(labels)}
    held_count = dict.fromkeys(totals, 0)
    def key(g):
        return hashlib.sha1(f"{seed}\t{texts[members[g][0]]}".encode()).hexdigest()
    held = set()
    for g in sorted(members, key=key):
        need = {}
        for i in members[g]:
            need[labels[i]] = need.get(labels[i], 0) + 1
        if all(held_count[l] + k <= max(1, round(totals[l] * share)) for l, k in need.items()):
            held.update(members[g])
            for l, k in need.items():
                held_count[l] += k
    def pick(keep):
        return ([texts[i] for i in range(len(texts)) if (i in held) == keep],
                             [labels[i] for i in range(len(texts)) if (i in held) == keep])
    return pick(False), pick(True)


def choose_review_rule(confidence, margin, correct, weights=None, target=0.95, max_flag=0.5, grid=40):
    """(t, m) flagging texts with confidence < t or margin < m: the pair that flags the least (weighted)
    share of texts while the kept ones are right at least `target` of the time; if no pair reaches the
    target, the one with the best kept accuracy that flags at most `max_flag`."""
    confidence, margin = np.asarray(confidence, float), np.asarray(margin, float)
    ok = np.asarray(correct, float)
    w = np.ones_like(ok) if weights is None else np.asarray(weights, float)
    w = w / w.sum()
    t_grid = np.unique(np.concatenate([[0.0], np.quantile(confidence, np.linspace(0, 0.6, grid))]))
    m_grid = np.unique(np.concatenate([[0.0], np.quantile(margin, np.linspace(0, 0.6, grid))]))
    best, fallback = None, None
    for t in t_grid:
        for m in m_grid:
            kept = (confidence >= t) & (margin >= m)
            flagged = 1.0 - w[kept].sum()
            if flagged > max_flag or not kept.any():
                continue
            acc = (w[kept] * ok[kept]).sum() / w[kept].sum()
            if acc >= target and (best is None or flagged < best[0]):
                best = (flagged, float(t), float(m))
            if fallback is None or acc > fallback[0]:
                fallback = (acc, float(t), float(m))
    if best is not None:
        return best[1], best[2]
    return (fallback[1], fallback[2]) if fallback else (0.0, 0.0)


OFFSET_GRID = np.round(np.linspace(-0.6, 0.6, 49), 3)  # linear SVM scores live in about [-2, 2]


def tune_offsets(scores, gold, grid=OFFSET_GRID, rounds=3):
    """Per-label offsets added to the linear scores that maximise macro-F1 of argmax(scores + offsets).

    Why: class_weight="balanced" fixes the priors only roughly, and macro-F1 weighs a small label (a rare
    topic, "other") as much as the largest, so a slightly different boundary for it is worth a lot.
    Coordinate search: the first label stays at 0 (only differences matter); each other label tries
    every grid value in turn, smallest magnitude first, and a move is kept only if it strictly improves
    macro-F1 — so with nothing to gain the offsets stay 0. Tune on texts the model was not fitted on."""
    scores, gold = np.asarray(scores, float), np.asarray(gold)
    n = scores.shape[1]
    offsets = np.zeros(n)
    best = macro_f1(gold, scores.argmax(axis=1), range(n))
    order = sorted(grid, key=abs)
    for _ in range(rounds):
        moved = False
        for k in range(1, n):
            for value in order:
                trial = offsets.copy()
                trial[k] = value
                f1 = macro_f1(gold, (scores + trial).argmax(axis=1), range(n))
                if f1 > best + 1e-12:
                    best, offsets, moved = f1, trial, True
        if not moved:
            break
    return offsets, best
