"""Versioned models in one directory (the app passes instance/models), with a current.json manifest.

Files: model-v0001.joblib, model-v0002.joblib, ... and current.json
{"current": "v0002", "versions": [{"version", "file", "trained_at", "macro_f1_test", ...}]},
always rewritten through a temp file and os.replace so readers never see half a manifest.
"""
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from nlp.classifier import ComplaintClassifier, ModelUnavailable
from nlp.corpus import load_bundled
from nlp.evaluation import accuracy, evaluate, heldout_metrics
from nlp.normalize import accentless

MANIFEST = "current.json"


@dataclass(frozen=True)
class RetrainResult:
    promoted: bool
    version: str            # the newly trained version (kept on disk even when not promoted)
    current: str            # the current version after the call
    old_macro_f1: float     # held-out test macro-F1 of the previous current model
    new_macro_f1: float     # held-out test macro-F1 of the new model
    n_extra: int            # staff corrections used (after dropping copies of test texts)
    old_corrected: float | None = None  # accuracy of the previous model on the last N corrections
    new_corrected: float | None = None  # ... of the new one (None when too few corrections to judge)
    n_corrected: int = 0                # N: the latest corrections held out of this retrain to judge it


def _stderr(msg):
    print(msg, file=sys.stderr, flush=True)


def _read_manifest(models_dir):
    path = Path(models_dir) / MANIFEST
    if not path.exists():
        return {"current": None, "versions": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"unreadable manifest {path}: {exc}") from exc


def _write_manifest(models_dir, manifest):
    path = Path(models_dir) / MANIFEST
    tmp = path.with_name(f"{MANIFEST}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def _reserve_version(models_dir):
    """Next free version name; the file is created exclusively so two processes never share one."""
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    n = len(list(models_dir.glob("model-v*.joblib"))) + 1
    while True:
        version = f"v{n:04d}"
        try:
            os.close(os.open(models_dir / f"model-{version}.joblib", os.O_CREAT | os.O_EXCL))
            return version
        except FileExistsError:
            n += 1


def _train(models_dir, train_rows, corpus, seed, progress, extra=0):
    version = _reserve_version(models_dir)
    progress(f"training {version} on {len(train_rows)} texts")
    clf = ComplaintClassifier().fit([t for _, t in train_rows], [l for l, _ in train_rows], seed=seed,
                                    dev_texts=[t for _, t in corpus.dev], dev_labels=[l for l, _ in corpus.dev],
                                    calibration=[corpus.calibration], progress=progress)
    clf.metadata["metrics"] = heldout_metrics(clf, corpus.test)
    clf.metadata.update(version=version, n_extra=extra)
    path = Path(models_dir) / f"model-{version}.joblib"
    clf.save(path)
    progress(f"{version}: held-out macro-F1 {clf.metadata['metrics']['macro_f1_test']:.4f} written, "
             f"{clf.metadata['metrics']['macro_f1_test_accentless']:.4f} accentless")
    entry = {"version": version, "file": path.name, "trained_at": clf.metadata["trained_at"],
             "n_train": len(train_rows), "n_extra": extra, **clf.metadata["metrics"]}
    return clf, entry


def _record(models_dir, entry, make_current):
    manifest = _read_manifest(models_dir)
    manifest["versions"] = [v for v in manifest["versions"] if v["version"] != entry["version"]] + [entry]
    if make_current:
        manifest["current"] = entry["version"]
    _write_manifest(models_dir, manifest)
    return manifest


def train_default(models_dir, corpus=None, seed=13, progress=_stderr):
    """Train on the bundled train split, evaluate on the held-out test split, make it current."""
    corpus = corpus or load_bundled()
    clf, entry = _train(models_dir, corpus.train, corpus, seed, progress)
    _record(models_dir, entry, make_current=True)
    return clf


def current_model_path(models_dir):
    """Path of the current model file, or None when no model has been made current yet."""
    current = _read_manifest(models_dir).get("current")
    return Path(models_dir) / f"model-{current}.joblib" if current else None


def load_current(models_dir, corpus=None, progress=_stderr):
    """The current model; trains the default one first if the directory has none.
    A current model that exists but cannot be loaded raises ModelUnavailable (no silent retrain)."""
    path = current_model_path(models_dir)
    if path is None:
        return train_default(models_dir, corpus=corpus, progress=progress)
    return ComplaintClassifier.load(path)


def retrain(models_dir, extra_examples, corpus=None, seed=13, progress=_stderr, corrected=100, auto_promote=True):
    """Train on bundled train + staff corrections [(label, text)], oldest first. Promote only if the
    held-out macro-F1 (written test split) does not drop and, when there are at least 2 x `corrected`
    corrections, the accuracy on the latest `corrected` ones (held out of this training; the next retrain
    uses them) does not drop either. Corrections that repeat a test text are dropped. With
    `auto_promote=False` the new version is only kept aside, for a person to promote after reading its figures."""
    corpus = corpus or load_bundled()
    old = load_current(models_dir, corpus=corpus, progress=progress)
    test_keys = {accentless(t) for _, t in corpus.test}
    extra = [(l, t) for l, t in extra_examples if accentless(t) not in test_keys]
    judge = extra[-corrected:] if corrected and len(extra) >= 2 * corrected else []
    train_extra = extra[:len(extra) - len(judge)]
    clf, entry = _train(models_dir, list(corpus.train) + train_extra, corpus, seed, progress,
                        extra=len(train_extra))
    old_f1 = round(evaluate(old, corpus.test)[0], 4)  # re-measured: the test split may have changed
    new_f1 = entry["macro_f1_test"]
    old_acc = new_acc = None
    if judge:
        old_acc, new_acc = round(accuracy(old, judge), 4), round(accuracy(clf, judge), 4)
        entry["accuracy_corrected"], entry["n_corrected"] = new_acc, len(judge)
    promoted = auto_promote and new_f1 >= old_f1 and (not judge or new_acc >= old_acc)
    manifest = _record(models_dir, entry, make_current=promoted)
    progress(f"{entry['version']} {'promoted' if promoted else 'kept aside'}: {new_f1:.4f} vs {old_f1:.4f}"
             + (f", last {len(judge)} corrections {new_acc:.4f} vs {old_acc:.4f}" if judge else
                f" (fewer than {2 * corrected} corrections: judged on the test split only)"))
    return RetrainResult(promoted, entry["version"], manifest["current"], old_f1, new_f1, len(train_extra),
                         old_acc, new_acc, len(judge))


def list_versions(models_dir):
    """Manifest entries, oldest first, each with `current: bool`."""
    manifest = _read_manifest(models_dir)
    return [{**v, "current": v["version"] == manifest["current"]} for v in manifest["versions"]]


def restore(models_dir, version):
    """Make an earlier version current again (after checking that it loads)."""
    manifest = _read_manifest(models_dir)
    if version not in {v["version"] for v in manifest["versions"]}:
        raise ModelUnavailable(f"unknown model version {version!r}")
    ComplaintClassifier.load(Path(models_dir) / f"model-{version}.joblib")
    manifest["current"] = version
    _write_manifest(models_dir, manifest)
