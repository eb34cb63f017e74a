"""The roll-up follows issue #10's rules: figures frozen at publication, the verdict rule, the coverage minimum."""
from __future__ import annotations

from sqlalchemy import delete, select

from survey_app.extensions import db
from survey_app.models import Answer, Campaign, Response
from survey_app.services.campaigns.lifecycle import publish_campaign
from survey_app.services.reports import province
from survey_app.services.reports.summary import campaign_summary


def _row(campaign_id: int) -> dict:
    return next(r for r in province.province_rollup(province.find_province("99")) if r["campaign_id"] == campaign_id)


def test_a_published_campaign_is_rolled_up_from_its_frozen_figures(app, bench):
    with app.app_context():
        campaign = db.session.execute(select(Campaign).where(Campaign.slug == "bench-99001-latest")).scalar_one()
        campaign.status = "closed"
        db.session.commit()
        publish_campaign(campaign.id)
        frozen = campaign_summary(campaign)
        assert frozen["frozen"]
        late = db.session.execute(select(Response.id).where(Response.campaign_id == campaign.id)).scalars().first()
        db.session.execute(delete(Answer).where(Answer.response_id == late))
        db.session.execute(delete(Response).where(Response.id == late))  # a change after publication
        db.session.commit()
        row = _row(campaign.id)
        assert row["frozen"] and (row["returned"], row["valid"]) == (frozen["returned"], frozen["valid"])
        assert (row["satisfied"], row["answered"]) == (frozen["overall_satisfied"], frozen["overall_answered"])


def test_the_every_question_rule_and_the_coverage_minimum_decide_the_row(app, bench):
    with app.app_context():
        campaign = db.session.execute(select(Campaign).where(Campaign.slug == "bench-99002-latest")).scalar_one()
        for rule in ("overall", "every_question"):
            for threshold in (0.5, 0.85, 0.9):
                campaign.verdict_rule, campaign.threshold, campaign.min_coverage = rule, threshold, 0.99
                db.session.commit()
                s, row = campaign_summary(campaign), _row(campaign.id)
                assert row["meets_threshold"] is s["meets_threshold"], (rule, threshold)
                assert row["coverage_met"] is s["coverage_met"] is False
        campaign.min_coverage = 0.1
        db.session.commit()
        assert _row(campaign.id)["coverage_met"] is campaign_summary(campaign)["coverage_met"] is True
