"""The public page and the poster show what publication froze, read in a few statements, none from a template."""
from __future__ import annotations

import re
from contextlib import contextmanager

from flask import before_render_template, template_rendered
from helpers import all_satisfied, campaign_of
from sqlalchemy import delete, event, select

from survey_app.extensions import db
from survey_app.models import Answer, Campaign, Response
from survey_app.services.campaigns.lifecycle import close_campaign, publish_campaign
from survey_app.services.reports.public_figures import LIVE_PARTS
from survey_app.services.reports.summary import compute_summary
from survey_app.services.survey.responses import submit_response

PAGE_STATEMENTS = 3  # the commune with its parent, the units merged into it, the published campaigns (were 18)
POSTER_STATEMENTS = 1  # the campaign with its commune and the commune's parent (were 17)


@contextmanager
def statements_of(app):
    """Every SQL statement run meanwhile, and those run while a template was rendering."""
    run, in_template, rendering = [], [], []

    def count(conn, cursor, statement, *args):
        run.append(statement)
        if rendering:
            in_template.append(statement)

    def starts(sender, **extra):
        rendering.append(1)

    def ends(sender, **extra):
        rendering.clear()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    before_render_template.connect(starts, app)
    template_rendered.connect(ends, app)
    try:
        yield run, in_template
    finally:
        event.remove(engine, "before_cursor_execute", count)
        before_render_template.disconnect(starts, app)
        template_rendered.disconnect(ends, app)


def _answer_and_close(app, demo, n: int = 6) -> int:
    with app.app_context():
        campaign = campaign_of(demo)
        for code in demo["codes"][:n]:
            submit_response(all_satisfied(campaign), channel="web", code=code)
        close_campaign(campaign.id)
        return campaign.id


def test_publication_freezes_every_public_figure_as_the_live_counts_stood(app, client, demo):
    campaign_id = _answer_and_close(app, demo)
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        live = {part: compute(campaign) for part, compute in LIVE_PARTS.items()}
        live_summary = compute_summary(campaign)
        publish_campaign(campaign_id)
        db.session.expire_all()
        frozen = db.session.get(Campaign, campaign_id).frozen_figures
        assert {part: frozen[part] for part in LIVE_PARTS} == live
        assert {k: frozen["summary"][k] for k in ("returned", "valid", "households", "overall_rate")} == \
            {k: live_summary[k] for k in ("returned", "valid", "households", "overall_rate")}
        assert sum(c["verified"] for c in frozen["channels"]) == 6 and frozen["turnout"][-1]["cumulative"] == 6
        late = db.session.execute(select(Response.id).where(Response.campaign_id == campaign_id)).scalars().first()
        db.session.execute(delete(Answer).where(Answer.response_id == late))
        db.session.execute(delete(Response).where(Response.id == late))  # a change after publication
        db.session.commit()
        assert sum(c["verified"] for c in LIVE_PARTS["channels"](campaign)) == 5
    code = demo["commune_code"]
    page = client.get(f"/cong-khai/{code}").get_data(as_text=True)
    assert "Trang web: 6 có mã hộ" in page and "5 có mã hộ" not in page  # the channels chart's text
    assert re.search(r"\d{4}-\d\d-\d\d: 6\b", page)  # the turnout chart ends at the six forms published
    poster = client.get(f"/cong-khai/{code}/{campaign_id}/in").get_data(as_text=True)
    hamlet = next(h for h in frozen["poster_hamlets"] if h["returned"])
    assert f'{hamlet["name"]}</th><td>{hamlet["households"]}</td><td>{hamlet["returned"]}</td>' in poster


def test_the_public_pages_of_a_published_campaign_run_a_bounded_few_statements_none_from_templates(app, client, demo):
    campaign_id = _answer_and_close(app, demo)
    with app.app_context():
        publish_campaign(campaign_id)
    code = demo["commune_code"]
    with statements_of(app) as (run, in_template):
        assert client.get(f"/cong-khai/{code}").status_code == 200
    assert len(run) <= PAGE_STATEMENTS and not in_template, run
    with statements_of(app) as (run, in_template):
        assert client.get(f"/cong-khai/{code}/{campaign_id}/in").status_code == 200
    assert len(run) <= POSTER_STATEMENTS and not in_template, run


def test_a_round_marked_published_before_figures_were_frozen_is_computed_live_outside_templates(app, client, demo):
    campaign_id = _answer_and_close(app, demo)
    with app.app_context():
        db.session.get(Campaign, campaign_id).status = "published"  # as rounds published before the freeze
        db.session.commit()
    code = demo["commune_code"]
    with statements_of(app) as (_, in_template):
        page = client.get(f"/cong-khai/{code}").get_data(as_text=True)
        poster = client.get(f"/cong-khai/{code}/{campaign_id}/in").get_data(as_text=True)
    assert not in_template
    assert "Trang web: 6 có mã hộ" in page and "100,0 %" in poster
