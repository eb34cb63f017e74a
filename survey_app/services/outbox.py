"""The outbox (hộp thư đi): every message to a resident is a row committed with the change that caused it.

`enqueue` only adds the row to the caller's transaction; the sender (bots.sender) delivers
rows after the commit and retries them with back-off for days; a claim keeps two senders from sending one
at once (at-least-once delivery: docs/deploy.md, "Outbox delivery").
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import bindparam, case, func, update

from survey_app.services.staff.audit import record

from ..extensions import db
from ..models import OutboundMessage
from ..models._common import utcnow

log = logging.getLogger(__name__)
STUCK_AFTER = timedelta(minutes=10)  # a message not gone after this is shown to admins as stuck


class OutboxStatus:
    PENDING = "pending"  # waiting for its first or next attempt
    SENDING = "sending"  # claimed by one sender
    SENT = "sent"
    WAITING = "waiting"  # Zalo: the resident is outside the 7-day window; sent when they write again
    UNREACHABLE = "unreachable"  # blocked the bot / unfollowed: never retried
    FAILED = "failed"  # refused for good, or still failing when the resident could no longer answer

    ALL = (PENDING, SENDING, SENT, WAITING, UNREACHABLE, FAILED)


RETRYABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED)  # what an admin may send again now
SENT_CHANNELS = ("telegram", "zalo")  # bots.sender's; the staff rehearsal page's rows are shown, never sent


def enqueue(channel: str, chat_user_id: str, text: str, buttons: Sequence[tuple[str, str]] = ()) -> int:
    """Add (not commit) one message, text plus optional (title, payload) buttons; return its id.

    A plain INSERT … RETURNING in the caller's transaction, not an ORM object: a chat update writes one
    or two of these, and the unit of work around an object costs more than the statement."""
    now = utcnow()
    return db.session.execute(_INSERT, {
        "channel": channel, "chat_user_id": chat_user_id, "status": OutboxStatus.PENDING, "attempts": 0,
        "payload": {"text": text, "buttons": [list(b) for b in buttons]}, "next_attempt_at": now, "created_at": now,
    }).scalar_one()


# Built once, run with parameters, on the table rather than the class (no ORM bulk path): every chat
# update runs them, and building and keying a statement cost about as much as running it.
_TABLE = OutboundMessage.__table__
_INSERT = _TABLE.insert().returning(_TABLE.c.id)
_WAKE = (update(_TABLE).where(_TABLE.c.channel == bindparam("of_channel"),
                              _TABLE.c.chat_user_id == bindparam("of_user"),
                              _TABLE.c.status == OutboxStatus.WAITING)
         .values(status=OutboxStatus.PENDING, next_attempt_at=bindparam("now")).returning(_TABLE.c.id))


def wake_waiting(channel: str, chat_user_id: str) -> list[int]:
    """The resident wrote again: rows kept while they were outside Zalo's window become due now (not committed:
    the caller's transaction, the one that handles what they wrote). Returns their ids."""
    return list(db.session.execute(_WAKE, {"of_channel": channel, "of_user": chat_user_id,
                                           "now": utcnow()}).scalars())


def dispatch(message_ids: Sequence[int], chores: Sequence[tuple[str, str, dict]] = ()) -> bool:
    """The one door to the sender: deliver these committed rows now (call after the commit); False if it could not.

    `chores` are (channel, method, params) a platform wants done first (bots.inbound: Telegram's button
    presses). The bots package registers the sender as `app.extensions["outbox_dispatcher"]`
    (bots.sender.deliver_soon); without one (no channel configured) the rows stay pending, visible to
    staff, until a sender runs. Never raises: the caller's change is committed, so a failed hand-over
    (Redis down) must not turn it into an error page — the rows stay pending and `flask bots send-pending`
    (the Procfile's `outbox` process) sends them.
    """
    from flask import current_app

    dispatcher = current_app.extensions.get("outbox_dispatcher")
    if dispatcher is None or not (message_ids or chores):
        return False
    try:
        dispatcher(list(message_ids), list(chores))
    except Exception:  # see above: the rows are safe in the table
        log.warning("outbox rows %s kept pending: hand-over to the sender failed", list(message_ids), exc_info=True)
        return False
    return True


def retry_now(staff_user_id: int, message_id: int) -> bool:
    """An admin's "try again now": a pending or failed row is due at once (audited), then handed to the sender."""
    retried = db.session.execute(
        update(OutboundMessage).where(OutboundMessage.id == message_id, OutboundMessage.status.in_(RETRYABLE),
                                      OutboundMessage.channel.in_(SENT_CHANNELS))
        .values(status=OutboxStatus.PENDING, next_attempt_at=utcnow())).rowcount
    if retried != 1:
        db.session.rollback()
        return False
    record(staff_user_id, "outbox_retry", "outbound_message", message_id)
    db.session.commit()
    dispatch([message_id])
    return True


def status_counts() -> dict[tuple[str, str], int]:
    """(channel, status) → rows, for staff: how many messages wait for Zalo's window, failed, or went out."""
    rows = db.session.execute(db.select(OutboundMessage.channel, OutboundMessage.status, func.count())
                              .group_by(OutboundMessage.channel, OutboundMessage.status)).all()
    return {(channel, status): n for channel, status, n in rows}


def _stuck(now):
    """Failed, being retried, or not gone long after it was queued (is a sender running?)."""
    status = OutboundMessage.status
    return OutboundMessage.channel.in_(SENT_CHANNELS) & (
        (status == OutboxStatus.FAILED)
        | ((status == OutboxStatus.PENDING) & (OutboundMessage.attempts > 0))
        | (status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)) & (OutboundMessage.created_at < now - STUCK_AFTER)))


def stuck_count() -> int:
    return db.session.execute(db.select(func.count()).where(_stuck(utcnow()))).scalar_one()


def undelivered(limit: int = 100) -> list[OutboundMessage]:
    """Rows not sent yet, for admins: the stuck ones first (oldest first), then the newest of the others
    (waiting for Zalo's window, unreachable, just queued)."""
    stuck = _stuck(utcnow())
    stmt = (db.select(OutboundMessage).where(OutboundMessage.status != OutboxStatus.SENT)
            .order_by(case((stuck, 0), else_=1),
                      case((stuck, OutboundMessage.id), else_=-OutboundMessage.id))
            .limit(limit))
    return list(db.session.execute(stmt).scalars())
