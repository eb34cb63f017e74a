"""Units survive the 1 July 2025 reform: a merged commune's old campaign still reports correctly."""
from datetime import date

from helpers import all_satisfied
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, CampaignStatus, Household, UnitLevel
from survey_app.services.campaigns.codes import generate_codes, unused_codes
from survey_app.services.reports.summary import campaign_summary
from survey_app.services.survey.responses import submit_response
from survey_app.services.units.catalogue import import_official_units, record_merger, successor


def test_a_2024_campaign_of_a_merged_commune_still_reports(app, demo):
    with app.app_context():
        new = db.session.execute(select(AdminUnit).where(AdminUnit.code == "18673")).scalar_one()
        old = AdminUnit(level=UnitLevel.COMMUNE, code="18700", name="Xã Cẩm Quang (cũ)", division_type="xã",
                        parent=new.parent, valid_from=date(2008, 1, 1))
        hamlet = AdminUnit(level=UnitLevel.HAMLET, code="18700-01", name="Thôn Cũ", parent=old,
                           valid_from=date(2008, 1, 1))
        db.session.add_all([old, hamlet, Household(hamlet=hamlet, number="1"), Household(hamlet=hamlet, number="2")])
        db.session.commit()
        campaign = Campaign(slug="cam-quang-2024", name="2024", commune=old,
                            questionnaire=db.session.get(Campaign, demo["campaign_id"]).questionnaire,
                            opens_on=date(2024, 5, 1), closes_on=date(2024, 5, 28), status=CampaignStatus.OPEN)
        db.session.add(campaign)
        db.session.commit()
        generate_codes(campaign)
        first = list(unused_codes(campaign))[0]
        submit_response(all_satisfied(campaign), channel="paper", code=first, today=date(2024, 5, 10))

        record_merger(old, new, date(2025, 6, 30))
        import_official_units()  # the official list must not revive or rename the closed unit

        summary = campaign_summary(campaign)
        assert (summary["returned"], summary["households"], summary["overall_rate"]) == (1, 2, 1.0)
        assert summary["commune_code"] == "18700"
        assert successor(old).code == "18673"
        closed = db.session.execute(select(func.count()).where(
            AdminUnit.code == "18700", AdminUnit.valid_to.is_not(None))).scalar_one()
        assert closed == 1
