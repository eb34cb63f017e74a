"""report --campaign ID --format json|csv|xlsx."""
import csv
import json
import sys
from contextlib import nullcontext

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
    @click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="xlsx: write here (default: stdout)")
    @domain_errors_exit
    def report(campaign_id, fmt, output):
        """Print a campaign's summary (counts, coverage, per-question rates)."""
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise DomainError(f"no campaign {campaign_id}")
        if fmt == "xlsx":
            from ..services.exports import campaign_xlsx

            with open(output, "wb") if output else nullcontext(sys.stdout.buffer) as out:
                for chunk in campaign_xlsx(campaign):
                    out.write(chunk)
            return
        summary = campaign_summary(campaign)
        if fmt == "json":
            click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        writer = csv.writer(sys.stdout)
        writer.writerow(["position", "criterion", "question", "satisfied", "not_satisfied", "rate"])
        for q in summary["questions"]:
            writer.writerow([q["position"], q["criterion"] or "", q["short"], q["satisfied"],
                             q["not_satisfied"], q["rate"] if q["rate"] is not None else ""])
