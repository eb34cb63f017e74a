"""Forged, stale or malformed webhook calls: refused (403, 413, 400) or acknowledged, never a 500 or a traceback."""
from __future__ import annotations

import hashlib
import time

from channel_fakes import FakeZalo
from chat_updates import OA_SECRET, TelegramUser, telegram_post, zalo_post
from sqlalchemy import func, select

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

    now = str(int(time.time() * 1000))  # fresh, so only the bytes can make it fail
    event = {"app_id": FakeZalo.APP_ID, "event_name": "user_send_text", "timestamp": now,
             "sender": {"id": "9002"}, "message": {"text": "x", "msg_id": "m"}}
    signed = json.dumps(event).encode()
    mac = hashlib.sha256(FakeZalo.APP_ID.encode() + signed + now.encode() + OA_SECRET.encode()).hexdigest()
    client = bot_app.test_client()
    sent = json.dumps(event, separators=(",", ":")).encode()
    response = client.post("/bots/zalo", data=sent, content_type="application/json",
                           headers={"X-ZEvent-Signature": f"mac={mac}"})
    assert response.status_code == 403
    assert _stored(bot_app) == 0
    as_signed = client.post("/bots/zalo", data=signed, content_type="application/json",
                            headers={"X-ZEvent-Signature": f"mac={mac}"})
    assert as_signed.status_code == 200  # the very bytes signed are accepted


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


def _signed(raw: bytes, timestamp: str, secret: str = OA_SECRET) -> dict:
    mac = hashlib.sha256(FakeZalo.APP_ID.encode() + raw + timestamp.encode() + secret.encode()).hexdigest()
    return {"X-ZEvent-Signature": f"mac={mac}", "X-ZEvent-Timestamp": timestamp}


def test_zalo_bodies_are_not_parsed_before_their_signature_checks(bot_app, caplog):
    """100,000 `[` once answered 500 (RecursionError) to anyone: the body was parsed first."""
    client, nested = bot_app.test_client(), b"[" * 100_000
    assert client.post("/bots/zalo", data=nested, content_type="application/json").status_code == 403
    now = str(int(time.time() * 1000))
    signed = client.post("/bots/zalo", data=nested, content_type="application/json", headers=_signed(nested, now))
    assert signed.status_code == 400  # signed (say, by a deployment that sends the timestamp as a header): still no 500
    big = b'{"event_name": "user_send_text", "pad": "' + b"x" * 400_000 + b'"}'
    assert client.post("/bots/zalo", data=big, content_type="application/json").status_code == 413
    assert not [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]


def test_zalo_signed_but_malformed_events_are_answered_without_tracebacks(bot_app, caplog):
    user = {"id": "6001"}
    malformed = [
        {"event_name": "user_send_text", "sender": "6001", "message": {"text": "a", "msg_id": "m1"}},
        {"event_name": "user_send_text", "sender": user, "message": ["not", "an", "object"]},
        {"event_name": "user_send_text", "sender": user, "message": {"text": {"x": 1}, "msg_id": "m2"}},
        {"event_name": "user_send_text", "sender": user, "message": {"text": "NUL\x00 ở giữa", "msg_id": "m3"}},
        {"event_name": "user_send_text", "sender": {"id": "9" * 500}, "message": {"text": "a", "msg_id": "m4"}},
        {"event_name": "user_send_text", "sender": user, "message": {"text": "a", "msg_id": "9" * 10_000}},
        {"event_name": "user_send_text", "sender": user, "message": {"text": "x" * 100_000, "msg_id": "m5"}},
        {"event_name": "follow", "follower": 6001},
        {"event_name": ["follow"]},
        {"event_name": "user_send_image", "sender": user, "message": {"msg_id": 1e308}},
        {"event_name": "user_send_text", "sender": {"id": True}, "message": {"text": "a", "msg_id": "m6"}},
    ]
    for event in malformed:
        assert zalo_post(bot_app.test_client(), event).status_code == 200, event
    assert not [r for r in caplog.records if r.exc_info or r.levelname in ("ERROR", "CRITICAL")]
    with bot_app.app_context():
        ids = db.session.execute(select(ChatSession.chat_user_id)).scalars().all()
    assert ids == ["6001"]  # only the events with a plausible sender reached a conversation


def test_zalo_signed_events_from_long_ago_are_refused(bot_app):
    client, day = bot_app.test_client(), 24 * 3600 * 1000
    event = {"event_name": "user_send_text", "sender": {"id": "6002"}, "message": {"text": "xin chào", "msg_id": "o1"}}
    old = str(int(time.time() * 1000) - 3 * day)
    assert zalo_post(client, {**event, "timestamp": old}).status_code == 403
    assert zalo_post(client, {**event, "timestamp": str(int(time.time() * 1000) + day)}).status_code == 403
    assert zalo_post(client, event).status_code == 200
    with bot_app.app_context():
        assert db.session.execute(select(func.count()).select_from(InboundEvent)).scalar_one() == 1
