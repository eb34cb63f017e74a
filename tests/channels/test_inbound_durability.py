"""A webhook answers 200 only once the update is durably recorded; nothing acknowledged is dropped.

Found from outside: five texts sent at once from one Telegram chat filed only 3–4 (the rest failed three
optimistic retries and were answered 200), and an update was answered 200 during a PostgreSQL restart
without being recorded. Real webhooks, real PTB parsing, SQLite and PostgreSQL.
"""
from __future__ import annotations

import threading

from chat_drive import TelegramChat
from chat_updates import TelegramUser, telegram_post
from sqlalchemy import event, func, select

from survey_app.extensions import db
from survey_app.models import Feedback, InboundEvent, ParkedUpdate

DOWN = "postgresql://postgres@127.0.0.1:9/nowhere"  # nothing listens there: the database is away


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def choose_commune(app, tg, user: TelegramUser) -> None:
    """A first complaint outside a survey: the bot asks which commune, the resident presses it."""
    chat = TelegramChat([app.test_client()], tg, user)
    chat.type("Đường thôn 1 lầy lội")
    question = chat.messages()[-1]
    chat.press(question, next(p for _, p in question["buttons"] if p.startswith("cm:")))


def test_texts_sent_at_once_from_one_chat_are_all_filed(build_app, demo, tg):
    apps = [build_app() for _ in range(6)]  # six workers, one text each, all at the same moment
    user = TelegramUser(user_id=62001)
    choose_commune(apps[0], tg, user)
    before = count(apps[0], Feedback)
    updates = [user.text(f"Phản ánh số {i}: cống thôn {i} bị tắc") for i in range(6)]
    barrier, statuses = threading.Barrier(len(apps)), []

    def deliver(app, update):
        client = app.test_client()
        barrier.wait()
        statuses.append(telegram_post(client, update).status_code)

    threads = [threading.Thread(target=deliver, args=pair) for pair in zip(apps, updates)]
    [t.start() for t in threads]
    [t.join(120) for t in threads]
    assert statuses == [200] * 6
    with apps[0].app_context():
        texts = set(db.session.execute(select(Feedback.text)).scalars())
    assert count(apps[0], Feedback) == before + 6
    assert {u["message"]["text"] for u in updates} <= texts


def test_an_update_the_database_cannot_record_is_refused_then_handled_once_when_sent_again(build_app, demo, tg):
    user = TelegramUser(user_id=62002)
    update = user.text(demo["codes"][0])
    away = build_app(SQLALCHEMY_DATABASE_URI=DOWN)
    refused = telegram_post(away.test_client(), update)
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    back = build_app()
    for _ in range(2):  # Telegram's retry, then a duplicate of it: handled once
        assert telegram_post(back.test_client(), update).status_code == 200
    assert count(back, InboundEvent) == 1
    assert len(tg.sent(user.id)) == 2  # the intro and the language question, once


def test_an_update_whose_handling_fails_is_parked_whole_and_retried_by_the_cli(build_app, demo, tg, caplog):
    app = build_app()
    user = TelegramUser(user_id=62003)
    choose_commune(app, tg, user)
    before = count(app, Feedback)
    update = user.text("Trạm bơm thôn 4 hỏng từ tuần trước")

    def a_bug_while_filing(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO FEEDBACK"):
            raise RuntimeError("a bug in the complaint path")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", a_bug_while_filing)
    try:
        assert telegram_post(app.test_client(), update).status_code == 200
        assert telegram_post(app.test_client(), update).status_code == 200  # redelivered: still parked once
    finally:
        event.remove(engine, "before_cursor_execute", a_bug_while_filing)
    with app.app_context():
        parked = db.session.execute(select(ParkedUpdate)).scalar_one()
        assert parked.payload["message"]["text"] == "Trạm bơm thôn 4 hỏng từ tuần trước"
        assert "a bug in the complaint path" in parked.error
    assert count(app, Feedback) == before
    result = app.test_cli_runner().invoke(args=["bots", "retry-parked"])
    assert result.exit_code == 0 and "handled=1" in result.output, result.output
    assert count(app, Feedback) == before + 1 and count(app, ParkedUpdate) == 0
    assert telegram_post(app.test_client(), update).status_code == 200  # and a late redelivery changes nothing
    assert count(app, Feedback) == before + 1


def test_an_update_telegram_signed_but_we_cannot_read_is_parked_without_a_traceback(bot_app, caplog):
    garbled = {"update_id": 777001, "message": {"message_id": "x", "chat": "not a chat", "date": "soon"}}
    assert telegram_post(bot_app.test_client(), garbled).status_code == 200
    assert count(bot_app, ParkedUpdate) == 1
    assert not [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]
