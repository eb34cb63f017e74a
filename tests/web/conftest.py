"""Fixtures for the web survey tests: compiled catalogues and a small client that walks the survey."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from survey_walk import Walker

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """`make test` compiles the catalogues; running pytest alone must see them too (.mo is not committed)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as f:
                catalog = read_po(f)
            tmp = mo.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                write_mo(f, catalog)
            os.replace(tmp, mo)


@pytest.fixture
def walker(client, demo):
    """Walks the survey of the demo's first invitation code."""
    return Walker(client, "/s/" + demo["codes"][0])


@pytest.fixture
def app_with(app):
    """Another app on the same database with a few settings changed (e.g. tighter rate limits)."""
    from survey_app import create_app
    from survey_app.extensions import db

    built = []

    def build(**overrides):
        config = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                                    "MODELS_DIR", "WTF_CSRF_ENABLED")}
        built.append(create_app({**config, **overrides}))
        return built[-1]

    yield build
    for other in built:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def pages(app, demo) -> int:
    """How many pages of questions the demo questionnaire has."""
    from survey_app.services.survey_flow import target_for_code

    with app.app_context():
        return len(target_for_code(demo["codes"][0]).pages)
