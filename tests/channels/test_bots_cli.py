"""`flask bots …`: register the webhook, poll without one, send what is due."""
from __future__ import annotations

from chat_updates import TG_SECRET, TelegramUser

from survey_app.extensions import db
from survey_app.models import InboundEvent, OutboundMessage
from survey_app.services import outbox


def test_set_webhook_registers_the_url_with_the_secret_once(bot_app, tg):
    result = bot_app.test_cli_runner().invoke(args=["bots", "set-webhook", "https://xa.example.vn/bots/telegram"])
    assert result.exit_code == 0, result.output
    [(method, params)] = [(m, p) for m, p in tg.calls if m == "setWebhook"]
    assert params["url"] == "https://xa.example.vn/bots/telegram"
    assert params["secret_token"] == TG_SECRET
    assert params["allowed_updates"] == ["message", "callback_query", "my_chat_member"]


def test_set_webhook_without_a_secret_is_refused(build_app, tg):
    app = build_app(TELEGRAM_WEBHOOK_SECRET=None)
    result = app.test_cli_runner().invoke(args=["bots", "set-webhook", "https://xa.example.vn/bots/telegram"])
    assert result.exit_code != 0 and "TELEGRAM_WEBHOOK_SECRET" in result.output
    assert "setWebhook" not in tg.methods()


def test_telegram_poll_feeds_the_same_conversation(bot_app, demo, tg):
    user = TelegramUser(user_id=62001)
    tg.updates = [user.text(f"/start {demo['codes'][0]}")]
    result = bot_app.test_cli_runner().invoke(args=["bots", "telegram-poll", "--once", "--timeout", "0"])
    assert result.exit_code == 0, result.output
    assert "updates=1" in result.output
    assert tg.methods().index("deleteWebhook") < tg.methods().index("getUpdates")
    assert tg.sent(user.id), "the bot answered the polled update"
    with bot_app.app_context():
        assert db.session.execute(db.select(InboundEvent.external_id)).scalars().all() == [str(user.update_id)]


def test_send_pending_sends_what_is_due(bot_app, tg):
    with bot_app.app_context():
        row_id = outbox.enqueue("telegram", "62002", "còn chờ")
        db.session.commit()
    result = bot_app.test_cli_runner().invoke(args=["bots", "send-pending"])
    assert result.exit_code == 0, result.output
    assert "sent=1" in result.output
    assert [m["text"] for m in tg.sent("62002")] == ["còn chờ"]
    with bot_app.app_context():
        assert db.session.get(OutboundMessage, row_id).status == "sent"


def test_send_pending_in_a_loop_outlives_the_database_going_away(build_app):
    """The Procfile's `outbox` process: a sweep that finds no database waits for the next one, and a single
    run says why it sent nothing, without a traceback."""
    away = build_app(SQLALCHEMY_DATABASE_URI="postgresql://postgres@127.0.0.1:9/nowhere")
    looping = away.test_cli_runner().invoke(args=["bots", "send-pending", "--loop", "0.01", "--rounds", "2"])
    assert looping.exit_code == 0, looping.output
    assert looping.output.count("database unavailable") == 2
    once = away.test_cli_runner().invoke(args=["bots", "send-pending"])
    assert once.exit_code == 1 and "the database is unavailable" in once.output
