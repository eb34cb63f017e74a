"""Opening campaigns (đợt lấy ý kiến) for a commune."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db
from ..models import AdminUnit, Campaign, CampaignMode, CampaignStatus, UnitLevel
from ..models.campaign import PURPOSES
from ..text import strip_diacritics
from .reference import questionnaire_by_key


def slugify(text: str) -> str:
    """'Xã Cẩm Xuyên 2026' → 'xa-cam-xuyen-2026'."""
    text = strip_diacritics(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:70]


def current_commune(code: str) -> AdminUnit | None:
    stmt = select(AdminUnit).where(AdminUnit.level == UnitLevel.COMMUNE, AdminUnit.code == code,
                                   AdminUnit.valid_to.is_(None))
    return db.session.execute(stmt).scalar_one_or_none()


def create_campaign(*, commune_code: str, questionnaire_key: str, name: str, opens_on: date, closes_on: date,
                    threshold: float = 0.90, mode: str = CampaignMode.HOUSEHOLD_CODES, purpose: str = "cong_nhan",
                    status: str = CampaignStatus.DRAFT, slug: str | None = None, organiser: str = "") -> Campaign:
    """Validate and store a campaign in one transaction."""
    commune = current_commune(commune_code)
    if commune is None:
        raise DomainError(f"no current commune with code {commune_code}")
    questionnaire = questionnaire_by_key(questionnaire_key)
    if questionnaire is None:
        raise DomainError(f"no questionnaire {questionnaire_key}")
    if not 0 < threshold <= 1:
        raise DomainError("threshold must be a fraction between 0 and 1, e.g. 0.9")
    if closes_on < opens_on:
        raise DomainError("the campaign closes before it opens")
    if mode not in CampaignMode.ALL or purpose not in PURPOSES or status not in CampaignStatus.ALL:
        raise DomainError("unknown mode, purpose or status")
    slug = slug or slugify(f"{commune.name} {opens_on.year} {opens_on.month:02d}")
    base, n = slug, 2
    while db.session.execute(select(Campaign.id).where(Campaign.slug == slug)).first():
        slug, n = f"{base}-{n}", n + 1
    campaign = Campaign(
        slug=slug, name=name, commune=commune, questionnaire=questionnaire, opens_on=opens_on,
        closes_on=closes_on, threshold=threshold, mode=mode, purpose=purpose, status=status,
        organiser=organiser or f"Ban Công tác Mặt trận {commune.name}",
    )
    db.session.add(campaign)
    db.session.commit()
    return campaign
