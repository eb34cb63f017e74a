"""campaign create and codes generate."""
import click
from flask import Flask

from ..errors import DomainError
from ..extensions import db
from ..models import Campaign, CampaignMode, CampaignStatus
from ..models.campaign import PURPOSES
from ..services.campaigns import create_campaign
from ..services.codes import generate_codes, unused_codes
from ._util import domain_errors_exit, progress


def register(app: Flask) -> None:
    @app.cli.group("campaign")
    def campaign():
        """Campaigns (đợt lấy ý kiến)."""

    @campaign.command("create")
    @click.option("--commune", "commune_code", required=True)
    @click.option("--name", required=True)
    @click.option("--opens", type=click.DateTime(["%Y-%m-%d"]), required=True)
    @click.option("--closes", type=click.DateTime(["%Y-%m-%d"]), required=True)
    @click.option("--questionnaire", default="xa-ntm-2026-2030", show_default=True)
    @click.option("--threshold", type=float, default=0.90, show_default=True)
    @click.option("--mode", type=click.Choice(CampaignMode.ALL), default=CampaignMode.HOUSEHOLD_CODES)
    @click.option("--purpose", type=click.Choice(PURPOSES), default="cong_nhan")
    @click.option("--status", type=click.Choice(CampaignStatus.ALL), default=CampaignStatus.DRAFT)
    @click.option("--slug")
    @domain_errors_exit
    def create(commune_code, name, opens, closes, questionnaire, threshold, mode, purpose, status, slug):
        """Open a campaign for a commune."""
        created = create_campaign(commune_code=commune_code, questionnaire_key=questionnaire, name=name,
                                  opens_on=opens.date(), closes_on=closes.date(), threshold=threshold, mode=mode,
                                  purpose=purpose, status=status, slug=slug)
        click.echo(f"campaign_id={created.id} slug={created.slug}")

    @app.cli.group("codes")
    def codes():
        """Household invitation codes."""

    @codes.command("generate")
    @click.option("--campaign", "campaign_id", type=int, required=True)
    @click.option("--list", "show", is_flag=True, help="Print every unused code afterwards.")
    @domain_errors_exit
    def generate(campaign_id, show):
        """Give every household of the campaign's commune a code (only those without one)."""
        found = db.session.get(Campaign, campaign_id)
        if found is None:
            raise DomainError(f"no campaign {campaign_id}")
        made = generate_codes(found, progress("codes"))
        if show:
            for code in unused_codes(found):
                click.echo(code)
        click.echo(f"generated={made}")
