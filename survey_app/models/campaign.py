"""Campaigns (đợt lấy ý kiến) and household invitation codes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .questionnaire import Questionnaire
from .units import AdminUnit, Household


class CampaignStatus:
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"

    ALL = (DRAFT, OPEN, CLOSED, PUBLISHED)


class CampaignMode:
    HOUSEHOLD_CODES = "household_codes"  # strict: one code per household
    OPEN = "open"  # anyone picks a hamlet; answers are marked unverified

    ALL = (HOUSEHOLD_CODES, OPEN)


PURPOSES = ("cong_nhan", "nang_cao", "kieu_mau", "dinh_ky")


class VerdictRule:
    OVERALL = "overall"  # the commune's result is the overall question's rate
    EVERY_QUESTION = "every_question"  # every question must reach the bar

    ALL = (OVERALL, EVERY_QUESTION)


class Campaign(db.Model):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    commune_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"))
    purpose: Mapped[str] = mapped_column(String(20), default="cong_nhan")
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    threshold: Mapped[float] = mapped_column(default=0.90)
    mode: Mapped[str] = mapped_column(String(20), default=CampaignMode.HOUSEHOLD_CODES)
    status: Mapped[str] = mapped_column(String(16), default=CampaignStatus.DRAFT)
    organiser: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    verdict_rule: Mapped[str] = mapped_column(String(20), default=VerdictRule.OVERALL,
                                              server_default=VerdictRule.OVERALL)
    min_coverage: Mapped[float] = mapped_column(default=0.70, server_default="0.7")
    # Paper forms handed out by hand (phát ra) when they are not counted by invitation codes.
    forms_issued: Mapped[int | None]
    # {hamlet_id: households} fixed when the campaign opens (the active ones and its code holders: a
    # household given a code then made inactive can still answer), so later imports never move coverage;
    # a household given a code afterwards joins its hamlet's count (services.campaigns.codes.generate_codes).
    household_counts: Mapped[dict | None] = mapped_column(JSON)
    # Every figure as published (công khai); what is served from then on.
    frozen_figures: Mapped[dict | None] = mapped_column(JSON)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    commune: Mapped[AdminUnit] = relationship()
    questionnaire: Mapped[Questionnaire] = relationship()

    def accepts_answers_on(self, day: date) -> bool:
        return self.status == CampaignStatus.OPEN and self.opens_on <= day <= self.closes_on

    @property
    def issues_codes(self) -> bool:
        """Codes are given out while a campaign is a draft or open; a closed or published round is settled."""
        return self.status in (CampaignStatus.DRAFT, CampaignStatus.OPEN)


class InvitationCode(db.Model):
    """Single-use code on a household's slip. Stored canonical (no dash, upper case)."""

    __tablename__ = "invitation_code"
    __table_args__ = (UniqueConstraint("campaign_id", "household_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    household: Mapped[Household] = relationship()
