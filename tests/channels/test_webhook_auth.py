"""Forged webhook calls are refused with 403 and store nothing."""
from __future__ import annotations

from chat_updates import TelegramUser, telegram_post, zalo_post
from sqlalchemy import func

from survey_app.extensions import db
from survey_app.models import ChatSession, InboundEvent, OutboundMessage


def _stored(app) -> int:
    with app.app_context():
        return sum(db.session.scalar(db.select(func.count()).select_from(m))
                   for m in (InboundEvent, ChatSession, OutboundMessage))


def test_telegram_wrong_or_missing_secret_is_403(bot_app, tg):
    client = bot_app.test_client()
    update = TelegramUser().text("/start")
    assert telegram_post(client, update, secret="guess").status_code == 403
    assert client.post("/bots/telegram", json=update).status_code == 403
    assert _stored(bot_app) == 0
    assert tg.calls == []


def test_telegram_without_a_configured_secret_refuses_everything(build_app):
    app = build_app(TELEGRAM_WEBHOOK_SECRET=None)
    assert telegram_post(app.test_client(), TelegramUser().text("/start"), secret="").status_code == 403
    assert _stored(app) == 0


def test_zalo_wrong_signature_is_403(bot_app, zl):
    client = bot_app.test_client()
    event = {"event_name": "user_send_text", "sender": {"id": "9001"}, "recipient": {"id": "1"},
             "message": {"text": "xin chào", "msg_id": "abc"}}
    assert zalo_post(client, event, secret="not-the-key").status_code == 403
    assert client.post("/bots/zalo", json=event).status_code == 403
    assert _stored(bot_app) == 0
    assert zl.messages == []


def test_zalo_signature_covers_the_exact_bytes(bot_app):
    """The same JSON re-serialised (other spacing) no longer matches the signature of the bytes sent."""
    import hashlib
    import json

    from channel_fakes import FakeZalo
    from chat_updates import OA_SECRET

    event = {"app_id": FakeZalo.APP_ID, "event_name": "user_send_text", "timestamp": "1700000000000",
             "sender": {"id": "9002"}, "message": {"text": "x", "msg_id": "m"}}
    signed = json.dumps(event).encode()
    mac = hashlib.sha256(FakeZalo.APP_ID.encode() + signed + b"1700000000000" + OA_SECRET.encode()).hexdigest()
    sent = json.dumps(event, separators=(",", ":")).encode()
    response = bot_app.test_client().post("/bots/zalo", data=sent, content_type="application/json",
                                          headers={"X-ZEvent-Signature": f"mac={mac}"})
    assert response.status_code == 403
    assert _stored(bot_app) == 0


def test_webhooks_neither_read_nor_set_a_session_cookie(bot_app, tg, zl):
    """A platform is not a browser: its requests open no signed session and get no cookie or `Vary: Cookie`."""
    client = bot_app.test_client()
    client.set_cookie("session", "not-a-valid-signature")  # would be parsed (and ignored) by a browser route
    answers = [telegram_post(client, TelegramUser().text("/help")),
               zalo_post(client, {"event_name": "user_send_text", "sender": {"id": "9002"}, "recipient": {"id": "1"},
                                  "message": {"text": "/help", "msg_id": "help-1"}})]
    for answer in answers:
        assert answer.status_code == 200
        assert "Set-Cookie" not in answer.headers and "Cookie" not in answer.headers.get("Vary", "")
