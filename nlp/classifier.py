"""The complaint classifier: TF-IDF features, a linear SVM, temperature-calibrated probabilities,
and a "needs review" rule (low confidence or a small margin to the second label) chosen on held-out texts."""
import datetime as dt
import os
from dataclasses import dataclass, field

import joblib
import numpy as np
import sklearn
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from nlp import NEEDS_REVIEW, metrics
from nlp.calibration import choose_review_rule, family_holdout, tune_offsets
from nlp.corpus import data_sha256
from nlp.features import Featurizer, training_views
from nlp.fields import CLAUSE_MIN, lists_several_problems, two_problems
from nlp.normalize import strip_diacritics

FORMAT = 2  # bump when the pickled layout changes; older files then raise ModelUnavailable
# The complaint model's features beyond Featurizer's defaults: pretrained word vectors as a dense block half
# as long as each (unit-length) n-gram block (nlp.vectors; why 0.5: benchmarks/RESULTS.md, "word vectors").
DEFAULT_FEATURES = {"vectors": "deepai", "vectors_weight": 0.5}
DEFAULT_SEED = 13
CV_FOLDS = 5  # folds of the out-of-fold scores that bias_offsets="cv" tunes on


class ModelUnavailable(RuntimeError):
    """The model file is missing, corrupt or from an incompatible version."""


@dataclass(frozen=True)
class Prediction:
    label: str          # top_label, or NEEDS_REVIEW when confidence < threshold
    top_label: str
    confidence: float   # calibrated probability of top_label, 0–1
    top3: list = field(default_factory=list)  # [(label, probability)], best first
    needs_review: bool = False
    margin: float = 0.0  # probability of the first label minus that of the second
    labels: tuple = ()   # the fields of the message: (main,) or (main, second) for two separate problems
    reason: str = ""     # why it needs review: "no_words", "low_confidence", "small_margin", "several_problems"

    @property
    def second_label(self):
        """The other field shown to staff beside the first: the second problem of a two-problem
        message, else the runner-up (None when there is nothing to judge)."""
        if len(self.labels) > 1:
            return self.labels[1]
        return self.top3[1][0] if len(self.top3) > 1 else None

    def ranked(self):
        """top3 with the message's fields first (main, second problem), then the rest by probability."""
        first = [pair for label in self.labels for pair in self.top3 if pair[0] == label]
        return first + [pair for pair in self.top3 if pair[0] not in self.labels]


class ComplaintClassifier:
    """fit / predict / save / load. Any label set works; `metadata` travels with the saved file."""

    def __init__(self, C=0.6, review_target=0.95, class_weight=None, features=None, bias_offsets=None,
                 multi_field=True):
        self.C = C
        # Whether a prediction looks for several fields in one message (two problems, a list of problems):
        # complaints do; a task with one label per text (UIT-VSFC topics) need not pay for the second look.
        self.multi_field = multi_field
        self.class_weight = class_weight
        # None (the complaint model), "dev" or "cv": per-label offsets added to the linear scores, tuned to
        # maximise macro-F1 on the dev split or on out-of-fold scores of the training texts (see
        # _tune_bias). They end up inside the bias, so predicting costs nothing more.
        if bias_offsets not in (None, "dev", "cv"):
            raise ValueError(f"bias_offsets must be None, 'dev' or 'cv', not {bias_offsets!r}")
        self.bias_offsets = bias_offsets  # read by fit only: files saved before it load and predict as before
        self.features = dict(DEFAULT_FEATURES if features is None else features)  # keyword arguments of Featurizer
        self.review_target = review_target
        self.featurizer = None
        self.model = None
        self.temperature = 1.0
        self.threshold = 0.0         # flag below this confidence ...
        self.margin_threshold = 0.0  # ... or below this margin between the first two labels
        self.metadata = {}

    @property
    def labels(self):
        return self._labels

    def _fit_core(self, texts, labels, seed):
        normed, y = training_views(texts, labels)
        self.featurizer = Featurizer(**self.features)
        X = self.featurizer.fit_transform_normalised(normed)
        self.model = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=seed,
                               max_iter=5000).fit(X, y)
        self.featurizer.compile()
        self._labels = tuple(str(c) for c in self.model.classes_)
        coef = self.model.coef_ if len(self.model.classes_) > 2 else np.vstack([-self.model.coef_, self.model.coef_])
        bias = self.model.intercept_ if len(self.model.classes_) > 2 else np.array([-1.0, 1.0]) * self.model.intercept_
        self._weights, self._bias = np.ascontiguousarray(coef.T), bias  # (n_features, n_labels)

    def fit(self, texts, labels, seed=DEFAULT_SEED, dev_texts=None, dev_labels=None, progress=None,
            calibration=()):
        """Train on texts/labels; calibrate and choose the review rule on the dev split plus any other
        `calibration` sets [(label, text)] (each weighted as much as dev: texts written differently).
        Without a dev split, whole families of near-identical texts are held out for calibration
        (then the model is refitted on everything)."""
        say = progress or (lambda msg: None)
        texts, labels = list(texts), list(labels)
        if dev_texts is None:
            (fit_t, fit_l), (dev_texts, dev_labels) = family_holdout(texts, labels, seed)
            say(f"no dev split given: holding out {len(dev_texts)} of {len(texts)} texts "
                f"(whole families of near-identical texts) for calibration")
            self._fit_core(fit_t, fit_l, seed)
            offsets = self._tune_bias(fit_t, fit_l, dev_texts, dev_labels, seed, say)
            self._calibrate(dev_texts, dev_labels, calibration)
            say("refitting on all training texts (keeping that calibration)")
            self._fit_core(texts, labels, seed)
            self._bias = self._bias + offsets
        else:
            self._fit_core(texts, labels, seed)
            self._tune_bias(texts, labels, list(dev_texts), list(dev_labels), seed, say)
            self._calibrate(list(dev_texts), list(dev_labels), calibration)
        self.metadata.update({
            "format": FORMAT, "trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "data_sha256": data_sha256(zip(labels, texts)), "n_train": len(texts), "seed": seed,
            "labels": list(self.labels), "threshold": self.threshold, "temperature": self.temperature,
            "margin_threshold": self.margin_threshold,
            "n_features": self.featurizer.n_features, "sklearn_version": sklearn.__version__,
            "word_vectors": self.featurizer.vectors,
        })
        self.metadata.setdefault("metrics", {})
        if self.featurizer.vectors_error:
            say(f"word vectors unavailable, trained on the n-grams alone: {self.featurizer.vectors_error}")
        say(f"trained on {len(texts)} texts, {self.featurizer.n_features} features, "
            f"temperature {self.temperature:.3f}, review below confidence {self.threshold:.3f} "
            f"or margin {self.margin_threshold:.3f}")
        return self

    def _tune_bias(self, texts, labels, dev_texts, dev_labels, seed, say=lambda msg: None):
        """Add the offsets of `bias_offsets` to the bias (and return them; zeros when it is None).

        Each text counts twice, as written and without diacritics, because the one model is judged both
        ways. "dev" tunes on the dev split: cheap, but with few texts of a small label it follows that
        split's noise (on UIT-VSFC it lowered test macro-F1, see benchmarks/RESULTS.md). "cv" tunes on
        out-of-fold scores of the training texts (CV_FOLDS more fits): more texts, so steadier offsets."""
        offsets = np.zeros(len(self.labels))
        if self.bias_offsets is None:
            return offsets
        if self.bias_offsets == "dev":
            scores, gold = self._scored_views(self, dev_texts, dev_labels)
        else:
            scores, gold = self._out_of_fold(texts, labels, seed)
        offsets, f1 = tune_offsets(scores, gold)
        self._bias = self._bias + offsets
        self.metadata["bias_offsets"] = {"source": self.bias_offsets, "macro_f1_tuned": f1,
                                         "offsets": dict(zip(self.labels, map(float, offsets)))}
        say(f"bias offsets tuned on {self.bias_offsets}: "
            + ", ".join(f"{label} {o:+.3f}" for label, o in zip(self.labels, offsets)))
        return offsets

    def _scored_views(self, model, texts, labels):
        """Scores of `model` (columns in self.labels order) for each text as written and accentless, and
        the gold label indices; texts whose label the model does not know are left out."""
        index = {label: i for i, label in enumerate(self.labels)}
        rows = [(t, index[str(l)]) for t, l in zip(texts, labels) if str(l) in index]
        texts = [t for t, _ in rows] + [strip_diacritics(t) for t, _ in rows]
        cols = [list(model.labels).index(label) if label in model.labels else None for label in self.labels]
        raw = model.decision(texts)
        scores = np.column_stack([raw[:, c] if c is not None else np.full(len(texts), -np.inf) for c in cols])
        return scores, np.array([g for _, g in rows] * 2, dtype=int)

    def _out_of_fold(self, texts, labels, seed):
        """Scores of every training text by a model fitted without its fold (same settings)."""
        labels = [str(l) for l in labels]
        folds = min(CV_FOLDS, min(labels.count(label) for label in self.labels))
        if folds < 2:
            raise ValueError('bias_offsets="cv" needs at least two training texts of every label')
        scores, gold = [], []
        for fit_idx, held_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, labels):
            fold = ComplaintClassifier(C=self.C, class_weight=self.class_weight, features=self.features)
            fold._fit_core([texts[i] for i in fit_idx], [labels[i] for i in fit_idx], seed)
            s, g = self._scored_views(fold, [texts[i] for i in held_idx], [labels[i] for i in held_idx])
            scores.append(s)
            gold.append(g)
        return np.vstack(scores), np.concatenate(gold)

    def _calibrate(self, dev_texts, dev_labels, calibration=()):
        index = {label: i for i, label in enumerate(self.labels)}
        sets = [list(zip(dev_labels, dev_texts))] + [list(rows) for rows in calibration if rows]
        texts, gold, weights = [], [], []
        for rows in sets:
            rows = [(l, t) for l, t in rows if l in index]
            texts += [t for _, t in rows]
            gold += [index[l] for l, _ in rows]
            weights += [1.0 / max(1, len(rows))] * len(rows)
        gold, weights = np.array(gold), np.array(weights)
        scores = self.decision(texts)
        self.temperature = metrics.fit_temperature(scores, gold, weights)
        probs = metrics.softmax(scores, self.temperature)
        top2 = -np.sort(-probs, axis=1)[:, :2] if probs.shape[1] > 1 else np.hstack([probs, 0 * probs])
        correct = probs.argmax(axis=1) == gold
        self.threshold, self.margin_threshold = choose_review_rule(
            top2[:, 0], top2[:, 0] - top2[:, 1], correct, weights, target=self.review_target)
        flagged = (top2[:, 0] < self.threshold) | (top2[:, 0] - top2[:, 1] < self.margin_threshold)
        n_dev = len(sets[0])
        self.metadata["dev"] = {"n": n_dev, "n_calibration": len(texts), "macro_f1": metrics.macro_f1(
            [self.labels[g] for g in gold[:n_dev]], [self.labels[p] for p in probs[:n_dev].argmax(axis=1)],
            self.labels), "flagged_share": float(flagged[:n_dev].mean()) if n_dev else 0.0,
            "flagged_share_calibration": float((weights * flagged).sum() / weights.sum())}

    def _rows(self, texts):
        return [self.featurizer.sparse_row(t) for t in texts]

    def _scores(self, rows):
        return np.array([vals @ self._weights[cols] + self._bias for cols, vals in rows]).reshape(
            len(rows), len(self.labels))

    def decision(self, texts):
        """Linear scores (n_texts, n_labels), computed row by row: one text costs well under 1 ms."""
        return self._scores(self._rows(texts))

    def predict_proba(self, texts):
        return metrics.softmax(np.atleast_2d(self.decision(texts)), self.temperature)

    def predict_many(self, texts):
        texts = list(texts)
        rows = self._rows(texts)
        probs = metrics.softmax(np.atleast_2d(self._scores(rows)), self.temperature)
        return [self._prediction(text, p, len(cols) > 0) for text, p, (cols, _) in zip(texts, probs, rows)]

    def predict(self, text):
        return self.predict_many([text])[0]

    def _prediction(self, text, probs, has_features=True):
        if not has_features:  # nothing to judge: the model's bias alone is no answer
            return Prediction(NEEDS_REVIEW, NEEDS_REVIEW, 0.0, [], True, 0.0, (), "no_words")
        order = np.argsort(-probs, kind="stable")[:3]
        top3 = [(self.labels[i], float(probs[i])) for i in order]
        top_label, confidence = top3[0]
        margin = confidence - (top3[1][1] if len(top3) > 1 else 0.0)
        multi = getattr(self, "multi_field", True)  # models pickled before the option look
        reason = ("low_confidence" if confidence < self.threshold
                  else "small_margin" if margin < self.margin_threshold
                  else "several_problems" if multi and confidence < CLAUSE_MIN and lists_several_problems(self, text)
                  else "")
        labels = (multi and two_problems(self, text, top_label)) or (top_label,)
        label = NEEDS_REVIEW if reason else labels[0]
        return Prediction(label, top_label, confidence, top3, bool(reason), margin, labels, reason)

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
