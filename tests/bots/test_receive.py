"""receive(): one chat event handled once, in one transaction with its replies, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from datetime import timedelta

from chat_resident import Resident
from helpers import all_satisfied, campaign_of
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from survey_walk import Walker

from bots.messages import EventKind
from survey_app.extensions import db
from survey_app.models import Answer, ChatSession, Feedback, OutboundMessage, Response, SurveyDraft
from survey_app.models._common import utcnow
from survey_app.services.survey.responses import submit_response

START, TEXT, BUTTON = EventKind.START, EventKind.TEXT, EventKind.BUTTON


def question_total(app, demo) -> int:
    with app.app_context():
        return len(campaign_of(demo).questionnaire.questions)


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def chat_survey(resident: Resident, code: str, no: dict[int, str], other: str = "") -> None:
    """Answer every question in chat: typed "chưa" with its reason for the ids in `no`, buttons otherwise."""
    resident.send(START, code)
    resident.send(BUTTON, "lang:vi")
    while resident.payloads and resident.payloads[0].startswith("q"):
        qid = int(resident.payloads[0][1:].split(":")[0])
        if qid in no:
            resident.send(TEXT, "chưa")
            resident.send(TEXT, no[qid])
        else:
            resident.send(BUTTON, f"q{qid}:1")
    resident.send(TEXT, other) if other else resident.send(BUTTON, "o:skip")
    assert resident.payloads == ["s:send", "s:edit"], resident.text
    resident.send(BUTTON, "s:send")


def stored(response_id: int) -> set[tuple]:
    rows = db.session.execute(select(Answer.question_id, Answer.satisfied, Answer.reason)
                              .where(Answer.response_id == response_id)).all()
    return {tuple(r) for r in rows}


def test_a_chat_survey_stores_what_the_web_form_stores_for_the_same_choices(app, client, demo, pages):
    with app.app_context():
        questions = campaign_of(demo).questionnaire.questions
        no = {questions[1].id: "Đường thôn 3 lầy lội", questions[6].id: "Sóng yếu"}
    resident = Resident(app)
    chat_survey(resident, demo["codes"][0], no, other="Cảm ơn xã")
    assert "Cảm ơn gia đình" in resident.text
    web = Walker(client, "/s/" + demo["codes"][1])
    web.answer_all(pages, no=no, other="Cảm ơn xã")
    web.send()
    with app.app_context():
        chat, site = db.session.execute(select(Response).order_by(Response.id)).scalars().all()
        assert chat.channel == "telegram" and site.channel == "web"
        assert stored(chat.id) == stored(site.id) and len(stored(chat.id)) == len(questions)
        assert (chat.is_valid, chat.verified) == (site.is_valid, site.verified) == (True, True)
        feedback = db.session.execute(select(Feedback.text, Feedback.source, Feedback.response_id,
                                             Feedback.chat_session_id)).all()
        session_id = db.session.execute(select(ChatSession.id)).scalar_one()
        assert sorted((t, s) for t, s, r, c in feedback if r == chat.id) == sorted(
            (t, s) for t, s, r, c in feedback if r == site.id)
        assert {c for t, s, r, c in feedback if r == chat.id} == {session_id}
        assert count(SurveyDraft) == 0
        assert db.session.execute(select(ChatSession.state)).scalar_one().get("at") == "idle"


def test_the_same_update_delivered_five_times_is_handled_once(app, demo):
    resident = Resident(app)
    resident.send(START, demo["codes"][0])
    resident.send(BUTTON, "lang:vi")
    first = resident.payloads[0].split(":")[0]
    replies = [resident.send(BUTTON, f"{first}:2", external_id="upd-77") for _ in range(5)]
    assert replies[0] and replies[1:] == [[]] * 4
    with app.app_context():
        draft = db.session.execute(select(SurveyDraft)).scalar_one()
        assert len(draft.data["answers"]) == 1
        assert count(OutboundMessage) == 2 + 1 + 1  # intro, language; question 1; the reason prompt


def test_a_second_update_of_a_chat_waits_for_the_first_and_both_take_effect(app, demo):
    """SQLite: the first update's first statement takes the write lock. PostgreSQL: the conversation's row
    lock. Either way the second update reads what the first committed, never a stale conversation."""
    resident = Resident(app)
    resident.send(START, demo["codes"][0])
    resident.send(BUTTON, "lang:vi")
    q1 = int(resident.payloads[0][1:].split(":")[0])
    other_worker, failures = Resident(app), []

    def press():
        try:
            other_worker.send(TEXT, "1")  # typed "1": satisfied with whatever question is current
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    worker = threading.Thread(target=press)
    # The first update is about to write; the second starts now and must wait for its commit.
    event.listen(Session, "before_flush", lambda *a: worker.start(), once=True)
    resident.send(TEXT, "2")
    worker.join(30)
    assert not failures and not worker.is_alive()
    with app.app_context():
        answers = db.session.execute(select(SurveyDraft.data)).scalar_one()["answers"]
        # "2" answered question 1 ("chưa hài lòng"); then "1", handled after it, was read as the reason asked for.
        assert answers[str(q1)] == {"satisfied": False, "reason": "1"}
        assert db.session.execute(select(ChatSession.state)).scalar_one()["at"] == "question"


def test_a_household_that_started_on_the_web_finishes_in_chat(app, client, demo):
    web = Walker(client, "/s/" + demo["codes"][0])
    ids = web.question_ids(1)
    web.post("/trang/1", {"go": "next", **{f"q{i}": "yes" for i in ids}, f"q{ids[1]}": "no",
                          f"r{ids[1]}": "Mất điện"})
    resident = Resident(app)
    resident.send(START, demo["codes"][0])
    total = question_total(app, demo)
    assert f"{len(ids)}/{total}" in resident.text and resident.payloads == ["res:go", "res:redo"]
    resident.send(BUTTON, "res:go")
    assert resident.text.startswith(f"Câu {len(ids) + 1}/{total}")
    while resident.payloads and resident.payloads[0].startswith("q"):
        resident.send(BUTTON, resident.payloads[0].split(":")[0] + ":1")
    resident.send(BUTTON, "o:skip")
    assert "(Mất điện)" in resident.text
    resident.send(BUTTON, "s:send")
    with app.app_context():
        response = db.session.execute(select(Response)).scalar_one()
        assert response.channel == "telegram" and len(response.answers) == total
        assert {(a.question_id, a.reason) for a in response.answers if not a.satisfied} == {(ids[1], "Mất điện")}


def test_a_chat_survey_then_the_web_one_response_and_the_second_told_politely(app, client, demo):
    resident = Resident(app, channel="zalo")
    chat_survey(resident, demo["codes"][0], {})
    page = client.get("/s/" + demo["codes"][0])
    assert "Phiếu này đã được gửi" in page.text and "qua Zalo" in page.text
    again = Resident(app, user="9999")
    again.send(TEXT, demo["codes"][0].lower())
    assert "đã được gửi lúc" in again.text and "qua Zalo" in again.text
    with app.app_context():
        assert count(Response) == 1


def test_a_web_send_during_a_chat_survey_is_told_in_the_chat(app, demo):
    resident = Resident(app)
    resident.send(START, demo["codes"][0])
    resident.send(BUTTON, "lang:vi")
    with app.app_context():
        submit_response(all_satisfied(campaign_of(demo)), channel="web", code=demo["codes"][0])
    resident.send(BUTTON, resident.payloads[0])
    assert "đã được gửi lúc" in resident.text and "qua trang web" in resident.text
    with app.app_context():
        assert count(Response) == 1


def test_opting_out_wins_and_start_welcomes_the_resident_back(app, demo):
    resident = Resident(app)
    resident.send(START, demo["codes"][0])
    resident.send(TEXT, "DỪNG")
    assert "Đã dừng" in resident.text
    assert resident.send(TEXT, "Đường hỏng") == []
    with app.app_context():
        assert db.session.execute(select(ChatSession.opted_out)).scalar_one() is True
        assert count(Feedback) == 0
    resident.send(EventKind.STOP)
    resident.send(TEXT, "/start " + demo["codes"][0])
    assert "quay lại" in resident.text
    with app.app_context():
        assert db.session.execute(select(ChatSession.opted_out)).scalar_one() is False


def test_a_half_finished_chat_expires_after_seven_days_and_keeps_the_answers(app, demo):
    resident = Resident(app)
    resident.send(START, demo["codes"][0])
    resident.send(BUTTON, "lang:vi")
    resident.send(BUTTON, resident.payloads[0])
    resident.send(TEXT, "1", now=utcnow() + timedelta(days=8))
    assert "quá 7 ngày" in resident.text
    resident.send(TEXT, demo["codes"][0], now=utcnow() + timedelta(days=8))
    assert f"1/{question_total(app, demo)}" in resident.text and resident.payloads == ["res:go", "res:redo"]


def test_a_complaint_outside_a_survey_becomes_tagged_feedback_for_the_chosen_commune(app, demo):
    resident = Resident(app, channel="zalo", user="z-1")
    resident.send(TEXT, "Đèn đường thôn 2 hỏng cả tháng nay")
    assert len(resident.payloads) == 1 and resident.payloads[0].startswith("cm:")
    resident.send(TEXT, resident.payloads[0])  # Zalo: the press arrives as text
    resident.send(TEXT, "Rác ở chợ không ai thu gom")
    with app.app_context():
        rows = db.session.execute(select(Feedback).order_by(Feedback.id)).scalars().all()
        session = db.session.execute(select(ChatSession)).scalar_one()
        assert [f.text for f in rows] == ["Đèn đường thôn 2 hỏng cả tháng nay", "Rác ở chợ không ai thu gom"]
        assert {(f.source, f.channel, f.chat_session_id) for f in rows} == {("complaint", "zalo", session.id)}
        assert {f.unit_id for f in rows} == {campaign_of(demo).commune_id}


def test_an_unknown_code_is_answered_kindly_and_nothing_is_stored(app, demo):
    resident = Resident(app)
    resident.send(START, "ZZZZ-ZZZZ")
    assert "Không tìm thấy mã này" in resident.text
    with app.app_context():
        assert count(SurveyDraft) == 0 and count(Response) == 0


def test_a_household_that_started_in_chat_finishes_on_the_web(app, client, demo, pages):
    resident = Resident(app, channel="zalo")
    resident.send(START, demo["codes"][0])
    resident.send(BUTTON, "lang:vi")
    first = int(resident.payloads[0][1:].split(":")[0])
    resident.send(BUTTON, f"q{first}:2")
    resident.send(TEXT, "Kênh mương bị bồi lấp")
    resident.send(BUTTON, resident.payloads[0])
    web = Walker(client, "/s/" + demo["codes"][0])
    intro = web.get("")
    assert "Trả lời tiếp" in intro.text and f"2 / {question_total(app, demo)}" in intro.text
    assert "Kênh mương bị bồi lấp" in web.get("/trang/1").text
    answered = {}
    for n in range(1, pages + 1):
        for qid in web.question_ids(n):
            answered[qid] = "yes" if qid != first else "no"
    for n in range(1, pages + 1):
        ids = web.question_ids(n)
        data = {"go": "next", **{f"q{i}": answered[i] for i in ids}}
        if first in ids:
            data[f"r{first}"] = "Kênh mương bị bồi lấp"
        web.post(f"/trang/{n}", data)
    web.post("/y-kien-khac", {"go": "next", "other": ""})
    sent, _ = web.send()
    assert sent.status_code == 302
    with app.app_context():
        response = db.session.execute(select(Response)).scalar_one()
        assert response.channel == "web"
        assert {(a.question_id, a.reason) for a in response.answers if not a.satisfied} == {
            (first, "Kênh mương bị bồi lấp")}


def test_the_workers_warm_up_writes_nothing_and_a_survey_runs_after_it(app, demo):
    from bots.webhooks import warm_up
    from survey_app.models import InboundEvent

    with app.app_context():
        warm_up()
        warm_up()  # every worker of a restart runs it: twice is no different
        assert [count(m) for m in (InboundEvent, ChatSession, OutboundMessage, SurveyDraft)] == [0, 0, 0, 0]
        assert not db.session.new and not db.session.dirty
    resident = Resident(app)
    resident.send(START, demo["codes"][0])
    resident.send(BUTTON, "lang:vi")
    assert resident.payloads  # the first question's buttons: the conversation works as before


def test_wrong_codes_in_a_chat_are_limited_like_on_the_web(app, demo):
    app.config["RATELIMIT_CODE_GUESSES"] = (3, 600)
    resident, neighbour = Resident(app, user="guesser"), Resident(app, user="neighbour")
    for guess in ("ZZZZ-ZZZ2", "ZZZZ-ZZZ3", "ZZZZ-ZZZ4"):
        resident.send(START, guess)
        assert "Không tìm thấy mã này" in resident.text
    resident.send(TEXT, "ZZZZ-ZZZ5")
    assert "quá nhiều lần" in resident.text
    resident.send(START, demo["codes"][0])  # a right code waits too, or guessing would go on
    assert "quá nhiều lần" in resident.text
    neighbour.send(START, demo["codes"][1])  # another chat is not held back
    assert "Mặt trận" in neighbour.text
    with app.app_context():
        assert count(SurveyDraft) == 0 and count(Response) == 0
