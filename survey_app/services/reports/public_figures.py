"""The figures the public pages (công khai) show of a campaign, and what publication freezes of them.

`publish_campaign` stores `freeze(campaign)` in `Campaign.frozen_figures`; `public_figures` serves it back,
so the public page and the poster show the counts as they stood when the commune published them.
"""
from __future__ import annotations

from survey_app.models import Campaign, CampaignStatus
from survey_app.services.reports.campaign_report import channel_mix, hamlet_figures, turnout
from survey_app.services.reports.summary import campaign_summary, hamlet_breakdown

# Beside the summary, each part a public page shows and the live query that computes it:
# "hamlets" the results page's table, "poster_hamlets" the poster's, "channels" and "turnout" the charts.
LIVE_PARTS = {"hamlets": hamlet_breakdown, "poster_hamlets": hamlet_figures, "channels": channel_mix,
              "turnout": turnout}


def freeze(campaign: Campaign) -> dict:
    """Every figure the public pages show, computed now: what publication stores (questions in Vietnamese)."""
    summary = campaign_summary(campaign, locale="vi")
    summary.update(status=CampaignStatus.PUBLISHED, frozen=True)
    for q in summary["questions"]:
        q.pop("short", None)  # localised again when read
    return {"summary": summary, **{part: live(campaign) for part, live in LIVE_PARTS.items()}}


def public_figures(campaign: Campaign, parts: tuple[str, ...]) -> dict:
    """The summary and the named parts: as frozen at publication, else computed now.

    A campaign published before a part was frozen (or marked published by hand, as older rounds were) has
    none stored: that part is computed now, as the pages always did. Freezing it on first read instead would
    store today's counts under the publication date, and make a public GET write (replicas serve these pages).
    """
    frozen = campaign.frozen_figures or {}
    figures = {"summary": campaign_summary(campaign)}
    for part in parts:
        stored = frozen.get(part)
        figures[part] = [dict(row) for row in stored] if stored is not None else LIVE_PARTS[part](campaign)
    return figures
