"""The complaint classifier: TF-IDF features, a linear SVM, temperature-calibrated probabilities,
and a "needs review" threshold chosen on a dev split."""
import datetime as dt
import os
import random
from dataclasses import dataclass, field

import joblib
import numpy as np
import sklearn
from sklearn.svm import LinearSVC

from nlp import NEEDS_REVIEW, metrics
from nlp.corpus import data_sha256
from nlp.features import Featurizer, training_views

FORMAT = 1  # bump when the pickled layout changes; older files then raise ModelUnavailable
DEFAULT_SEED = 13
DEV_SHARE = 0.15  # held out of `fit` for calibration when no dev split is given


class ModelUnavailable(RuntimeError):
    """The model file is missing, corrupt or from an incompatible version."""


@dataclass(frozen=True)
class Prediction:
    label: str          # top_label, or NEEDS_REVIEW when confidence < threshold
    top_label: str
    confidence: float   # calibrated probability of top_label, 0–1
    top3: list = field(default_factory=list)  # [(label, probability)], best first
    needs_review: bool = False


def _holdout(texts, labels, seed):
    """Stratified DEV_SHARE split of (texts, labels) for calibration, deterministic in seed."""
    rng = random.Random(seed)
    by_label = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    dev = set()
    for label in sorted(by_label):
        idx = by_label[label]
        rng.shuffle(idx)
        dev.update(idx[:int(len(idx) * DEV_SHARE)] if len(idx) >= 5 else [])
    split = lambda keep: ([texts[i] for i in range(len(texts)) if (i in dev) == keep],
                          [labels[i] for i in range(len(labels)) if (i in dev) == keep])
    return split(False), split(True)


class ComplaintClassifier:
    """fit / predict / save / load. Any label set works; `metadata` travels with the saved file."""

    def __init__(self, C=0.6, review_target=0.95):
        self.C = C
        self.review_target = review_target
        self.featurizer = None
        self.model = None
        self.temperature = 1.0
        self.threshold = 0.0
        self.metadata = {}

    @property
    def labels(self):
        return self._labels

    def _fit_core(self, texts, labels, seed):
        normed, y = training_views(texts, labels)
        self.featurizer = Featurizer()
        X = self.featurizer.fit_transform_normalised(normed)
        self.model = LinearSVC(C=self.C, random_state=seed, max_iter=5000).fit(X, y)
        self.featurizer.compile()
        self._labels = tuple(str(c) for c in self.model.classes_)
        coef = self.model.coef_ if len(self.model.classes_) > 2 else np.vstack([-self.model.coef_, self.model.coef_])
        bias = self.model.intercept_ if len(self.model.classes_) > 2 else np.array([-1.0, 1.0]) * self.model.intercept_
        self._weights, self._bias = np.ascontiguousarray(coef.T), bias  # (n_features, n_labels)

    def fit(self, texts, labels, seed=DEFAULT_SEED, dev_texts=None, dev_labels=None, progress=None):
        """Train on texts/labels; calibrate and pick the review threshold on the dev split, or on a
        stratified 15 % held out of the training data (then refit on all of it) when none is given."""
        say = progress or (lambda msg: None)
        texts, labels = list(texts), list(labels)
        if dev_texts is None:
            (fit_t, fit_l), (dev_texts, dev_labels) = _holdout(texts, labels, seed)
            say(f"no dev split given: holding out {len(dev_texts)} of {len(texts)} texts for calibration")
            self._fit_core(fit_t, fit_l, seed)
            self._calibrate(dev_texts, dev_labels)
            say("refitting on all training texts (keeping that calibration)")
            self._fit_core(texts, labels, seed)
        else:
            self._fit_core(texts, labels, seed)
            self._calibrate(list(dev_texts), list(dev_labels))
        self.metadata.update({
            "format": FORMAT, "trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "data_sha256": data_sha256(zip(labels, texts)), "n_train": len(texts), "seed": seed,
            "labels": list(self.labels), "threshold": self.threshold, "temperature": self.temperature,
            "n_features": self.featurizer.n_features, "sklearn_version": sklearn.__version__,
        })
        self.metadata.setdefault("metrics", {})
        say(f"trained on {len(texts)} texts, {self.featurizer.n_features} features, "
            f"temperature {self.temperature:.3f}, review threshold {self.threshold:.3f}")
        return self

    def _calibrate(self, dev_texts, dev_labels):
        scores = self.decision(dev_texts)
        index = {label: i for i, label in enumerate(self.labels)}
        known = [i for i, label in enumerate(dev_labels) if label in index]
        gold = np.array([index[dev_labels[i]] for i in known])
        self.temperature = metrics.fit_temperature(scores[known], gold)
        probs = metrics.softmax(scores[known], self.temperature)
        self.threshold = metrics.choose_threshold(probs.max(axis=1), probs.argmax(axis=1) == gold,
                                                  target=self.review_target)
        self.metadata["dev"] = {"n": len(known), "macro_f1": metrics.macro_f1(
            [self.labels[g] for g in gold], [self.labels[p] for p in probs.argmax(axis=1)], self.labels),
            "flagged_share": float((probs.max(axis=1) < self.threshold).mean())}

    def decision(self, texts):
        """Linear scores (n_texts, n_labels), computed row by row: one text costs well under 1 ms."""
        rows = [self.featurizer.sparse_row(t) for t in texts]
        return np.array([vals @ self._weights[cols] + self._bias for cols, vals in rows]).reshape(
            len(rows), len(self.labels))

    def predict_proba(self, texts):
        return metrics.softmax(np.atleast_2d(self.decision(texts)), self.temperature)

    def predict_many(self, texts):
        return [self._prediction(row) for row in self.predict_proba(texts)]

    def predict(self, text):
        return self.predict_many([text])[0]

    def _prediction(self, probs):
        order = np.argsort(-probs, kind="stable")[:3]
        top3 = [(self.labels[i], float(probs[i])) for i in order]
        top_label, confidence = top3[0]
        review = confidence < self.threshold
        return Prediction(NEEDS_REVIEW if review else top_label, top_label, confidence, top3, review)

    def save(self, path):
        """Write the model and its metadata with joblib (via a temp file, then an atomic rename)."""
        tmp = f"{path}.tmp{os.getpid()}"
        joblib.dump({"format": FORMAT, "metadata": self.metadata, "classifier": self}, tmp, compress=3)
        os.replace(tmp, path)
        return path

    @staticmethod
    def load(path):
        """Load a saved model; any problem (missing, corrupt, other version) is ModelUnavailable."""
        try:
            payload = joblib.load(path)
        except FileNotFoundError as exc:
            raise ModelUnavailable(f"no model file at {path}") from exc
        except Exception as exc:  # joblib/pickle raise many types for damaged files
            raise ModelUnavailable(f"cannot read model file {path}: {exc}") from exc
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ModelUnavailable(f"{path}: not a HaiLong model of format {FORMAT}")
        clf = payload.get("classifier")
        version = payload["metadata"].get("sklearn_version")
        if version != sklearn.__version__:
            raise ModelUnavailable(f"{path}: trained with scikit-learn {version}, running {sklearn.__version__}")
        if not isinstance(clf, ComplaintClassifier) or clf.model is None:
            raise ModelUnavailable(f"{path}: no trained classifier inside")
        return clf
