"""report --campaign ID --format json|csv [--lang vi|en]."""
import json

import click
from flask import Flask

from ..errors import DomainError
from ..extensions import db
from ..models import Campaign
from ..services.report_export import report_csv
from ..services.reports import campaign_summary, hamlet_breakdown
from ._util import domain_errors_exit


def register(app: Flask) -> None:
    @app.cli.command("report")
    @click.option("--campaign", "campaign_id", type=int, required=True)
    @click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
    @click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                  help="Language of question names and percentages.")
    @domain_errors_exit
    def report(campaign_id, fmt, lang):
        """Print a campaign's summary: forms, coverage, verdict, per-question and per-hamlet figures."""
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise DomainError(f"no campaign {campaign_id}")
        summary = campaign_summary(campaign, locale=lang)
        if fmt == "json":
            click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        click.echo(report_csv(summary, hamlet_breakdown(campaign), lang), nl=False)
