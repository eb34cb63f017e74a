"""The outbox sender: exactly once, in order, retried on transient failures, honest about the rest."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func

from bots import sender
from survey_app.config import Config
from survey_app.extensions import db
from survey_app.models import ChatSession, OutboundMessage
from survey_app.services import outbox
from survey_app.services.outbox import OutboxStatus


def _enqueue(channel, user, *texts, buttons=()):
    ids = []
    for text in texts:
        ids.append(outbox.enqueue(channel, user, text, buttons))
    db.session.commit()
    return ids


def _status(message_id):
    db.session.expire_all()
    return db.session.get(OutboundMessage, message_id).status


def test_telegram_send_with_buttons(bot_app, tg):
    with bot_app.app_context():
        [mid] = _enqueue("telegram", "700", "Câu 1/11: Giao thông?", buttons=[("Hài lòng", "q1:y"), ("Chưa", "q1:n")])
        assert sender.deliver([mid]) == {"sent": 1}
        assert _status(mid) == OutboxStatus.SENT
    [sent] = tg.sent("700")
    assert sent["text"] == "Câu 1/11: Giao thông?"
    assert sent["reply_markup"]["inline_keyboard"][1][0] == {"text": "Chưa", "callback_data": "q1:n"}


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
def test_a_send_failing_three_times_then_succeeding_arrives_once(bot_app, tg, zl, channel):
    if channel == "telegram":
        tg.fail_next("sendMessage", ("http", 500, {"ok": False, "error_code": 500, "description": "Internal"}),
                     ("http", 429, {"ok": False, "error_code": 429, "description": "Too Many Requests",
                                    "parameters": {"retry_after": 1}}),
                     ("drop",))
    else:
        zl.fail_next(("http", 500, {}), ("http", 429, {}), ("drop",))
    with bot_app.app_context():
        [mid] = _enqueue(channel, "701", "Xin chào")
        assert sender.deliver([mid]) == {"sent": 1}
        row = db.session.get(OutboundMessage, mid)
        assert (row.status, row.attempts) == (OutboxStatus.SENT, 4)
    sent = tg.sent("701") if channel == "telegram" else zl.sent("701")
    assert [m["text"] for m in sent] == ["Xin chào"]


def test_concurrent_senders_never_send_a_row_twice(build_app, tg):
    apps = [build_app(), build_app()]
    with apps[0].app_context():
        ids = _enqueue("telegram", "702", *[f"tin {i}" for i in range(12)])
    barrier = threading.Barrier(2)

    def run(app):
        with app.app_context():
            barrier.wait()
            sender.deliver(ids)
            db.session.remove()

    threads = [threading.Thread(target=run, args=(a,)) for a in apps]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    texts = [m["text"] for m in tg.sent("702")]
    assert sorted(texts) == sorted(f"tin {i}" for i in range(12))
    with apps[0].app_context():
        assert db.session.scalar(db.select(func.count()).where(OutboundMessage.status == "sent")) == 12


def test_bot_blocked_opts_the_resident_out(bot_app, tg):
    with bot_app.app_context():
        db.session.add(ChatSession(channel="telegram", chat_user_id="703", state={}))
        ids = _enqueue("telegram", "703", "một", "hai")
        tg.fail_next("sendMessage", ("http", 403, {"ok": False, "error_code": 403,
                                                   "description": "Forbidden: bot was blocked by the user"}))
        assert sender.deliver(ids) == {"unreachable": 1, "held": 1}
        assert [_status(i) for i in ids] == [OutboxStatus.UNREACHABLE] * 2
        session = db.session.execute(db.select(ChatSession).filter_by(chat_user_id="703")).scalar_one()
        assert session.opted_out is True
    assert tg.sent("703") == []


def test_a_long_wait_goes_back_to_the_table_and_holds_the_chat(bot_app, tg):
    tg.fail_next("sendMessage", ("http", 429, {"ok": False, "error_code": 429, "description": "Too Many Requests",
                                               "parameters": {"retry_after": 30}}))
    with bot_app.app_context():
        ids = _enqueue("telegram", "704", "một", "hai")
        assert sender.deliver(ids) == {"pending": 1, "held": 1}
        assert sender.send_pending() == {"held": 1}  # the first is not due for 30 s; the second waits behind it
        db.session.execute(db.update(OutboundMessage).values(next_attempt_at=OutboundMessage.created_at))
        db.session.commit()
        assert sender.send_pending() == {"sent": 2}
    assert [m["text"] for m in tg.sent("704")] == ["một", "hai"]


def test_a_crashed_sender_leaves_a_row_that_send_pending_delivers(bot_app, tg):
    with bot_app.app_context():
        [mid] = _enqueue("telegram", "705", "còn đó")
        assert sender._claim(mid) is not None  # a process claims the row, then dies before sending
        assert sender.send_pending() == {}  # its lease still runs
        db.session.execute(db.update(OutboundMessage).values(next_attempt_at=OutboundMessage.created_at))
        db.session.commit()
        assert sender.send_pending() == {"sent": 1}
    assert [m["text"] for m in tg.sent("705")] == ["còn đó"]


def test_zalo_out_of_window_waits_visibly_and_goes_when_they_write(bot_app, zl):
    zl.fail_next(("zalo", -230))
    with bot_app.app_context():
        [mid] = _enqueue("zalo", "706", "Câu 2/11")
        assert sender.deliver([mid]) == {"waiting": 1}
        row = db.session.get(OutboundMessage, mid)
        assert row.status == OutboxStatus.WAITING and "-230" in row.last_error
        assert sender.send_pending() == {}  # waiting rows wait for the resident, not for the clock
        assert outbox.status_counts() == {("zalo", OutboxStatus.WAITING): 1}  # what staff see
        ids = outbox.wake_waiting("zalo", "706")
        db.session.commit()
        assert ids == [mid]
        assert sender.deliver(ids) == {"sent": 1}
    assert [m["text"] for m in zl.sent("706")] == ["Câu 2/11"]


@pytest.mark.parametrize("code", [-217, -227, -244])
def test_zalo_unreachable_codes_opt_out(bot_app, zl, code):
    zl.fail_next(("zalo", code))
    with bot_app.app_context():
        db.session.add(ChatSession(channel="zalo", chat_user_id="707", state={}))
        [mid] = _enqueue("zalo", "707", "Câu 3/11")
        assert sender.deliver([mid]) == {"unreachable": 1}
        assert db.session.execute(db.select(ChatSession.opted_out).filter_by(chat_user_id="707")).scalar_one()


def test_zalo_rate_limit_backs_off(bot_app, zl):
    zl.fail_next(("zalo", -32))
    with bot_app.app_context():
        [mid] = _enqueue("zalo", "708", "chậm lại")
        assert sender.deliver([mid]) == {"pending": 1}
        row = db.session.get(OutboundMessage, mid)
        assert row.status == OutboxStatus.PENDING and row.next_attempt_at > row.created_at
    assert zl.sent("708") == []


def test_rows_of_channels_without_an_adapter_are_left_alone(bot_app, tg):
    """The staff rehearsal page keeps its replies as rows of channel "rehearsal": shown, never sent."""
    with bot_app.app_context():
        [mid] = _enqueue("rehearsal", "staff-1", "Câu 1/11")
        assert sender.send_pending() == {}
        assert sender.deliver([mid]) == {"skipped": 1}
        assert _status(mid) == OutboxStatus.PENDING
    assert tg.calls == []


def _telegram_500():
    return ("http", 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})


def test_a_platform_failing_for_hours_still_gets_the_message_once_backing_off_up_to_an_hour(build_app, tg):
    """Twelve 500s (more than the eight tries that once marked a message failed after ~4 minutes), a 429
    whose wait is the platform's own, then success: the clock is `now`, driven from one due time to the next."""
    tg.fail_next("sendMessage", *[_telegram_500()] * 10,
                 ("http", 429, {"ok": False, "error_code": 429, "description": "Too Many Requests",
                                "parameters": {"retry_after": 45}}), _telegram_500())
    app = build_app(BOTS_RETRY_BASE_SECONDS=10)  # every wait is longer than a delivery sleeps: all go to the table
    with app.app_context():
        [mid] = _enqueue("telegram", "710", "Câu 4/11")
        row = db.session.get(OutboundMessage, mid)
        now, waits = row.created_at, []
        while row.status != OutboxStatus.SENT and len(waits) < 20:
            sender.send_pending(now=now)
            db.session.expire_all()
            row = db.session.get(OutboundMessage, mid)
            if row.status == OutboxStatus.PENDING:
                waits.append((row.next_attempt_at - now).total_seconds())
                now = row.next_attempt_at
        assert (row.status, row.attempts) == (OutboxStatus.SENT, 13)
    assert waits == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 45, 3600]
    assert [m["text"] for m in tg.sent("710")] == ["Câu 4/11"]


def test_a_message_still_failing_when_the_resident_can_no_longer_answer_is_given_up(build_app, zl):
    """Retried for days, not minutes; after seven (Zalo's window, the chat session's expiry) it is marked failed."""
    zl.fail_next(("http", 502, {}), ("http", 502, {}))
    with build_app(BOTS_RETRY_BASE_SECONDS=10).app_context():
        [mid] = _enqueue("zalo", "711", "Câu 5/11")
        created = db.session.get(OutboundMessage, mid).created_at
        assert sender.send_pending(now=created + timedelta(days=6, hours=23)) == {"pending": 1}
        assert sender.send_pending(now=created + timedelta(days=7, hours=1)) == {"failed": 1}
        row = db.session.get(OutboundMessage, mid)
        assert row.status == OutboxStatus.FAILED and "gave up" in row.last_error and "502" in row.last_error
    assert zl.sent("711") == []


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
def test_a_slow_platform_answering_within_the_send_timeout_gets_the_message_once(build_app, tg, zl, channel):
    fake = tg if channel == "telegram" else zl
    fake.answer_late(0.6)
    app = build_app(BOTS_SEND_TIMEOUT_SECONDS=3)
    with app.app_context():
        [mid] = _enqueue(channel, "712", "Câu 6/11")
        assert sender.deliver([mid]) == {"sent": 1}
        assert db.session.get(OutboundMessage, mid).attempts == 1
    assert [m["text"] for m in fake.sent("712")] == ["Câu 6/11"]


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
def test_sends_wait_for_the_configured_timeout_and_no_longer(build_app, tg, zl, channel):
    """The timeout is a setting (30 s by default, above what the platforms take): here shorter than the
    platform's answer, so the send counts as failed and is retried later — the duplicate a long one avoids."""
    assert Config.BOTS_SEND_TIMEOUT_SECONDS >= 30
    fake = tg if channel == "telegram" else zl
    fake.answer_late(1.5)
    app = build_app(BOTS_SEND_TIMEOUT_SECONDS=0.3, BOTS_RETRY_BASE_SECONDS=60)
    with app.app_context():
        [mid] = _enqueue(channel, "713", "Câu 7/11")
        assert sender.deliver([mid]) == {"pending": 1}
        assert "timed out" in db.session.get(OutboundMessage, mid).last_error.lower()


def test_a_claim_outlasts_the_send_timeout_so_no_second_sender_sends_meanwhile(build_app, tg):
    app = build_app(BOTS_SEND_TIMEOUT_SECONDS=200, BOTS_SEND_LEASE_SECONDS=60)  # a lease set too short
    with app.app_context():
        [mid] = _enqueue("telegram", "714", "Câu 8/11")
        claimed_at = db.session.get(OutboundMessage, mid).created_at
        assert sender._claim(mid, claimed_at) is not None  # a sender still waiting on its 200 s timeout
        assert sender.send_pending(now=claimed_at + timedelta(seconds=201)) == {}
        # Only once no send can still be running does the row go to another sender (its sender died).
        assert sender.send_pending(now=claimed_at + timedelta(seconds=2001)) == {"sent": 1}
    assert [m["text"] for m in tg.sent("714")] == ["Câu 8/11"]
