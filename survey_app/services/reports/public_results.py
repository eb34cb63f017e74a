"""What the public pages (công khai) of a commune code show: published campaigns only, no personal data.

A code may have been borne by several units over time, and communes merged on 1 July 2025 live on in their
successor: the page of a code covers every unit that bore it and every unit merged into one of them.
Every figure comes from `public_figures` (frozen at publication); the units and campaigns come with the
names the pages print (commune, its parent) already loaded, so rendering runs no SQL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, CampaignStatus, UnitLevel
from survey_app.services.clock import VIETNAM, today_in_vietnam
from survey_app.services.reports.public_figures import public_figures


@dataclass
class PublishedResult:
    """One campaign on the results page."""
    campaign: Campaign
    summary: dict
    hamlets: list[dict]
    channels: list[dict]
    turnout: list[dict]
    ended_on: date | None  # the day answers stopped (None: published before its planned closing day, day unknown)
    closed_early: bool


@dataclass
class Poster:
    """The A4 notice of one campaign: the summary and the hamlets' overall counts."""
    campaign: Campaign
    summary: dict
    hamlets: list[dict]


def units_for_code(code: str) -> tuple[AdminUnit | None, list[AdminUnit]]:
    """(the newest commune bearing `code`, it and every unit that bore the code or was merged into one)."""
    bearing = list(db.session.execute(select(AdminUnit).options(joinedload(AdminUnit.parent)).where(
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


def _with_commune():
    return joinedload(Campaign.commune).joinedload(AdminUnit.parent)


def published_campaigns_for_code(code: str) -> tuple[AdminUnit | None, list[PublishedResult]]:
    """The commune for `code` and the published campaigns of it and its predecessors, newest first."""
    commune, units = units_for_code(code)
    if commune is None:
        return None, []
    campaigns = db.session.execute(select(Campaign).options(_with_commune()).where(
        Campaign.commune_id.in_([u.id for u in units]), Campaign.status == CampaignStatus.PUBLISHED
    ).order_by(Campaign.closes_on.desc(), Campaign.id.desc())).scalars().all()
    return commune, [_result(c) for c in campaigns]


def published_campaign(commune_code: str, campaign_id: int) -> Campaign | None:
    """That commune code's published campaign with that id; None for any other (the public pages 404)."""
    campaign = db.session.execute(select(Campaign).options(_with_commune()).where(
        Campaign.id == campaign_id)).scalar_one_or_none()
    if campaign is None or campaign.commune.code != commune_code or campaign.status != CampaignStatus.PUBLISHED:
        return None
    return campaign


def poster_for(commune_code: str, campaign_id: int) -> Poster | None:
    """The poster of that published campaign (None: no such published campaign)."""
    campaign = published_campaign(commune_code, campaign_id)
    if campaign is None:
        return None
    figures = public_figures(campaign, ("poster_hamlets",))
    return Poster(campaign, figures["summary"], figures["poster_hamlets"])


def _result(campaign: Campaign) -> PublishedResult:
    stopped = campaign.closed_at or campaign.published_at
    if stopped is None:  # published without going through close/publish: never claim a day still to come
        ended_on = campaign.closes_on if campaign.closes_on <= today_in_vietnam() else None
    else:
        ended_on = min(_vietnam_day(stopped), campaign.closes_on)
    early = ended_on is None or ended_on < campaign.closes_on
    figures = public_figures(campaign, ("hamlets", "channels", "turnout"))
    return PublishedResult(campaign, figures["summary"], figures["hamlets"], figures["channels"],
                           figures["turnout"], ended_on, early)


def _vietnam_day(moment: datetime) -> date:
    return moment.replace(tzinfo=timezone.utc).astimezone(VIETNAM).date()
