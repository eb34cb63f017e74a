"""/c/<slug>: open campaigns; residents pick their hamlet, one answer per browser, marked unverified."""
import pytest
from helpers import campaign_of
from sqlalchemy import func, select
from survey_walk import Walker

from survey_app.extensions import db
from survey_app.models import CampaignMode, Response
from survey_app.services.units.catalogue import hamlets_of


@pytest.fixture
def open_campaign(app, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        campaign.mode = CampaignMode.OPEN
        db.session.commit()
        return {"slug": campaign.slug, "hamlet_id": hamlets_of(campaign.commune)[2].id}


def test_the_hamlet_must_be_chosen_before_the_questions(client, open_campaign):
    walker = Walker(client, "/c/" + open_campaign["slug"])
    intro = walker.get()
    assert "Gia đình ở thôn nào?" in intro.text and "Thôn Hòa Bình" in intro.text
    refused = walker.post("", {})
    assert refused.status_code == 200 and 'id="hamlet-error"' in refused.text
    assert walker.get("/trang/1").status_code == 302  # no hamlet yet: back to the start


def test_an_open_answer_is_stored_unverified_once_per_browser(app, client, open_campaign, pages):
    walker = Walker(client, "/c/" + open_campaign["slug"])
    chosen = walker.post("", {"hamlet": open_campaign["hamlet_id"]})
    assert chosen.status_code == 302 and chosen.location.endswith("/trang/1")
    walker.answer_all(pages)
    sent, _ = walker.send()
    assert sent.location.endswith("/cam-on") and "Cảm ơn gia đình" in walker.get("/cam-on").text
    assert "Bắt đầu trả lời" not in walker.get().text  # this browser has answered
    with app.app_context():
        response = db.session.execute(select(Response)).scalar_one()
        assert not response.verified and response.household_id is None
        assert response.hamlet_id == open_campaign["hamlet_id"] and response.submission_key
    other = Walker(app.test_client(), walker.base)  # another phone may answer
    other.post("", {"hamlet": open_campaign["hamlet_id"]})
    other.answer_all(pages)
    other.send()
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Response)).scalar_one() == 2


def test_the_browser_token_cookie_is_signed_and_a_forged_one_is_replaced(client, open_campaign):
    client.set_cookie("hl_browser", "forged", path="/c/")
    response = client.get("/c/" + open_campaign["slug"])
    cookie = response.headers.get("Set-Cookie", "")
    assert cookie.startswith("hl_browser=") and "forged" not in cookie and "HttpOnly" in cookie


def test_open_submissions_are_limited_per_client(app_with, open_campaign, pages):
    limited = app_with(RATELIMIT_OPEN_SUBMISSIONS=(1, 3600))
    statuses = []
    for _ in range(2):
        walker = Walker(limited.test_client(), "/c/" + open_campaign["slug"])
        walker.post("", {"hamlet": open_campaign["hamlet_id"]})
        walker.answer_all(pages)
        sent, _ = walker.send()
        statuses.append(sent.status_code)
    assert statuses == [302, 429]


def test_unknown_or_household_only_campaigns_are_not_found(app, client, demo):
    assert client.get("/c/no-such-campaign").status_code == 404
    assert client.get("/c/" + demo["campaign_slug"]).status_code == 404  # household codes only
