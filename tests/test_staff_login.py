"""Staff sign-in: the generated admin password works, wrong ones are refused and rate-limited."""
import re

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AuditLog, StaffRole
from survey_app.services.staff.users import create_or_reset_user
from survey_app.services.units.catalogue import current_unit


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _login(client, username, password, next_url=""):
    page = client.get("/staff/login" + next_url).get_data(as_text=True)
    return client.post("/staff/login" + next_url,
                       data={"csrf_token": _csrf(page), "username": username, "password": password})


def test_the_seeded_admin_signs_in_and_sees_the_campaign(client, demo):
    response = _login(client, demo["admin_username"], demo["admin_password"])
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/")
    page = client.get("/staff/").get_data(as_text=True)
    assert "Cẩm Xuyên" in page
    assert client.get(f"/api/campaigns/{demo['campaign_id']}/summary").status_code == 200


def test_a_wrong_password_is_refused_next_to_the_field(app, client, demo):
    response = _login(client, "admin", "wrong-password")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "mật khẩu không đúng" in page
    assert client.get("/staff/").status_code == 302
    with app.app_context():
        assert db.session.execute(select(AuditLog)).first() is None


def test_guessing_passwords_is_rate_limited(app, client, demo):
    app.config["RATELIMIT_STAFF_LOGIN"] = (3, 600)
    for _ in range(3):
        assert _login(client, "admin", "guess").status_code == 200
    assert _login(client, "admin", demo["admin_password"]).status_code == 429


def test_commune_staff_of_another_commune_cannot_read_an_unpublished_summary(app, client, demo):
    with app.app_context():
        from survey_app.services.units.catalogue import import_commune

        other = import_commune("18766")  # Xã Kỳ Xuân, same province
        create_or_reset_user("kyxuan", role=StaffRole.COMMUNE, unit=other, password="mat-khau-dai-1")
        create_or_reset_user("camxuyen", role=StaffRole.COMMUNE, unit=current_unit("commune", "18673"),
                             password="mat-khau-dai-2")
    _login(client, "kyxuan", "mat-khau-dai-1")
    assert client.get(f"/api/campaigns/{demo['campaign_id']}/summary").status_code == 404
    assert "Cẩm Xuyên" not in client.get("/staff/").get_data(as_text=True)
    other_client = app.test_client()
    _login(other_client, "camxuyen", "mat-khau-dai-2")
    assert other_client.get(f"/api/campaigns/{demo['campaign_id']}/summary").status_code == 200


def test_next_never_leaves_the_site(client, demo):
    response = _login(client, "admin", demo["admin_password"], "?next=//evil.example/")
    assert response.headers["Location"].endswith("/staff/")
