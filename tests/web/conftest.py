"""Fixtures for the web survey tests: a small client that walks the survey."""
from __future__ import annotations

import pytest
from survey_walk import Walker, csrf_of


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
    from survey_app.services.survey.flow import target_for_code
    from survey_app.views.pages import pages_of

    with app.app_context():
        return len(pages_of(target_for_code(demo["codes"][0])))


@pytest.fixture
def admin(app, client, demo):
    """The demo's admin signed in (`client`), with one feedback in the queue; returns the ids staff URLs need."""
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import AdminUnit, UnitLevel
    from survey_app.services.feedback.intake import add_feedback

    with app.app_context():
        hamlet = db.session.execute(select(AdminUnit).where(AdminUnit.level == UnitLevel.HAMLET)).scalars().first()
        feedback = add_feedback("Đường thôn lầy lội", source="other", channel="web", unit_id=hamlet.id)
        db.session.commit()
        ids = {"campaign_id": demo["campaign_id"], "feedback_id": feedback.id, "code": hamlet.parent.parent.code,
               "hamlet_id": hamlet.id}
    page = client.get("/staff/login").text
    response = client.post("/staff/login", data={"csrf_token": csrf_of(page), "username": demo["admin_username"],
                                                 "password": demo["admin_password"]})
    assert response.status_code == 302
    return ids
