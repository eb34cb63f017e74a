"""Paper forms typed by staff: channel paper, blanks allowed on valid forms, invalid forms returned but not valid."""
from sqlalchemy import func, select
from staff_helpers import all_answers, post_form

from survey_app.extensions import db
from survey_app.models import Answer, AuditLog, Campaign, Channel, Feedback, InvitationCode, Response
from survey_app.services.survey import responses


def paper_url(world):
    return f"/staff/campaigns/{world.campaign_a}/paper"


def questions(app, world):
    with app.app_context():
        return [(q.id, q.position) for q in db.session.get(Campaign, world.campaign_a).questionnaire.questions]


def save(client, world, code, keys: dict, **extra):
    data = {"code": code, **{f"q{qid}": key for qid, key in keys.items()}, **extra}
    return post_form(client, paper_url(world) + "/save", data, page_url=paper_url(world))


def test_the_typed_code_finds_the_household_and_the_answer_boxes(app, world, signed_in):
    client = signed_in("manager_a")
    page = post_form(client, paper_url(world), {"code": world.codes_a[0].lower().replace("-", " ")},
                     page_url=paper_url(world)).get_data(as_text=True)
    assert world.codes_a[0] in page and "Hộ số" in page
    assert page.count("data-key") == len(questions(app, world)) + 0


def test_a_valid_form_with_blanks_is_stored_as_paper_with_its_audit_row(app, world, signed_in):
    client = signed_in("manager_a")
    qs = questions(app, world)
    keys = {qid: "1" for qid, _ in qs}
    keys[qs[0][0]], keys[qs[1][0]], keys[qs[2][0]] = "2", "0", ""
    response = save(client, world, world.codes_a[0], keys, **{f"r{qs[0][0]}": "Đường ngõ lầy lội"},
                    other_opinion="Cảm ơn xã")
    assert response.status_code == 302
    flashed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{len(qs) - 3} hài lòng, 1 chưa hài lòng, 2 bỏ trống" in flashed
    with app.app_context():
        stored = db.session.execute(select(Response)).scalar_one()
        assert (stored.channel, stored.is_valid, stored.entered_by_id is not None) == (Channel.PAPER, True, True)
        answers = {a.question_id: (a.satisfied, a.reason) for a in stored.answers}
        assert len(answers) == len(qs) - 2 and answers[qs[0][0]] == (False, "Đường ngõ lầy lội")
        assert qs[1][0] not in answers and qs[2][0] not in answers
        audit = db.session.execute(select(AuditLog).where(AuditLog.action == "paper.enter")).scalar_one()
        assert audit.details["valid"] is True and audit.object_id == str(world.campaign_a)
        assert db.session.execute(select(func.count()).select_from(Feedback)).scalar() == 2


def test_an_invalid_form_counts_as_returned_but_not_valid(app, world, signed_in):
    client = signed_in("manager_a")
    qs = questions(app, world)
    response = save(client, world, world.codes_a[1], {qid: "1" for qid, _ in qs}, invalid="y")
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.execute(select(Response)).scalar_one()
        assert (stored.channel, stored.is_valid) == (Channel.PAPER, False)
        assert db.session.execute(select(func.count()).select_from(Answer)).scalar() == 0
    summary = client.get(f"/api/campaigns/{world.campaign_a}/summary").get_json()
    assert (summary["returned"], summary["valid"], summary["invalid"]) == (1, 0, 1)


def test_a_key_other_than_1_2_0_stores_nothing_and_marks_the_question(app, world, signed_in):
    client = signed_in("manager_a")
    qs = questions(app, world)
    keys = {qid: "1" for qid, _ in qs}
    keys[qs[4][0]] = "3"
    response = save(client, world, world.codes_a[2], keys)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Chỉ gõ 1, 2 hoặc 0" in page
    assert f'id="q{qs[4][0]}" name="q{qs[4][0]}" value="3"' in page
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Response)).scalar() == 0
        assert db.session.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "paper.enter")).scalar() == 0


def test_a_code_already_answered_on_the_web_says_so_with_channel_and_time(app, world, signed_in):
    with app.app_context():
        campaign = db.session.get(Campaign, world.campaign_a)
        responses.submit_response(all_answers(campaign), channel=Channel.WEB, code=world.codes_a[3])
    client = signed_in("manager_a")
    page = post_form(client, paper_url(world), {"code": world.codes_a[3]},
                     page_url=paper_url(world)).get_data(as_text=True)
    assert "Hộ này đã trả lời qua trang web lúc" in page
    again = save(client, world, world.codes_a[3], {})
    assert again.status_code == 400 and "đã trả lời qua trang web" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Response)).scalar() == 1


def test_an_unknown_code_is_refused_without_storing(app, world, signed_in):
    client = signed_in("manager_a")
    page = post_form(client, paper_url(world), {"code": "ZZZZ-ZZZZ"}, page_url=paper_url(world)).get_data(as_text=True)
    assert "Không có mã này" in page
    with app.app_context():
        assert db.session.execute(select(InvitationCode.id).where(InvitationCode.used_at.is_not(None))).first() is None
