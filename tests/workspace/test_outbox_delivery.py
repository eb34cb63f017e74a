"""Staff and the outbox: a reply is kept and sent even while Redis is down; admins see what is stuck and retry it.

Here the staff app talks to a fake Telegram on loopback (tests/channels/channel_fakes.py)."""
from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from channel_fakes import FakeTelegram
from flask_babel import format_datetime
from sqlalchemy import select
from workspace_helpers import post, sign_in

from survey_app.extensions import db
from survey_app.models import AuditLog, FeedbackReply, OutboundMessage
from survey_app.models._common import utcnow
from survey_app.services.outbox import OutboxStatus, enqueue


@pytest.fixture
def staff_app(sibling_app, tg):
    """Build the staff app on the same database, sending to the fake Telegram; extra settings override."""
    return lambda **overrides: sibling_app(**{"TELEGRAM_BOT_TOKEN": FakeTelegram.TOKEN,
                                             "TELEGRAM_API_BASE_URL": tg.base_url, "REDIS_URL": None, **overrides})


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def test_a_reply_while_redis_is_down_is_kept_told_so_and_sent_later(world, staff_app, tg):
    app = staff_app(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    client = app.test_client()
    sign_in(client, "staff_a")
    response = post(client, f"/staff/feedback/{world['fchat']}/reply", {"text": "Điện lực sẽ sửa trong tuần."})
    assert response.status_code == 302  # not a 500 the officer would answer by sending it again
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tin nhắn sẽ được gửi tới người dân" in page
    with app.app_context():
        [message] = db.session.execute(select(OutboundMessage)).scalars().all()
        assert message.status == OutboxStatus.PENDING
        assert db.session.execute(select(FeedbackReply.outbound_message_id)).scalar_one() == message.id
    assert tg.sent("777001") == []
    result = app.test_cli_runner().invoke(args=["bots", "send-pending"])  # the Procfile's `outbox` process
    assert "sent=1" in result.output, result.output
    assert [m["text"] for m in tg.sent("777001")] == ["Điện lực sẽ sửa trong tuần."]


def test_an_admin_sees_a_stuck_message_with_its_error_and_next_try_and_sends_it_now(world, staff_app, tg):
    app = staff_app()
    with app.app_context():
        stuck = db.session.get(OutboundMessage, enqueue("telegram", "777001", "Câu 3/11"))
        stuck.attempts, stuck.last_error = 9, "telegram: NetworkError('Bad Gateway')"
        stuck.next_attempt_at = utcnow() + timedelta(minutes=40)
        db.session.commit()
        stuck_id, next_try = stuck.id, stuck.next_attempt_at
    with app.test_request_context():
        next_try = format_datetime(next_try)  # as the page shows it (Vietnamese, Vietnam time)
    client = app.test_client()
    sign_in(client, "quantri")
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "1 tin đang kẹt" in page and "Bad Gateway" in page and next_try in page and "Thử lại ngay" in page
    assert f"/staff/outbox/{stuck_id}/retry" in page
    response = post(client, f"/staff/outbox/{stuck_id}/retry", {})
    assert response.status_code == 302
    response.close()  # the response is over: the after-response delivery runs
    assert [m["text"] for m in tg.sent("777001")] == ["Câu 3/11"]
    with app.app_context():
        assert db.session.get(OutboundMessage, stuck_id).status == OutboxStatus.SENT
        assert db.session.execute(select(AuditLog.action).where(AuditLog.object_id == str(stuck_id))).scalars() \
            .all() == ["outbox_retry"]
    assert post(client, f"/staff/outbox/{stuck_id}/retry", {}).status_code == 302  # already sent: nothing again
    assert len(tg.sent("777001")) == 1


def test_commune_staff_cannot_retry_outbox_messages(world, client):
    sign_in(client, "staff_a")
    assert post(client, "/staff/outbox/1/retry", {}).status_code == 403
