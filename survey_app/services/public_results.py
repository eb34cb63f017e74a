"""What the public results page (công khai) of a commune code shows: published campaigns only, no personal data.

A code may have been borne by several units over time, and communes merged on 1 July 2025 live on in their
successor: the page of a code covers every unit that bore it and every unit merged into one of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select

from ..extensions import db
from ..models import AdminUnit, Campaign, CampaignStatus, UnitLevel
from .clock import VIETNAM, today_in_vietnam
from .reports import campaign_summary, hamlet_breakdown


@dataclass
class PublishedResult:
    campaign: Campaign
    summary: dict
    hamlets: list[dict]
    ended_on: date | None  # the day answers stopped (None: published before its planned closing day, day unknown)
    closed_early: bool


def units_for_code(code: str) -> tuple[AdminUnit | None, list[AdminUnit]]:
    """(the newest commune bearing `code`, it and every unit that bore the code or was merged into one)."""
    bearing = list(db.session.execute(select(AdminUnit).where(
        AdminUnit.level == UnitLevel.COMMUNE, AdminUnit.code == code).order_by(AdminUnit.valid_from.desc())
    ).scalars())
    if not bearing:
        return None, []
    found, frontier = {u.id: u for u in bearing}, [u.id for u in bearing]
    while frontier:  # one query per generation of mergers (a handful at most)
        merged = db.session.execute(select(AdminUnit).where(
            AdminUnit.merged_into_id.in_(frontier), AdminUnit.id.not_in(list(found)))).scalars().all()
        found.update((u.id, u) for u in merged)
        frontier = [u.id for u in merged]
    current = next((u for u in bearing if u.valid_to is None), bearing[0])
    return current, list(found.values())


def published_campaigns_for_code(code: str) -> tuple[AdminUnit | None, list[PublishedResult]]:
    """The commune for `code` and the published campaigns of it and its predecessors, newest first."""
    commune, units = units_for_code(code)
    if commune is None:
        return None, []
    campaigns = db.session.execute(select(Campaign).where(
        Campaign.commune_id.in_([u.id for u in units]), Campaign.status == CampaignStatus.PUBLISHED
    ).order_by(Campaign.closes_on.desc(), Campaign.id.desc())).scalars().all()
    return commune, [_result(c) for c in campaigns]


def _result(campaign: Campaign) -> PublishedResult:
    stopped = campaign.closed_at or campaign.published_at
    if stopped is None:  # published without going through close/publish: never claim a day still to come
        ended_on = campaign.closes_on if campaign.closes_on <= today_in_vietnam() else None
    else:
        ended_on = min(_vietnam_day(stopped), campaign.closes_on)
    early = ended_on is None or ended_on < campaign.closes_on
    return PublishedResult(campaign, campaign_summary(campaign), hamlet_breakdown(campaign), ended_on, early)


def _vietnam_day(moment: datetime) -> date:
    return moment.replace(tzinfo=timezone.utc).astimezone(VIETNAM).date()
