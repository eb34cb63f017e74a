"""report --campaign ID --format json|csv|xlsx [--lang vi|en] [--output F]."""
import json
import sys
from contextlib import nullcontext

import click
from flask import Flask

from survey_app.services.campaigns.lifecycle import load_campaign
from survey_app.services.reports.csv_report import report_csv
from survey_app.services.reports.exports import campaign_xlsx
from survey_app.services.reports.summary import campaign_summary, hamlet_breakdown

from ._util import domain_errors_exit


def register(app: Flask) -> None:
    @app.cli.command("report")
    @click.option("--campaign", "campaign_id", type=int, required=True)
    @click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="xlsx: write here (default: stdout)")
    @click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                  help="Language of question names and percentages.")
    @domain_errors_exit
    def report(campaign_id, fmt, lang, output):
        """Print a campaign's summary: forms, coverage, verdict, per-question and per-hamlet figures."""
        campaign = load_campaign(campaign_id)
        if fmt == "xlsx":
            with open(output, "wb") if output else nullcontext(sys.stdout.buffer) as out:
                for chunk in campaign_xlsx(campaign):
                    out.write(chunk)
            return
        summary = campaign_summary(campaign, locale=lang)
        if fmt == "json":
            click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        click.echo(report_csv(summary, hamlet_breakdown(campaign), lang), nl=False)
