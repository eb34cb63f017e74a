"""report --campaign ID --format json|csv."""
import csv
import json
import sys

import click
from flask import Flask

from ..errors import DomainError
from ..extensions import db
from ..models import Campaign
from ..services.reports import campaign_summary
from ._util import domain_errors_exit


def register(app: Flask) -> None:
    @app.cli.command("report")
    @click.option("--campaign", "campaign_id", type=int, required=True)
    @click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
    @domain_errors_exit
    def report(campaign_id, fmt):
        """Print a campaign's summary (counts, coverage, per-question rates)."""
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise DomainError(f"no campaign {campaign_id}")
        summary = campaign_summary(campaign)
        if fmt == "json":
            click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        writer = csv.writer(sys.stdout)
        writer.writerow(["position", "criterion", "question", "satisfied", "not_satisfied", "rate"])
        for q in summary["questions"]:
            writer.writerow([q["position"], q["criterion"] or "", q["short"], q["satisfied"],
                             q["not_satisfied"], q["rate"] if q["rate"] is not None else ""])
