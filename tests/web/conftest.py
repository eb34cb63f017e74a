"""Fixtures for the web survey tests: a small client that walks the survey."""
from __future__ import annotations

import pytest

from survey_walk import Walker


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
    from survey_app.views.pages import pages_of

    with app.app_context():
        return len(pages_of(target_for_code(demo["codes"][0])))
