"""The database away (restarting, failing over): every page answers 503 with Retry-After, never a 500."""
from __future__ import annotations

import pytest

from survey_app import create_app

DOWN = "postgresql://postgres@127.0.0.1:9/nowhere"  # nothing listens there


@pytest.fixture
def away(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": DOWN, "SECRET_KEY": "test", "MODELS_DIR": str(tmp_path),
                      "PROPAGATE_EXCEPTIONS": False})
    return app.test_client()


@pytest.mark.parametrize("path", ["/s/K7QM-3XPA", "/c/demo-cam-xuyen", "/cong-khai/18673", "/tra-loi/K7QM-3XPA"])
def test_a_page_is_answered_503_with_retry_after_in_words_a_resident_reads(away, path):
    response = away.get(path)
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert "Hệ thống tạm thời bận" in response.get_data(as_text=True)


def test_the_api_is_answered_503_in_json(away):
    response = away.get("/api/campaigns/1/summary")
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.get_json()["error"] == 503


def test_a_posted_form_is_answered_503_not_500(away):
    response = away.post("/", data={"code": "K7QM-3XPA"})
    assert response.status_code in (400, 503)  # the CSRF check may refuse first; never a 500
