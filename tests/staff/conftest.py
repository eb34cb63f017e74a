"""Two communes of one province, each with an open campaign and codes, and officers of every role."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from staff_helpers import PASSWORD, sign_in

from survey_app.extensions import db
from survey_app.models import AdminUnit, CampaignStatus, StaffRole
from survey_app.services.campaigns.codes import generate_codes, unused_codes
from survey_app.services.campaigns.lifecycle import create_campaign
from survey_app.services.clock import today_in_vietnam
from survey_app.services.staff.users import create_or_reset_user
from survey_app.services.units.catalogue import import_commune, import_hamlets, import_households


@dataclass
class World:
    campaign_a: int
    campaign_b: int
    commune_a: int
    commune_b: int
    codes_a: list[str]
    codes_b: list[str]
    province: int


@pytest.fixture
def world(app, demo, tmp_path) -> World:
    """Commune A is the demo (Xã Cẩm Xuyên); commune B is Xã Kỳ Xuân with 2 hamlets and 6 households."""
    with app.app_context():
        from survey_app.services.units.catalogue import current_unit

        commune_a = current_unit("commune", demo["commune_code"])
        commune_b = import_commune("18766")
        (tmp_path / "b_hamlets.csv").write_text("Tên thôn\nThôn Xuân Hải\nThôn Xuân Sơn\n", encoding="utf-8")
        (tmp_path / "b_households.csv").write_text(
            "Thôn,Số hộ,Họ tên chủ hộ\n" + "".join(f"Thôn Xuân {'Hải' if i % 2 else 'Sơn'},{i},Lê Văn {i}\n"
                                                    for i in range(1, 7)), encoding="utf-8")
        import_hamlets(commune_b, tmp_path / "b_hamlets.csv")
        import_households(commune_b, tmp_path / "b_households.csv")
        today = today_in_vietnam()
        campaign_b = create_campaign(commune_code="18766", questionnaire_key="xa-ntm-2026-2030", name="Kỳ Xuân 2026",
                                     opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=10),
                                     status=CampaignStatus.OPEN)
        generate_codes(campaign_b)
        world = World(demo["campaign_id"], campaign_b.id, commune_a.id, commune_b.id, list(demo["codes"]),
                      list(unused_codes(campaign_b)), commune_a.parent_id)
        db.session.remove()
        return world


ROLES = {"manager_a": (StaffRole.COMMUNE, "commune_a"), "manager_b": (StaffRole.COMMUNE, "commune_b"),
         "staff_a": (StaffRole.STAFF, "commune_a"), "province": (StaffRole.PROVINCE, "province"),
         "admin2": (StaffRole.ADMIN, None)}


@pytest.fixture
def signed_in(app, world):
    """signed_in("manager_a") → a test client with that officer's session (the account is made on first use,
    since hashing passwords is most of a test's set-up time)."""
    def make(username: str):
        role, unit = ROLES[username]
        with app.app_context():
            unit = db.session.get(AdminUnit, getattr(world, unit)) if unit else None
            create_or_reset_user(username, role=role, unit=unit, password=PASSWORD)
            db.session.remove()
        client = app.test_client()
        sign_in(client, username)
        return client
    return make
