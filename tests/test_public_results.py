"""/cong-khai/<commune>: published results for everyone, nothing before publication, no personal data."""
from helpers import all_satisfied, campaign_of
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Household
from survey_app.services.survey.responses import submit_response


def test_results_appear_only_once_published_and_show_no_names(app, client, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        for i, code in enumerate(demo["codes"][:4]):
            answers = all_satisfied(campaign, except_position=len(campaign.questionnaire.questions) if i == 0 else None,
                                    reason="Đường xấu")
            submit_response(answers, channel="web", code=code)
        names = db.session.execute(select(Household.head_name)).scalars().all()
    url = f"/cong-khai/{demo['commune_code']}"
    before = client.get(url).get_data(as_text=True)
    assert "Chưa có kết quả được công khai" in before and "75,0 %" not in before
    with app.app_context():
        campaign_of(demo).status = "published"
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "75,0 %" in page  # 3 of 4 satisfied overall, Vietnamese decimal comma, rounded once
    assert "Chưa đạt" in page and "Thôn Yên Thịnh" in page
    assert not any(name in page for name in names)
    assert "Đường xấu" not in page  # reasons are for staff; the public page shows counts
    english = client.get(url + "?lang=en").get_data(as_text=True)
    assert "75.0%" in english


def test_an_unknown_commune_is_a_404(client):
    assert client.get("/cong-khai/00000").status_code == 404
