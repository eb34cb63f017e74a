"""A realistic demo commune: a real xã from the official list, hamlets, ~400 households, an open campaign."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, CampaignStatus, Household, StaffRole, UnitLevel
from survey_app.services.campaigns.codes import generate_codes, unused_codes
from survey_app.services.campaigns.lifecycle import create_campaign
from survey_app.services.clock import today_in_vietnam
from survey_app.services.staff.users import create_or_reset_user
from survey_app.services.survey.reference import ensure_reference_data
from survey_app.services.units.catalogue import hamlets_of, import_commune

DEMO_COMMUNE_CODE = "18673"  # Xã Cẩm Xuyên, tỉnh Hà Tĩnh
DEMO_SLUG = "demo-cam-xuyen"
DEMO_QUESTIONNAIRE = "xa-ntm-2026-2030-v2"  # plain words (issue 10); stored versions never change
HAMLETS = ["Thôn Yên Thịnh", "Thôn Phúc Lộc", "Thôn Hòa Bình", "Thôn Tân Phong",
           "Thôn Đông Trung", "Thôn Nam Hà", "Thôn Thượng Long"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phan", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Đình", "Hữu", "Xuân", "Thanh", "Quang", "Minh", "Ngọc", "Đức"]
GIVEN = ["Hùng", "Lan", "Tâm", "Bình", "Hoa", "Sơn", "Hải", "Hương", "Thắng", "Mai", "Cường", "Nga",
         "Tuấn", "Hạnh", "Lộc", "Phúc", "Dũng", "Thủy", "Nam", "Hà", "Vinh", "Loan", "Trung", "Yến"]


def seed_demo(households: int = 400, seed: int = 2026) -> dict:
    """Create (or find) the demo and reset the admin password; returns the seed-demo --json fields."""
    ensure_reference_data()
    commune = import_commune(DEMO_COMMUNE_CODE)
    if not hamlets_of(commune):
        _add_hamlets_and_households(commune, households, random.Random(seed))
    campaign = db.session.execute(select(Campaign).where(Campaign.slug == DEMO_SLUG)).scalar_one_or_none()
    if campaign is None:
        today = today_in_vietnam()
        campaign = create_campaign(
            commune_code=commune.code, questionnaire_key=DEMO_QUESTIONNAIRE, slug=DEMO_SLUG,
            name=f"Lấy ý kiến sự hài lòng của người dân về xây dựng nông thôn mới – {commune.name} {today.year}",
            opens_on=today - timedelta(days=3), closes_on=today + timedelta(days=25), status=CampaignStatus.OPEN,
        )
    if campaign.issues_codes:  # a demo closed or published by hand keeps its codes as they were
        generate_codes(campaign)
    _, password = create_or_reset_user("admin", role=StaffRole.ADMIN, unit=None, full_name="Quản trị viên")
    return {
        "campaign_id": campaign.id, "campaign_slug": campaign.slug, "commune_code": commune.code,
        "codes": list(unused_codes(campaign)), "admin_username": "admin", "admin_password": password,
    }


def _add_hamlets_and_households(commune: AdminUnit, households: int, rng: random.Random) -> None:
    hamlets = [AdminUnit(level=UnitLevel.HAMLET, code=f"{commune.code}-{i:02d}", name=name,
                         division_type="thôn", parent=commune) for i, name in enumerate(HAMLETS, start=1)]
    db.session.add_all(hamlets)
    db.session.flush()
    for i in range(households):
        hamlet = hamlets[i % len(hamlets)]
        number = f"{i // len(hamlets) + 1:03d}"
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        db.session.add(Household(hamlet_id=hamlet.id, number=number, head_name=name,
                                 address=f"Hộ số {number}, {hamlet.name}"))
    db.session.commit()
