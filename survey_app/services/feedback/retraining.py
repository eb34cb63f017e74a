"""Retraining from the staff UI: an RQ job on the worker's queue when REDIS_URL is set, else a background thread."""
from __future__ import annotations

import threading

from flask import current_app
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.jobs import app_context, queue
from survey_app.models import Feedback, ModelVersion, StaffUser
from survey_app.services.feedback import model_versions
from survey_app.services.staff.audit import record


def _quiet(_msg=None, *args) -> None:
    pass


def run(staff_user_id: int | None = None) -> None:
    """The job itself (also the RQ entry point): retrain in the worker's app, record who asked."""
    with app_context():
        # From the page the new version is kept aside: the admin reads its figures, then makes it current.
        result = model_versions.retrain(_quiet, auto_promote=False)
        record(staff_user_id, "nlp_retrain_ui", "model_version", result.version, promoted=result.promoted,
               old_macro_f1=result.old_macro_f1, new_macro_f1=result.new_macro_f1)
        db.session.commit()


def start(user: StaffUser) -> None:
    user_id = user.id  # read now: the thread must never touch this request's session
    record(user_id, "nlp_retrain_start", "model_version", None)
    db.session.commit()
    url = current_app.config.get("REDIS_URL")
    if url:
        from redis import Redis

        queue(Redis.from_url(url)).enqueue(run, user_id, job_timeout=1800)
        return
    app = current_app._get_current_object()

    def _thread():
        with app.app_context():
            try:
                run(user_id)
            except Exception:
                app.logger.exception("retrain failed")

    threading.Thread(target=_thread, daemon=True, name="retrain").start()


def promote(user: StaffUser, version: str) -> None:
    """Make a trained version current (nlp.registry.restore), recorded in the audit log."""
    model_versions.restore(version)
    record(user.id, "nlp_promote", "model_version", version)
    db.session.commit()


def versions() -> list[ModelVersion]:
    model_versions.sync_versions()
    return db.session.execute(select(ModelVersion).order_by(ModelVersion.trained_at.desc())).scalars().all()


def corrections_count() -> int:
    return db.session.execute(select(func.count()).where(Feedback.confirmed_label.is_not(None))).scalar_one()
