"""Scope: officers of commune A never read or change commune B's campaign, codes, slips or paper entry."""
import pytest
from sqlalchemy import func, select
from staff_helpers import post_form

from survey_app.extensions import db
from survey_app.models import AuditLog, Campaign, InvitationCode, Response

PAGES = ["", "/slips", "/paper"]
ACTIONS = ["/codes", "/open", "/close", "/publish", "/paper", "/paper/save"]


@pytest.mark.parametrize("suffix", PAGES)
def test_a_manager_of_another_commune_gets_not_found_on_every_page(world, signed_in, suffix):
    client = signed_in("manager_a")
    assert client.get(f"/staff/campaigns/{world.campaign_a}{suffix}").status_code == 200
    response = client.get(f"/staff/campaigns/{world.campaign_b}{suffix}")
    assert response.status_code == 404
    assert "Kỳ Xuân" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_manager_of_another_commune_changes_nothing_by_any_action(app, world, signed_in):
    client = signed_in("manager_a")
    with app.app_context():
        before = db.session.get(Campaign, world.campaign_b).status
    for suffix in ACTIONS:
        data = {"code": world.codes_b[0], "other_opinion": "x"}
        response = post_form(client, f"/staff/campaigns/{world.campaign_b}{suffix}", data)
        assert response.status_code == 404, suffix
    upload = post_form(client, f"/staff/campaigns/{world.campaign_b}/households",
                       {"kind": "hamlets", "file": (__import__("io").BytesIO("Tên thôn\nThôn Lạ\n".encode()), "t.csv")},
                       content_type="multipart/form-data")
    assert upload.status_code == 404
    with app.app_context():
        assert db.session.get(Campaign, world.campaign_b).status == before
        assert db.session.execute(select(func.count()).select_from(Response)).scalar() == 0
        assert db.session.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.action != "login")).scalar() == 0


def test_a_code_of_commune_b_typed_into_commune_a_paper_page_is_unknown_there(app, world, signed_in):
    """Form tampering: A's own page, B's code in the form."""
    client = signed_in("manager_a")
    url = f"/staff/campaigns/{world.campaign_a}/paper"
    found = post_form(client, url, {"code": world.codes_b[0]}, page_url=url)
    assert found.status_code == 200 and "Không có mã này" in found.get_data(as_text=True)
    saved = post_form(client, url + "/save", {"code": world.codes_b[0]}, page_url=url)
    assert saved.status_code == 400 and "Không có mã này" in saved.get_data(as_text=True)
    with app.app_context():
        code = world.codes_b[0].replace("-", "")
        assert db.session.execute(select(InvitationCode.used_at).where(InvitationCode.code == code)).scalar() is None
        assert db.session.execute(select(func.count()).select_from(Response)).scalar() == 0


def test_slips_of_commune_a_never_show_commune_b_codes_even_with_b_hamlet_filter(app, world, signed_in):
    client = signed_in("manager_a")
    with app.app_context():
        from survey_app.models import AdminUnit
        hamlet_b = db.session.execute(
            select(AdminUnit.id).where(AdminUnit.parent_id == world.commune_b)).scalars().first()
    page = client.get(f"/staff/campaigns/{world.campaign_a}/slips?hamlet={hamlet_b}").get_data(as_text=True)
    assert world.codes_a[0] in page
    assert not any(code in page for code in world.codes_b)


def test_a_province_officer_reads_but_cannot_change_or_print(app, world, signed_in):
    client = signed_in("province")
    assert client.get(f"/staff/campaigns/{world.campaign_b}").status_code == 200
    assert client.get(f"/staff/campaigns/{world.campaign_b}/slips").status_code == 403
    assert client.get(f"/staff/campaigns/{world.campaign_b}/paper").status_code == 403
    assert post_form(client, f"/staff/campaigns/{world.campaign_b}/close").status_code == 403
    assert post_form(client, f"/staff/campaigns/{world.campaign_b}/codes").status_code == 403
    assert client.get("/staff/campaigns/new").status_code == 403


def test_commune_staff_work_the_feedback_queue_not_the_campaign(world, signed_in):
    client = signed_in("staff_a")
    for suffix in PAGES:
        assert client.get(f"/staff/campaigns/{world.campaign_a}{suffix}").status_code == 403
    assert post_form(client, f"/staff/campaigns/{world.campaign_a}/codes").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for suffix in PAGES:
        response = client.get(f"/staff/campaigns/{world.campaign_a}{suffix}")
        assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_a_new_campaign_cannot_be_created_in_another_commune_by_tampering(app, world, signed_in):
    client = signed_in("manager_a")
    page = client.get("/staff/campaigns/new").get_data(as_text=True)
    assert "Cẩm Xuyên" in page and "Kỳ Xuân" not in page
    response = post_form(client, "/staff/campaigns/new", {
        "commune_id": world.commune_b, "questionnaire_key": "xa-ntm-2026-2030", "name": "Lạ", "purpose": "dinh_ky",
        "opens_on": "2026-12-01", "closes_on": "2026-12-20", "threshold_percent": "90", "mode": "household_codes"},
        page_url="/staff/campaigns/new")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.execute(select(Campaign).where(Campaign.name == "Lạ")).first() is None


def test_slips_carry_telegram_and_zalo_qr_codes_when_configured(app, world, signed_in):
    """Absolute links from PUBLIC_BASE_URL; a t.me deep link carrying the code; the Zalo OA page."""
    from staff_helpers import sign_in

    from survey_app import create_app

    configured = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                                            "MODELS_DIR")},
                             "PUBLIC_BASE_URL": "https://hailong.example.vn/", "TELEGRAM_BOT_USERNAME": "@XaBot",
                             "ZALO_OA_ID": "4321"})
    signed_in("manager_b")  # makes the account
    client = configured.test_client()
    sign_in(client, "manager_b")
    page = client.get(f"/staff/campaigns/{world.campaign_b}/slips").get_data(as_text=True)
    code = world.codes_b[0].replace("-", "")
    assert f"<title>https://hailong.example.vn/s/{code}</title>" in page
    assert f"<title>https://t.me/XaBot?start={code}</title>" in page
    assert page.count("<title>https://zalo.me/4321</title>") == len(world.codes_b)
    assert page.count('class="qr"') == 3 * len(world.codes_b)
    with configured.app_context():
        from survey_app.extensions import db
        db.engine.dispose()


def test_without_a_bot_the_slip_has_the_web_qr_only_with_the_request_address(world, signed_in):
    page = signed_in("manager_b").get(f"/staff/campaigns/{world.campaign_b}/slips").get_data(as_text=True)
    assert page.count('class="qr"') == len(world.codes_b) and "t.me" not in page and "zalo.me" not in page
    assert f"<title>http://localhost/s/{world.codes_b[0].replace('-', '')}</title>" in page


def test_slips_come_in_pages_in_hamlet_and_household_order(app, world):
    from survey_app.services.campaigns.slips import slips_for

    with app.app_context():
        campaign = db.session.get(Campaign, world.campaign_b)
        first, pages = slips_for(campaign, base_url="http://x", per_page=4)
        last, _ = slips_for(campaign, base_url="http://x", per_page=4, page=99)
        assert pages == 2 and len(first) == 4 and len(last) == 2
        printed = [s.code for s in first + last]
        assert sorted(printed) == sorted(world.codes_b)
        assert [(s.hamlet, s.household_number) for s in first + last] == sorted(
            (s.hamlet, s.household_number) for s in first + last)
