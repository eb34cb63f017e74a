"""Whole surveys through /bots/telegram and /bots/zalo, against fake platforms on loopback, both backends."""
from __future__ import annotations

import threading

from chat_drive import TelegramChat, ZaloChat, finish_survey
from chat_updates import TelegramUser, telegram_post
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import (
    Answer,
    ChatSession,
    InboundEvent,
    OutboundMessage,
    Response,
    SurveyDraft,
)


def responses(app) -> list[Response]:
    with app.app_context():
        rows = db.session.execute(select(Response).order_by(Response.id)).scalars().all()
        db.session.expunge_all()
        return rows


def answers_of(app, response_id) -> list[tuple]:
    with app.app_context():
        return db.session.execute(select(Answer.satisfied, Answer.reason).where(Answer.response_id == response_id)
                                  .order_by(Answer.question_id)).all()


def question_count(app, demo) -> int:
    from survey_app.services.survey.flow import target_for_code

    with app.app_context():
        return len(target_for_code(demo["codes"][0]).questions)


def test_a_whole_survey_through_the_telegram_webhook(bot_app, demo, tg):
    chat = TelegramChat([bot_app.test_client()], tg, TelegramUser(user_id=61001))
    finish_survey(chat, demo["codes"][0], done=lambda: responses(bot_app))
    [response] = responses(bot_app)
    assert response.channel == "telegram"
    stored = answers_of(bot_app, response.id)
    assert len(stored) == question_count(bot_app, demo)
    assert [a for a in stored if not a.satisfied] == [(False, "Đường thôn 3 lầy lội")]
    methods = tg.methods()
    # every press is answered (spinner stopped) and its keyboard removed, before the reply is sent
    assert methods.count("answerCallbackQuery") == methods.count("editMessageReplyMarkup") >= len(stored)
    first_press = methods.index("answerCallbackQuery")
    assert methods[first_press + 1:first_press + 3] == ["editMessageReplyMarkup", "sendMessage"]
    with bot_app.app_context():
        assert db.session.scalar(select(func.count()).where(OutboundMessage.status != "sent")) == 0


def test_a_whole_survey_through_the_zalo_webhook(bot_app, demo, zl):
    chat = ZaloChat([bot_app.test_client()], zl, "2512523625412515122")
    chat.follow()
    assert chat.messages(), "a follow is greeted"
    finish_survey(chat, demo["codes"][0], done=lambda: responses(bot_app))
    [response] = responses(bot_app)
    assert response.channel == "zalo"
    assert len(answers_of(bot_app, response.id)) == question_count(bot_app, demo)
    with bot_app.app_context():
        session = db.session.execute(select(ChatSession)).scalar_one()
        assert session.chat_user_id == "2512523625412515122"


def test_two_app_instances_alternating_on_one_conversation(build_app, demo, tg, zl):
    apps = [build_app(), build_app()]
    chat = TelegramChat([a.test_client() for a in apps], tg, TelegramUser(user_id=61002))
    finish_survey(chat, demo["codes"][1], done=lambda: responses(apps[0]))
    zchat = ZaloChat([a.test_client() for a in reversed(apps)], zl, "777")
    finish_survey(zchat, demo["codes"][2], done=lambda: len(responses(apps[1])) == 2)
    assert [r.channel for r in responses(apps[0])] == ["telegram", "zalo"]


def test_the_same_update_delivered_five_times_counts_once(bot_app, demo, tg):
    user = TelegramUser(user_id=61003)
    client = bot_app.test_client()
    chat = TelegramChat([client], tg, user)
    chat.start(demo["codes"][0])
    chat.press(chat.messages()[-1], chat.messages()[-1]["buttons"][0][1])  # the language
    question = chat.messages()[-1]
    assert question["buttons"][0][1].startswith("q")
    update = user.press(question["buttons"][0][1], message_id=question["id"])
    sent_before = len(tg.sent(user.id))
    for _ in range(5):
        assert telegram_post(client, update).status_code == 200
    with bot_app.app_context():
        draft = db.session.execute(select(SurveyDraft)).scalar_one()
        assert len(draft.data["answers"]) == 1
        assert db.session.scalar(select(func.count()).select_from(InboundEvent)) == 3
    assert len(tg.sent(user.id)) == sent_before + 1  # one next question, not five


def test_a_button_press_and_a_text_at_once_on_two_workers(build_app, demo, tg):
    apps = [build_app(), build_app()]
    user = TelegramUser(user_id=61004)
    chat = TelegramChat([apps[0].test_client()], tg, user)
    chat.start(demo["codes"][0])
    chat.press(chat.messages()[-1], "lang:vi")
    question = chat.messages()[-1]
    press = user.press(question["buttons"][0][1], message_id=question["id"])
    text = user.text("1")
    barrier = threading.Barrier(2)
    statuses = []

    def deliver(app, update):
        client = app.test_client()
        barrier.wait()
        statuses.append(telegram_post(client, update).status_code)

    threads = [threading.Thread(target=deliver, args=(apps[0], press)),
               threading.Thread(target=deliver, args=(apps[1], text))]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert statuses == [200, 200]
    with apps[0].app_context():
        assert db.session.scalar(select(func.count()).select_from(InboundEvent)) == 4
        answers = db.session.execute(select(SurveyDraft.data)).scalar_one()["answers"]
    # Both took effect, one after the other, in whichever order they won. Press first: it answers the
    # question and the typed "1" answers the next one. Text first: "1" answers the question, and the press
    # on that question's button is then stale and refused politely, the answer kept as it was.
    first = question["buttons"][0][1].split(":")[0][1:]
    assert all(a["satisfied"] for a in answers.values())
    if len(answers) != 2:
        assert list(answers) == [first]
        assert any(m["text"] == "Nút này đã cũ, không dùng được nữa." for m in chat.messages())


def test_token_expiry_mid_survey_refreshes_once_and_the_survey_continues(bot_app, demo, zl):
    chat = ZaloChat([bot_app.test_client()], zl, "5001")
    chat.start(demo["codes"][0])
    assert zl.refreshes == 1
    zl.expire_access_token()
    finish_survey(chat, demo["codes"][0], done=lambda: responses(bot_app))
    assert zl.refreshes == 2
    assert len(responses(bot_app)) == 1


def test_out_of_window_replies_wait_visibly_and_go_when_the_resident_writes(bot_app, demo, zl):
    chat = ZaloChat([bot_app.test_client()], zl, "5002")
    zl.fail_next(("zalo", -230))
    chat.start(demo["codes"][0])
    with bot_app.app_context():
        waiting = db.session.execute(select(OutboundMessage.status, OutboundMessage.last_error,
                                            OutboundMessage.payload).order_by(OutboundMessage.id)).all()
    assert waiting[0].status == "waiting" and "-230" in waiting[0].last_error
    assert {row.status for row in waiting} == {"waiting"}  # the rest of that batch waits behind it
    assert chat.messages() == []
    chat.type("xin chào")
    with bot_app.app_context():
        assert db.session.scalar(select(func.count()).where(OutboundMessage.status != "sent")) == 0
    texts = [m["text"] for m in chat.messages()]
    assert texts[:len(waiting)] == [row.payload["text"] for row in waiting] and len(texts) > len(waiting)


def test_bot_blocked_opts_the_resident_out(bot_app, demo, tg):
    user = TelegramUser(user_id=61005)
    chat = TelegramChat([bot_app.test_client()], tg, user)
    tg.fail_next("sendMessage", ("http", 403, {"ok": False, "error_code": 403,
                                               "description": "Forbidden: bot was blocked by the user"}))
    chat.start(demo["codes"][0])
    with bot_app.app_context():
        assert db.session.execute(select(ChatSession.opted_out)).scalar_one() is True
        assert set(db.session.execute(select(OutboundMessage.status)).scalars()) == {"unreachable"}
    assert tg.sent(user.id) == []


def test_blocking_the_bot_in_telegram_opts_out(bot_app, demo, tg):
    user = TelegramUser(user_id=61006)
    client = bot_app.test_client()
    chat = TelegramChat([client], tg, user)
    chat.start(demo["codes"][0])
    assert telegram_post(client, user.block()).status_code == 200
    with bot_app.app_context():
        assert db.session.execute(select(ChatSession.opted_out)).scalar_one() is True


def test_web_then_chat_is_one_survey_and_stores_what_the_web_form_stores(bot_app, demo, tg):
    from survey_walk import Walker

    from survey_app.services.survey.flow import target_for_code
    from survey_app.views.pages import pages_of

    with bot_app.app_context():
        pages = len(pages_of(target_for_code(demo["codes"][0])))
    client = bot_app.test_client()
    started = Walker(client, "/s/" + demo["codes"][0])  # page 1 on the phone browser, one "chưa" with a reason
    ids = started.question_ids(1)
    page_one = {f"q{i}": "yes" for i in ids} | {f"q{ids[1]}": "no", f"r{ids[1]}": "Mất điện"}
    assert started.post("/trang/1", {"go": "next", **page_one}).status_code == 302
    chat = TelegramChat([client], tg, TelegramUser(user_id=61010))
    finish_survey(chat, demo["codes"][0], unhappy_at=0, done=lambda: responses(bot_app))  # the rest in Telegram
    web = Walker(bot_app.test_client(), "/s/" + demo["codes"][1])  # the same choices, all on the web
    web.answer_all(pages, no={ids[1]: "Mất điện"})
    assert web.send()[0].status_code == 302
    chat_response, web_response = responses(bot_app)
    assert (chat_response.channel, web_response.channel) == ("telegram", "web")
    assert answers_of(bot_app, chat_response.id) == answers_of(bot_app, web_response.id)
    assert (False, "Mất điện") in answers_of(bot_app, chat_response.id)

    # the web household now opens the bot: told politely, nothing stored twice
    late = TelegramChat([client], tg, TelegramUser(user_id=61011))
    late.start(demo["codes"][1])
    assert late.messages(), "the bot answered"
    assert len(responses(bot_app)) == 2
