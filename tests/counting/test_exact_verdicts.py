"""1,808 satisfied of 2,009 valid forms is 89.995 %: "Chưa đạt" everywhere it is shown, "90,0 %" as displayed."""
import csv
import io

from builders import make_commune, open_dates, small_questionnaire
from sqlalchemy import insert, select

from survey_app.extensions import db
from survey_app.models import Answer, Household, Response
from survey_app.services.campaigns.lifecycle import close_campaign, create_campaign, open_campaign, publish_campaign


def _csv(runner, campaign_id, lang="vi"):
    result = runner.invoke(args=["report", "--campaign", str(campaign_id), "--format", "csv", "--lang", lang])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    summary = {row[1]: (row[2], row[3]) for row in rows if row and row[0] == "summary"}
    return rows, summary


def test_1808_of_2009_fails_a_90_percent_bar_in_the_api_the_csv_and_the_public_page(app, client, runner):
    with app.app_context():
        commune = make_commune([0, 0])
        opens, closes = open_dates()
        questionnaire = small_questionnaire(1)
        campaign = create_campaign(commune_code=commune.code, questionnaire_key=questionnaire.key, name="Đợt 2009",
                                   opens_on=opens, closes_on=closes, threshold=0.9)
        hamlet_ids = [h.id for h in commune.children]
        db.session.execute(insert(Household), [{"hamlet_id": hamlet_ids[i % 2], "number": str(i), "active": True}
                                               for i in range(2100)])
        db.session.commit()
        open_campaign(campaign.id)
        households = db.session.execute(select(Household.id, Household.hamlet_id).join(Household.hamlet)
                                        .where(Household.hamlet_id.in_(hamlet_ids)).order_by(Household.id)).all()
        db.session.execute(insert(Response), [
            {"campaign_id": campaign.id, "household_id": hid, "hamlet_id": hamlet, "channel": "paper",
             "is_valid": i < 2009, "verified": True} for i, (hid, hamlet) in enumerate(households[:2015])])
        response_ids = db.session.execute(select(Response.id).where(Response.campaign_id == campaign.id)
                                          .order_by(Response.id)).scalars().all()
        topic, overall = (q.id for q in questionnaire.questions)
        db.session.execute(insert(Answer), [
            {"response_id": rid, "question_id": qid, "satisfied": i < 1808}
            for i, rid in enumerate(response_ids[:2009]) for qid in (topic, overall)])
        db.session.commit()
        close_campaign(campaign.id)
        publish_campaign(campaign.id)
        campaign_id, code = campaign.id, commune.code

    summary = client.get(f"/api/campaigns/{campaign_id}/summary").json  # public once published
    assert (summary["returned"], summary["valid"], summary["invalid"], summary["households"]) == (2015, 2009, 6, 2100)
    assert summary["overall_rate"] == 1808 / 2009 and summary["meets_threshold"] is False
    assert summary["questions_under_bar"] == [topic, overall] and summary["frozen"] is True
    assert all(q["meets_threshold"] is False for q in summary["questions"])

    rows, fields = _csv(runner, campaign_id)
    assert fields["meets_threshold"] == ("false", "") and fields["overall_rate"] == (repr(1808 / 2009), "90,0 %")
    assert fields["threshold"] == ("0.9", "90 %") and fields["coverage"][1] == "96,0 %"  # 2015/2100 = 95.952…
    assert fields["issued"] == ("0", "") and fields["valid"] == ("2009", "")

    page = client.get(f"/cong-khai/{code}").get_data(as_text=True)
    assert "90,0 %" in page and "yêu cầu 90 %" in page
    assert '<strong class="verdict">Chưa đạt</strong>' in page and '<strong class="verdict">Đạt</strong>' not in page
    english = client.get(f"/cong-khai/{code}?lang=en").get_data(as_text=True)
    assert "90.0%" in english and "Overall" in english and "Đánh giá chung" not in english


def test_the_csv_stands_alone_and_speaks_english_when_asked(app, runner, demo):
    from helpers import all_satisfied, campaign_of

    from survey_app.services.survey.responses import submit_response

    with app.app_context():
        campaign = campaign_of(demo)
        for i, code in enumerate(demo["codes"][:8]):
            submit_response(all_satisfied(campaign, except_position=2 if i < 1 else None, reason="xa"),
                            channel="telegram", code=code)
    rows, fields = _csv(runner, demo["campaign_id"], lang="en")
    assert fields["issued"][0] == "56" and fields["returned"][0] == "8" and fields["households"][0] == "56"
    assert fields["coverage"] == (repr(8 / 56), "14.3%") and fields["coverage_met"][0] == "false"
    assert fields["meets_threshold"][0] == "true" and fields["verdict_rule"][0] == "overall"
    assert fields["questions_under_bar"][0] == "2"
    names = [row[2] for row in rows if row and row[0].isdigit()]
    assert "Roads" in names and "Overall" in names and "Đường sá" not in names
    _, vietnamese = _csv(runner, demo["campaign_id"])
    assert vietnamese["coverage"][1] == "14,3 %"
