"""Tag feedback with the complaint classifier; a missing or broken model leaves it for review, never fails.

The model is loaded once per process and reloaded only when the registry's manifest changes
(after `flask nlp retrain` or `restore`), so every worker picks up a promoted version by itself.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import current_app

from nlp import NEEDS_REVIEW
from survey_app.models import Feedback

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[str, tuple[float | None, object | None]] = {}  # models_dir → (manifest mtime, model or None)


def classifier():
    """The current ComplaintClassifier of this app's models directory, or None (logged once per change)."""
    # deferred: nlp loads sklearn (~1 s), with the first feedback to tag
    from nlp.classifier import ComplaintClassifier, ModelUnavailable
    from nlp.registry import MANIFEST, current_model_path

    models_dir = current_app.config["MODELS_DIR"]
    manifest = Path(models_dir) / MANIFEST
    mtime = manifest.stat().st_mtime if manifest.exists() else None
    cached = _cache.get(models_dir)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    with _lock:
        model = None
        try:
            path = current_model_path(models_dir)
            if path is None:
                log.warning("no complaint classifier in %s: feedback stays untagged (run `flask nlp train`)",
                            models_dir)
            else:
                model = ComplaintClassifier.load(path)
                log.info("complaint classifier %s loaded", model.metadata.get("version"))
        except ModelUnavailable as exc:
            log.error("complaint classifier unusable, feedback stays untagged: %s", exc)
        _cache[models_dir] = (mtime, model)
        return model


def tag(feedback: Feedback) -> None:
    """Fill label, confidence and top-3 (the message's fields first). When the model is unsure (low
    confidence, a small margin to the second label, no words at all) or unusable, the label is "cần xem xét"
    (NEEDS_REVIEW) so staff find it in one place; untagged rows have no confidence."""
    feedback.predicted_label = NEEDS_REVIEW
    model = classifier()
    if model is None:
        return
    try:
        prediction = model.predict(feedback.text)
    except Exception:  # logged below; a classifier bug must never cost a resident their answer
        log.exception("classifier failed on feedback; left untagged")
        return
    feedback.predicted_label = prediction.label
    feedback.confidence = round(float(prediction.confidence), 4)
    # The message's fields first: top3[1] is the second label staff see (a second problem, or the runner-up).
    feedback.top3 = [[label, round(float(p), 4)] for label, p in prediction.ranked()]
    feedback.model_version = model.metadata.get("version")


def second_label(feedback: Feedback) -> str | None:
    """The field shown to staff beside the predicted one (from the stored top3), or None."""
    return feedback.top3[1][0] if feedback.top3 and len(feedback.top3) > 1 else None


def forget_models() -> None:
    """Drop cached models (tests; a process that replaced the files behind the manifest)."""
    _cache.clear()


__all__ = ["classifier", "tag", "second_label", "forget_models"]
