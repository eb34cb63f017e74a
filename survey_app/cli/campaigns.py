"""campaign create/open/close/publish/issued and codes generate."""
import click
from flask import Flask

from survey_app.services.campaigns.codes import generate_codes, unused_codes
from survey_app.services.campaigns.lifecycle import (
    DEFAULT_QUESTIONNAIRE,
    close_campaign,
    create_campaign,
    load_campaign,
    open_campaign,
    publish_campaign,
    record_forms_issued,
)

from ..models import CampaignMode, CampaignStatus, VerdictRule
from ..models.campaign import PURPOSES
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
    @click.option("--questionnaire", default=DEFAULT_QUESTIONNAIRE, show_default=True)
    @click.option("--threshold", type=float, default=0.90, show_default=True)
    @click.option("--mode", type=click.Choice(CampaignMode.ALL), default=CampaignMode.HOUSEHOLD_CODES)
    @click.option("--purpose", type=click.Choice(PURPOSES), default="cong_nhan")
    @click.option("--status", type=click.Choice([CampaignStatus.DRAFT, CampaignStatus.OPEN]),
                  default=CampaignStatus.DRAFT)
    @click.option("--verdict-rule", type=click.Choice(VerdictRule.ALL), default=VerdictRule.OVERALL,
                  show_default=True, help="The result is the overall question's rate, or every question's.")
    @click.option("--min-coverage", type=float, default=0.70, show_default=True)
    @click.option("--forms-issued", type=int, help="Paper forms handed out without an invitation code.")
    @click.option("--allow-non-rural", is_flag=True, help="Allow a phường or đặc khu (NTM surveys are for xã).")
    @click.option("--slug")
    @domain_errors_exit
    def create(commune_code, name, opens, closes, questionnaire, threshold, mode, purpose, status, verdict_rule,
               min_coverage, forms_issued, allow_non_rural, slug):
        """Create a campaign for a rural commune (xã), as a draft or open at once."""
        created = create_campaign(commune_code=commune_code, questionnaire_key=questionnaire, name=name,
                                  opens_on=opens.date(), closes_on=closes.date(), threshold=threshold, mode=mode,
                                  purpose=purpose, status=status, slug=slug, verdict_rule=verdict_rule,
                                  min_coverage=min_coverage, forms_issued=forms_issued,
                                  allow_non_rural=allow_non_rural)
        click.echo(f"campaign_id={created.id} slug={created.slug}")

    def transition(verb: str, service, doc: str):
        @campaign.command(verb, help=doc)
        @click.argument("campaign_id", type=int)
        @domain_errors_exit
        def command(campaign_id):
            changed = service(campaign_id)
            click.echo(f"campaign_id={changed.id} status={changed.status}")

    transition("open", open_campaign, "draft → open; the households it counts are fixed now.")
    transition("close", close_campaign, "open → closed; no channel accepts answers any more.")
    transition("publish", publish_campaign, "closed → published (công khai); every figure is frozen.")

    @campaign.command("issued")
    @click.argument("campaign_id", type=int)
    @click.argument("forms", type=int)
    @domain_errors_exit
    def issued(campaign_id, forms):
        """Record the paper forms handed out by hand (phát ra), beside the invitation codes."""
        changed = record_forms_issued(campaign_id, forms)
        click.echo(f"campaign_id={changed.id} forms_issued={changed.forms_issued}")

    @app.cli.group("codes")
    def codes():
        """Household invitation codes."""

    @codes.command("generate")
    @click.option("--campaign", "campaign_id", type=int, required=True)
    @click.option("--list", "show", is_flag=True, help="Print every unused code afterwards.")
    @domain_errors_exit
    def generate(campaign_id, show):
        """Give every household of the commune a code (only those without one; a draft or open campaign)."""
        found = load_campaign(campaign_id)
        made = generate_codes(found, progress("codes"))
        if show:
            for code in unused_codes(found):
                click.echo(code)
        click.echo(f"generated={made}")
