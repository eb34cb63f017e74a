"""Every route family answers the same for the same situation: an object outside the officer's scope is 404
like one that does not exist (no page tells which ids exist elsewhere); 403 only where the officer can see the
object but the role may not use the page (README, staff roles: commune staff work the feedback queue only)."""
import pytest

from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, CampaignStatus, UnitLevel

NO_SUCH_CAMPAIGN = 2**31 - 1
CAMPAIGN_FAMILIES = {
    "campaign page": "/staff/campaigns/{id}",
    "report": "/staff/campaigns/{id}/report",
    "report xlsx": "/staff/campaigns/{id}/report.xlsx",
    "report csv": "/staff/campaigns/{id}/report.csv",
    "api summary": "/api/campaigns/{id}/summary",
}
# role → status for (campaign of commune A, campaign of commune B, no such campaign); B is outside A's scope.
CAMPAIGN_STATUSES = {
    "admin2": (200, 200, 404),
    "province": (200, 200, 404),
    "manager_a": (200, 404, 404),
    "staff_a": (403, 404, 404),
}
PROVINCE_FAMILIES = {"province page": "/staff/province/{code}", "province xlsx": "/staff/province/{code}/export.xlsx"}
# role → status for (the province of A and B, another province, no such province).
PROVINCE_STATUSES = {
    "admin2": (200, 200, 404),
    "province": (200, 404, 404),
    "manager_a": (404, 404, 404),
    "staff_a": (404, 404, 404),
}


def test_campaign_routes_answer_by_role_and_scope(world, signed_in):
    seen, expected = {}, {}
    for role, statuses in CAMPAIGN_STATUSES.items():
        client = signed_in(role)
        for family, url in CAMPAIGN_FAMILIES.items():
            for target, campaign_id, status in zip(("own", "other", "none"), (world.campaign_a, world.campaign_b,
                                                                              NO_SUCH_CAMPAIGN), statuses, strict=True):
                seen[family, role, target] = client.get(url.format(id=campaign_id)).status_code
                expected[family, role, target] = status
    assert seen == expected


@pytest.fixture
def provinces(app, world):
    """(A and B's province code, another province's code); the other one has no campaign."""
    with app.app_context():
        db.session.add(AdminUnit(level=UnitLevel.PROVINCE, code="01", name="Thành phố Hà Nội"))
        db.session.commit()
        code = db.session.get(AdminUnit, world.province).code
        db.session.remove()
    return code, "01"


def test_province_routes_answer_by_role_and_scope(world, signed_in, provinces):
    seen, expected = {}, {}
    for role, statuses in PROVINCE_STATUSES.items():
        client = signed_in(role)
        for family, url in PROVINCE_FAMILIES.items():
            for target, code, status in zip(("own", "other", "none"), (*provinces, "00000"), statuses, strict=True):
                seen[family, role, target] = client.get(url.format(code=code)).status_code
                expected[family, role, target] = status
    assert seen == expected


def test_a_signed_out_visitor_cannot_tell_an_unpublished_campaign_from_none(client, world):
    for campaign_id in (world.campaign_a, NO_SUCH_CAMPAIGN):
        assert client.get(f"/api/campaigns/{campaign_id}/summary").status_code == 404


def test_a_published_summary_is_public_to_every_role(app, world, signed_in, client):
    with app.app_context():
        db.session.get(Campaign, world.campaign_b).status = CampaignStatus.PUBLISHED
        db.session.commit()
    for reader in [client] + [signed_in(role) for role in CAMPAIGN_STATUSES]:
        assert reader.get(f"/api/campaigns/{world.campaign_b}/summary").status_code == 200
