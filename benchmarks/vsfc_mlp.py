"""Issue #12 item 6 experiments beyond benchmarks/vsfc.py: a one-hidden-layer MLP over the complaint
model's sparse TF-IDF features (alone, seed-averaged, and blended with the LinearSVC's calibrated
probabilities), bagged LinearSVCs, and underthesea's segmented words as a third feature block beside the raw
words and char n-grams. None of them beat the LinearSVC on dev (benchmarks/RESULTS.md, "MLP, bagging and a
segmented block"), so none is an option of ComplaintClassifier; this script is how the figures were made.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 1 .venv/bin/python benchmarks/vsfc_mlp.py
        --data /tmp/vsfc mlp [--hidden 256 --epochs 2 ...]     (one command line; also: bag, seg)

Data: as for benchmarks/vsfc.py (UIT-VSFC, not committed). Features: word 1–3-grams of the written view +
char 1–6-grams (analyzer "char") of the accentless view, min_df 3 (`wide_mindf3`) or 1 (`--feat wide`),
fitted on the training texts twice (written and stripped), as ComplaintClassifier does. Dev and test are
transformed as written and stripped; the four macro-F1 figures are dev written / accentless, test written /
accentless. Choose by the mean of the two dev figures, never by test.

The MLP is trained here in numpy (not sklearn's MLPClassifier, which updates every row of the 79k x 256
first layer with Adam on every minibatch: about 30 s an epoch on one core, against about 8 s here with
Adam applied lazily to the rows a minibatch touches). `seg` needs underthesea (not a dependency of the app;
install it in a throwaway venv with scikit-learn 1.9.1 and run this script with that venv's python).
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from vsfc import read_split  # noqa: E402

from nlp.features import Featurizer, training_views  # noqa: E402
from nlp.metrics import fit_temperature, macro_f1, softmax  # noqa: E402
from nlp.normalize import normalize, strip_diacritics  # noqa: E402

FEATURES = dict(word_ngrams=(1, 3), char_ngrams=(1, 6), char_analyzer="char", max_word=None, max_char=None)
SETS = ("dev_written", "dev_bare", "test_written", "test_bare")


class SparseMLP:
    """relu(x W1 + b1) W2 + b2 over sparse rows; softmax cross-entropy with class weights; Adam, applied only
    to the rows of W1 that a minibatch touches; dropout on the hidden units and optionally on the input
    values."""

    def __init__(self, hidden=256, epochs=2, batch=128, lr=2e-3, dropout=0.5, l2=0.0, class_weight="sqrt",
                 init=0.05, seed=13, in_drop=0.0):
        self.hidden, self.epochs, self.batch, self.lr, self.dropout = hidden, epochs, batch, lr, dropout
        self.l2, self.class_weight, self.init, self.seed, self.in_drop = l2, class_weight, init, seed, in_drop

    def fit(self, X, y, callback=None):
        X = sp.csr_matrix(X, dtype=np.float32)
        self.classes_, yi = np.unique(y, return_inverse=True)
        n, F = X.shape
        K, H = len(self.classes_), self.hidden
        rng = np.random.default_rng(self.seed)
        balanced = n / (K * np.bincount(yi, minlength=K))
        cw = {"balanced": balanced, "sqrt": np.sqrt(balanced)}.get(self.class_weight, np.ones(K)).astype(np.float32)
        W1 = (rng.standard_normal((F, H)) * self.init).astype(np.float32)
        b1 = np.zeros(H, np.float32)
        W2 = (rng.standard_normal((H, K)) * np.sqrt(2.0 / (H + K))).astype(np.float32)
        b2 = np.zeros(K, np.float32)
        params = [W1, b1, W2, b2]
        m, v = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]
        beta1, beta2, eps, t = 0.9, 0.999, 1e-8, 0
        for ep in range(self.epochs):
            order = rng.permutation(n)
            for s in range(0, n, self.batch):
                idx = order[s:s + self.batch]
                Xb, yb, B = X[idx], yi[idx], len(idx)
                if self.in_drop:
                    Xb = Xb.copy()
                    Xb.data *= (rng.random(Xb.data.shape) >= self.in_drop) / (1 - self.in_drop)
                Z = Xb @ W1 + b1
                Hh = np.maximum(Z, 0)
                if self.dropout:
                    mask = (rng.random(Hh.shape) >= self.dropout).astype(np.float32) / (1 - self.dropout)
                    Hh = Hh * mask
                L = Hh @ W2 + b2
                L -= L.max(1, keepdims=True)
                P = np.exp(L)
                P /= P.sum(1, keepdims=True)
                w = cw[yb] / cw[yb].sum()
                dL = P
                dL[np.arange(B), yb] -= 1
                dL *= w[:, None]
                gW2, gb2 = Hh.T @ dL, dL.sum(0)
                dH = dL @ W2.T
                if self.dropout:
                    dH *= mask
                dZ = dH * (Z > 0)
                gb1 = dZ.sum(0)
                cols = np.unique(Xb.indices)
                gW1 = (Xb[:, cols].T @ dZ).astype(np.float32)
                if self.l2:
                    gW1 += self.l2 * W1[cols]
                    gW2 += self.l2 * W2
                t += 1
                lr_t = self.lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
                m0 = m[0][cols] * beta1 + (1 - beta1) * gW1
                v0 = v[0][cols] * beta2 + (1 - beta2) * gW1 * gW1
                m[0][cols], v[0][cols] = m0, v0
                W1[cols] -= lr_t * m0 / (np.sqrt(v0) + eps)
                for i, g in ((1, gb1), (2, gW2), (3, gb2)):
                    m[i] = m[i] * beta1 + (1 - beta1) * g
                    v[i] = v[i] * beta2 + (1 - beta2) * g * g
                    params[i] -= lr_t * m[i] / (np.sqrt(v[i]) + eps)
            self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2
            if callback:
                callback(self, ep + 1)
        return self

    def decision_function(self, X):
        return np.maximum(sp.csr_matrix(X, dtype=np.float32) @ self.W1 + self.b1, 0) @ self.W2 + self.b2


def load(root, min_df):
    train, dev, test = (read_split(root, s) for s in ("train", "dev", "test"))
    normed, y = training_views([t for _, t in train], [l for l, _ in train])
    fz = Featurizer(**FEATURES, min_df=min_df)
    X = fz.fit_transform_normalised(normed)
    views = {"dev_written": [normalize(t) for _, t in dev],
             "dev_bare": [normalize(strip_diacritics(t)) for _, t in dev],
             "test_written": [normalize(t) for _, t in test],
             "test_bare": [normalize(strip_diacritics(t)) for _, t in test]}
    sets = {k: sp.hstack([fz.words.transform(v), fz.chars.transform([strip_diacritics(t) for t in v])], format="csr")
            for k, v in views.items()}
    gold = {"dev_written": [l for l, _ in dev], "dev_bare": [l for l, _ in dev],
            "test_written": [l for l, _ in test], "test_bare": [l for l, _ in test]}
    return dict(X=X, y=np.array(y), sets=sets, gold={k: np.array(v) for k, v in gold.items()}, normed=normed,
                views=views, train=train)


def figures(d, probs, labels):
    return [macro_f1(d["gold"][k], labels[probs[k].argmax(1)], sorted(set(d["gold"][k]))) for k in SETS]


def line(name, r, extra=""):
    return (f"{name:44} dev {r[0]:.4f} / {r[1]:.4f} (mean {(r[0] + r[1]) / 2:.4f})  "
            f"test {r[2]:.4f} / {r[3]:.4f}  {extra}")


def calibrated(d, decision, labels):
    """Softmax probabilities of every set, temperature fitted on dev (both views), as ComplaintClassifier."""
    scores = {k: decision(d["sets"][k]) for k in SETS}
    gold = np.searchsorted(labels, np.concatenate([d["gold"]["dev_written"], d["gold"]["dev_bare"]]))
    T = fit_temperature(np.vstack([scores["dev_written"], scores["dev_bare"]]), gold)
    return {k: softmax(s, T) for k, s in scores.items()}


def svc(d, C=0.3, rows=None):
    X, y = (d["X"], d["y"]) if rows is None else (d["X"][rows], d["y"][rows])
    return LinearSVC(C=C, class_weight="balanced", random_state=13, max_iter=5000).fit(X, y)


def run_mlp(d, a):
    t0 = time.perf_counter()
    ref = svc(d, a.C)
    labels = ref.classes_
    p_svc = calibrated(d, ref.decision_function, labels)
    print(line("LinearSVC C 0.3 balanced (reference)", figures(d, p_svc, labels), f"{time.perf_counter() - t0:.1f} s"))
    tag = (f"h{a.hidden} ep{a.epochs} bs{a.batch} lr{a.lr} do{a.dropout} ind{a.in_drop} l2{a.l2} {a.cw} "
           f"init{a.init}")
    mlps = []
    for k in range(a.seeds):
        t0 = time.perf_counter()
        def trace(m, ep, seed=13 + k):
            print(line(f"  mlp seed {seed} epoch {ep}", figures(
                d, {s: m.decision_function(d["sets"][s]) for s in SETS}, labels)), flush=True)
        model = SparseMLP(a.hidden, a.epochs, a.batch, a.lr, a.dropout, a.l2, a.cw, a.init, 13 + k,
                          a.in_drop).fit(d["X"], d["y"], trace if a.trace else None)
        mlps.append(calibrated(d, model.decision_function, labels))
        print(line(f"mlp {tag} seed {13 + k}", figures(d, mlps[-1], labels), f"{time.perf_counter() - t0:.1f} s"))
        avg = {s: np.mean([p[s] for p in mlps], 0) for s in SETS}
        if k:
            print(line(f"  mlp mean of {k + 1} seeds", figures(d, avg, labels)))
        for w in (0.3, 0.5, 0.7):
            blend = {s: (1 - w) * p_svc[s] + w * avg[s] for s in SETS}
            print(line(f"  svc x {1 - w:.1f} + mlp({k + 1}) x {w:.1f}", figures(d, blend, labels)), flush=True)


def run_bag(d, a):
    """Bootstrap samples of the training texts (both views of a text together), one LinearSVC each; the mean
    of their weights is one linear model, so predicting costs what one LinearSVC costs."""
    src = []
    for i, (_, text) in enumerate(d["train"]):
        n = normalize(text)
        src += [i] * (1 if strip_diacritics(n) == n else 2)
    src = np.array(src)
    rng = np.random.default_rng(13)
    coefs, biases, t0 = [], [], time.perf_counter()
    for k in range(a.bags):
        counts = np.bincount(rng.integers(0, len(d["train"]), len(d["train"])), minlength=len(d["train"]))
        model = svc(d, a.C, np.repeat(np.arange(len(src)), counts[src]))
        coefs.append(model.coef_)
        biases.append(model.intercept_)
        W, b = np.mean(coefs, 0), np.mean(biases, 0)
        probs = {s: d["sets"][s] @ W.T + b for s in SETS}
        print(line(f"bagged LinearSVC x {k + 1}", figures(d, probs, model.classes_),
                   f"{time.perf_counter() - t0:.1f} s"), flush=True)


def run_seg(d, a):
    """underthesea's segmented words (1–n-grams, weighted) as a third block beside raw words and chars."""
    from underthesea import word_tokenize
    cache = {}

    def view(t):
        if t not in cache:
            cache[t] = word_tokenize(t, format="text")
        s = cache[t]
        return s if a.seg_kind == "all" else " ".join(w for w in s.split() if "_" in w)

    for ngram, min_df, kind, weight in ((1, a.min_df, "all", 1.0), (2, a.min_df, "all", 1.0),
                                        (1, 1, "compounds", 1.0), (2, a.min_df, "all", 0.5)):
        a.seg_kind = kind
        vec = TfidfVectorizer(ngram_range=(1, ngram), token_pattern=r"(?u)\b\w+\b", lowercase=False,
                              sublinear_tf=True, min_df=min_df, dtype=np.float32)
        S = vec.fit_transform([view(t) for t in d["normed"]]) * weight
        dd = dict(d, X=sp.hstack([d["X"], S], format="csr"),
                  sets={k: sp.hstack([d["sets"][k], vec.transform([view(t) for t in d["views"][k]]) * weight],
                                     format="csr") for k in SETS})
        t0 = time.perf_counter()
        model = svc(dd, a.C)
        probs = {s: model.decision_function(dd["sets"][s]) for s in SETS}
        print(line(f"LinearSVC + segmented {kind} 1-{ngram} min_df {min_df} x{weight}",
                   figures(dd, probs, model.classes_),
                   f"{time.perf_counter() - t0:.1f} s, +{len(vec.vocabulary_)} features"), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("mlp", "bag", "seg"))
    parser.add_argument("--data", required=True)
    parser.add_argument("--feat", choices=("mindf3", "wide"), default="mindf3")
    parser.add_argument("--C", type=float, default=0.3)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--in-drop", dest="in_drop", type=float, default=0.0)
    parser.add_argument("--l2", type=float, default=0.0)
    parser.add_argument("--cw", choices=("balanced", "sqrt", "none"), default="sqrt")
    parser.add_argument("--init", type=float, default=0.05)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--trace", action="store_true", help="figures after every epoch (MLP alone, raw scores)")
    parser.add_argument("--bags", type=int, default=10)
    a = parser.parse_args(argv)
    a.min_df = 3 if a.feat == "mindf3" else 1
    d = load(a.data, a.min_df)
    print(f"UIT-VSFC topics  {a.feat}: {d['X'].shape[1]} features, {d['X'].shape[0]} training views", flush=True)
    {"mlp": run_mlp, "bag": run_bag, "seg": run_seg}[a.what](d, a)


if __name__ == "__main__":
    main()
