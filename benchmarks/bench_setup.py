"""A fresh benchmark database: migrated, a demo commune with many households, half of them with a full draft."""
from __future__ import annotations

import os

from sqlalchemy import create_engine, make_url, text


def _reset(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return
    from survey_app.config import normalize_database_url

    target = make_url(normalize_database_url(url))
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": target.database}).first():
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = create_engine(target)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def prepare_database(url: str, households: int) -> tuple[list[str], list[str]]:
    """Returns (codes without a draft, codes whose draft answers every question)."""
    from flask_migrate import upgrade

    from survey_app import create_app
    from survey_app.devdata.demo import seed_demo
    from survey_app.extensions import db
    from survey_app.models import DraftPhase
    from survey_app.services.survey.drafts import save_draft
    from survey_app.services.survey.flow import target_for_code

    _reset(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        codes = seed_demo(households=households)["codes"]
        half = len(codes) // 2
        for code in codes[half:]:
            target = target_for_code(code)
            save_draft(target, answers={q.id: (True, "") for q in target.questions}, phase=DraftPhase.REVIEW)
        db.engine.dispose()
    return codes[:half], codes[half:]
