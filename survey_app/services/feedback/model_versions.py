"""Train, retrain and restore the complaint classifier for the app, mirroring versions in ModelVersion."""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Feedback, ModelVersion
from survey_app.services.staff.audit import record


def models_dir() -> str:
    return current_app.config["MODELS_DIR"]


def staff_corrections() -> list[tuple[str, str]]:
    """(label, text) for every feedback whose field a staff member confirmed or corrected."""
    rows = db.session.execute(
        select(Feedback.confirmed_label, Feedback.text).where(Feedback.confirmed_label.is_not(None))
        .order_by(Feedback.id)
    )
    return [(label, text) for label, text in rows]


def latest_corrections(n: int) -> list[tuple[str, str]]:
    """(label, text) of the last n feedback rows staff confirmed or corrected, oldest first."""
    rows = db.session.execute(
        select(Feedback.confirmed_label, Feedback.text).where(Feedback.confirmed_label.is_not(None))
        .order_by(Feedback.id.desc()).limit(n)
    )
    return [(label, text) for label, text in rows][::-1]


def sync_versions() -> list[ModelVersion]:
    """Make the ModelVersion table match the registry's manifest (one transaction)."""
    # deferred: nlp loads sklearn (~1 s), only when models are trained or listed
    from nlp.registry import list_versions

    rows = {m.version: m for m in db.session.execute(select(ModelVersion)).scalars()}
    for entry in list_versions(models_dir()):
        row = rows.get(entry["version"]) or ModelVersion(version=entry["version"])
        row.path = str(Path(models_dir()) / entry["file"])
        row.metrics = {k: v for k, v in entry.items() if k.startswith(("macro_f1", "flagged", "n_"))}
        row.is_current = bool(entry["current"])
        db.session.add(row)
        rows[row.version] = row
    db.session.commit()
    return sorted(rows.values(), key=lambda r: r.version)


def train(progress) -> str:
    # deferred: nlp loads sklearn (~1 s), only when models are trained or listed
    from nlp.registry import train_default

    model = train_default(models_dir(), progress=progress)
    sync_versions()
    record(None, "nlp_train", "model_version", model.metadata["version"])
    db.session.commit()
    return model.metadata["version"]


def retrain(progress, corrected: int = 100, auto_promote: bool = True):
    """Bundled corpus + staff corrections; promoted only if held-out macro-F1 does not drop, nor the
    accuracy on the last `corrected` corrections (when there are at least twice as many)."""
    # deferred: nlp loads sklearn (~1 s), only when models are trained or listed
    from nlp.registry import retrain as registry_retrain

    result = registry_retrain(models_dir(), staff_corrections(), progress=progress, corrected=corrected,
                              auto_promote=auto_promote)
    sync_versions()
    record(None, "nlp_retrain", "model_version", result.version, promoted=result.promoted,
           old_macro_f1=result.old_macro_f1, new_macro_f1=result.new_macro_f1, n_extra=result.n_extra,
           old_corrected=result.old_corrected, new_corrected=result.new_corrected,
           n_corrected=result.n_corrected)
    db.session.commit()
    return result


def restore(version: str) -> None:
    # deferred: nlp loads sklearn (~1 s), only when models are trained or listed
    from nlp.registry import restore as registry_restore

    registry_restore(models_dir(), version)
    sync_versions()
    record(None, "nlp_restore", "model_version", version)
    db.session.commit()
