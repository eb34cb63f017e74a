"""init-db and seed-demo."""
import json

import click
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from survey_app.devdata.demo import seed_demo
from survey_app.services.campaigns.codes import unused_codes
from survey_app.services.survey.reference import ensure_reference_data

from ..extensions import db
from ..models import Campaign


def _show_existing() -> bool:
    campaign = db.session.execute(select(Campaign).order_by(Campaign.id)).scalars().first()
    if campaign is None:
        return False
    click.echo(f"database already has campaigns; first: {campaign.id} ({campaign.slug}). Admin password unchanged "
               "(`flask --app survey_app seed-demo` resets it).")
    click.echo("a few household codes: " + ", ".join(list(unused_codes(campaign))[:5]))
    return True


def register(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db():
        """Apply every migration and load criteria sets and questionnaires; never drops data."""
        upgrade()
        added = ensure_reference_data()
        click.echo(f"database at head; added {added['criteria_sets']} criteria sets, "
                   f"{added['questionnaires']} questionnaires")

    @app.cli.command("seed-demo")
    @click.option("--json", "as_json", is_flag=True, help="End with one line of JSON (codes, admin login).")
    @click.option("--households", default=400, show_default=True)
    @click.option("--if-empty", is_flag=True, help="Do nothing (but show a few codes) if any campaign exists.")
    def seed_demo_command(as_json: bool, households: int, if_empty: bool):
        """Create the demo commune and open campaign (again: resets the admin password)."""
        if if_empty and _show_existing():
            return
        click.echo("seeding the demo commune…", err=True)
        info = seed_demo(households=households)
        if as_json:
            click.echo(json.dumps(info, ensure_ascii=False))
            return
        click.echo(f"campaign {info['campaign_id']} ({info['campaign_slug']}), commune {info['commune_code']}; "
                   f"answer as a household at /s/{info['codes'][0] if info['codes'] else '<code>'}")
        click.echo(f"admin login: {info['admin_username']} / {info['admin_password']}  (shown once; "
                   "run seed-demo again to reset)")
        click.echo("a few household codes: " + ", ".join(info["codes"][:5]))
