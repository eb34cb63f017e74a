"""The application shell: health, error pages, summary API, migrations."""
import json
import re

from helpers import all_satisfied, campaign_of
from sqlalchemy import inspect

from survey_app.extensions import db
from survey_app.models import StaffRole
from survey_app.services.staff.users import create_or_reset_user
from survey_app.services.survey.responses import submit_response


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_is_gone(tmp_path):
    from survey_app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "error"


def test_unknown_pages_get_a_vietnamese_404_without_traceback(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Không tìm thấy trang" in page and "Traceback" not in page


def test_a_crash_shows_a_calm_500_page(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.testing = False  # let the error handler run as in production
    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in page and "secret internals" not in page


def test_migrations_reach_head_with_every_table(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {"response", "answer", "invitation_code", "inbound_event", "outbound_message", "feedback",
            "alembic_version"} <= tables


def test_summary_is_private_until_published_then_public(app, client, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        submit_response(all_satisfied(campaign), channel="web", code=demo["codes"][0])
        submit_response(all_satisfied(campaign, except_position=len(campaign.questionnaire.questions),
                                      reason="chưa tốt"), channel="web", code=demo["codes"][1])
    url = f"/api/campaigns/{demo['campaign_id']}/summary"
    assert client.get(url).status_code == 404  # to a visitor, as if there were none
    with app.app_context():
        create_or_reset_user("tinh", role=StaffRole.ADMIN, unit=None, password="0123456789ab")
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/staff/login", data={"csrf_token": token, "username": "tinh", "password": "0123456789ab"})
    summary = client.get(url).json
    assert summary["returned"] == 2 and summary["valid"] == 2 and summary["invalid"] == 0
    assert summary["households"] == 56 and summary["threshold"] == 0.9
    assert summary["overall_rate"] == 0.5
    overall = [q for q in summary["questions"] if q["is_overall"]][0]
    assert (overall["satisfied"], overall["not_satisfied"], overall["rate"]) == (1, 1, 0.5)
    assert all(q["rate"] == 1.0 for q in summary["questions"] if not q["is_overall"])
    with app.app_context():
        campaign = campaign_of(demo)
        campaign.status = "published"
        db.session.commit()
    assert app.test_client().get(url).status_code == 200
    assert json.dumps(summary).find("head_name") == -1


def test_the_models_and_the_migrations_agree(app):
    """A model change without a migration fails here, on each backend."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_behind_a_proxy_the_residents_address_is_used(tmp_path):
    from flask import request

    from survey_app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "PROXY_COUNT": 1,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})

    @app.get("/whoami")
    def whoami():
        return request.remote_addr

    seen = app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"}).get_data(as_text=True)
    assert seen == "203.0.113.7"
