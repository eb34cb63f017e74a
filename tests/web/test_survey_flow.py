"""/s/<code>: a household answers page by page, every step is saved, and one response is stored."""
from datetime import timedelta

from helpers import all_satisfied, campaign_of
from sqlalchemy import func, select
from survey_walk import Walker, csrf_of

from survey_app.extensions import db
from survey_app.models import CampaignStatus, Feedback, Household, Response, SurveyDraft
from survey_app.services.survey.responses import submit_response


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_home_box_accepts_a_code_typed_with_lookalikes_and_opens_its_survey(client, demo):
    code = demo["codes"][3]
    typed = " " + code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    home = client.get("/")
    answer = client.post("/", data={"csrf_token": csrf_of(home.text), "code": typed})
    assert answer.status_code == 302 and answer.location.endswith(f"/s/{code}")
    intro = client.get(answer.location)
    assert "Mặt trận" in intro.text and "Bắt đầu trả lời" in intro.text


def test_the_home_box_explains_a_malformed_or_unknown_code_next_to_the_field(client, demo):
    home = client.get("/")
    short = client.post("/", data={"csrf_token": csrf_of(home.text), "code": "K7QM"})
    assert 'id="code-error"' in short.text and "8 chữ và số" in short.text
    assert 'aria-invalid="true"' in short.text
    unknown = client.post("/", data={"csrf_token": csrf_of(home.text), "code": "ZZZZ-ZZZZ"})
    assert unknown.status_code == 200 and "Không tìm thấy mã này" in unknown.text


def test_a_sloppy_code_in_the_address_redirects_to_the_printed_form(client, demo):
    code = demo["codes"][0]
    response = client.get("/s/" + code.lower().replace("-", ""))
    assert response.status_code == 301 and response.location.endswith(f"/s/{code}")


def test_an_unknown_code_gets_a_friendly_page_with_the_code_box(client, demo):
    response = client.get("/s/ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert "Không tìm thấy mã này" in response.text and 'name="code"' in response.text


def test_a_household_answers_every_step_and_one_response_is_stored(app, client, demo, pages):
    walker = Walker(client, "/s/" + demo["codes"][0])
    first = walker.question_ids(1)[0]
    walker.answer_all(pages, no={first: "Đường thôn 3 lầy lội"}, other="Cảm ơn xã")
    review = walker.get("/xem-lai")
    assert "Đường thôn 3 lầy lội" in review.text and "Cảm ơn xã" in review.text and "Gửi phiếu" in review.text
    sent, _ = walker.send()
    assert sent.status_code == 302 and sent.location.endswith("/cam-on")
    thanks = walker.get("/cam-on")
    assert "Cảm ơn gia đình" in thanks.text and f"/cong-khai/{demo['commune_code']}" in thanks.text
    with app.app_context():
        response = db.session.execute(select(Response)).scalar_one()
        assert response.channel == "web" and response.verified and response.is_valid
        assert len(response.answers) == len(campaign_of(demo).questionnaire.questions)
        assert {a.satisfied for a in response.answers if a.question_id == first} == {False}
        assert {f.text for f in db.session.execute(select(Feedback)).scalars()} == {"Đường thôn 3 lầy lội",
                                                                                    "Cảm ơn xã"}
        assert count(SurveyDraft) == 0


def test_next_without_answers_shows_an_error_next_to_each_question(walker):
    ids = walker.question_ids(1)
    page = walker.post("/trang/1", {"go": "next", f"q{ids[0]}": "yes"})
    assert page.status_code == 200
    assert page.text.count('class="error"') == len(ids) - 1
    assert f'id="q{ids[1]}-error"' in page.text and f'aria-describedby="q{ids[1]}-error"' in page.text
    assert "Còn câu chưa trả lời" in page.text
    assert f'checked id="q{ids[0]}-0"' in page.text  # what was chosen stays chosen


def test_every_step_is_saved_so_a_new_visit_resumes_where_the_resident_stopped(app, demo, walker):
    ids = walker.question_ids(1)
    walker.post("/trang/1", {"go": "next", **{f"q{i}": "yes" for i in ids}})
    fresh = app.test_client()  # the tab was closed: a new browser session
    intro = fresh.get("/s/" + demo["codes"][0])
    assert "Trả lời tiếp" in intro.text and "/trang/2" in intro.text
    again = fresh.get("/s/" + demo["codes"][0] + "/trang/1")
    assert again.text.count("checked") == len(ids)


def test_back_saves_the_page_without_asking_for_every_answer(walker):
    ids = walker.question_ids(2)
    back = walker.post("/trang/2", {"go": "back", f"q{ids[0]}": "no", f"r{ids[0]}": "Thiếu đèn đường"})
    assert back.status_code == 302 and back.location.endswith("/trang/1")
    page = walker.get("/trang/2")
    assert "Thiếu đèn đường" in page.text and f'checked id="q{ids[0]}-1"' in page.text


def test_the_scripts_background_save_answers_204_and_keeps_the_tap(walker):
    ids = walker.question_ids(1)
    saved = walker.post("/trang/1", {"go": "save", f"q{ids[0]}": "no"})
    assert saved.status_code == 204
    assert f'checked id="q{ids[0]}-1"' in walker.get("/trang/1").text


def test_a_reason_that_is_too_long_is_refused_next_to_its_box(walker):
    ids = walker.question_ids(1)
    page = walker.post("/trang/1", {"go": "next", **{f"q{i}": "no" for i in ids}, f"r{ids[0]}": "x" * 2001})
    assert page.status_code == 200 and f'id="r{ids[0]}-error"' in page.text and "2000" in page.text


def test_the_review_lists_missing_answers_and_offers_no_send_button(walker, pages):
    walker.post("/trang/1", {"go": "next", **{f"q{i}": "yes" for i in walker.question_ids(1)}})
    review = walker.get("/xem-lai")
    assert "chưa trả lời" in review.text and "Gửi phiếu" not in review.text
    assert "Trả lời câu còn thiếu" in review.text


def test_a_double_submit_stores_one_response_and_thanks_both_times(app, walker, pages):
    walker.answer_all(pages)
    first, key = walker.send()
    second = walker.client.post(walker.base + "/gui", data={"submission_key": key, "csrf_token": _token(walker.client)})
    assert first.status_code == 302 and second.status_code == 200
    assert "Cảm ơn gia đình" in second.text
    with app.app_context():
        assert count(Response) == 1


def _token(client) -> str:
    """A CSRF token for this client's session, from the home page (the review page is gone once sent)."""
    return csrf_of(client.get("/").text)


def test_a_form_resent_from_a_lost_session_is_still_thanked(app, walker, pages, demo):
    walker.answer_all(pages)
    _, key = walker.send()
    other = app.test_client()
    resend = other.post(walker.base + "/gui", data={"csrf_token": _token(other), "submission_key": key})
    assert "Cảm ơn gia đình" in resend.text
    stranger = app.test_client().get(walker.base)
    assert "Phiếu này đã được gửi" in stranger.text and "Cảm ơn gia đình" not in stranger.text


def test_a_used_code_shows_when_the_household_answered_not_the_form(app, client, demo):
    with app.app_context():
        submit_response(all_satisfied(campaign_of(demo)), channel="telegram", code=demo["codes"][5])
    page = client.get("/s/" + demo["codes"][5])
    assert page.status_code == 200
    assert "Phiếu này đã được gửi" in page.text and "qua Telegram" in page.text and "tháng" in page.text
    assert "Bắt đầu trả lời" not in page.text and "<form" not in page.text.split("</header>")[1]
    assert client.get("/s/" + demo["codes"][5] + "/trang/1").text.count('type="radio"') == 0


def test_a_closed_campaign_says_so_kindly(app, client, demo):
    with app.app_context():
        campaign_of(demo).status = CampaignStatus.CLOSED
        db.session.commit()
    page = client.get("/s/" + demo["codes"][0])
    assert "Đợt lấy ý kiến đã kết thúc" in page.text and "Cảm ơn gia đình đã quan tâm" in page.text
    assert 'type="radio"' not in client.get("/s/" + demo["codes"][0] + "/trang/1").text


def test_a_campaign_not_yet_open_gives_its_start_date(app, client, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        campaign.opens_on += timedelta(days=10)
        campaign.closes_on += timedelta(days=10)
        db.session.commit()
    page = client.get("/s/" + demo["codes"][0])
    assert "Chưa đến đợt lấy ý kiến" in page.text and "tháng" in page.text


def test_the_english_survey_is_fully_translated(walker):
    intro = walker.get("?lang=en")
    assert 'lang="en"' in intro.text and "Who is asking?" in intro.text and "Start answering" in intro.text
    page = walker.get("/trang/1")
    assert "Satisfied" in page.text and "Not yet satisfied" in page.text and "Questions 1–3 of 19" in page.text
    assert "Hài lòng" not in page.text
    assert 'href="/s/' in page.text and "?lang=vi" in page.text


def test_no_page_shows_a_household_head_name(app, walker, pages):
    with app.app_context():
        names = [n for n in db.session.execute(select(Household.head_name)).scalars() if n]
    walker.answer_all(pages)
    bodies = [walker.get(p).text for p in ("", "/trang/1", "/trang/2", "/y-kien-khac", "/xem-lai")]
    walker.send()
    bodies.append(walker.get("/cam-on").text)
    for body in bodies:
        assert not any(name in body for name in names)
