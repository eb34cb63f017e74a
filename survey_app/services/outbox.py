"""The outbox (hộp thư đi): every message to a resident is a row committed with the change that caused it.

`enqueue` only adds the row to the caller's transaction; the sender (bots.sender) delivers
rows after the commit, retries them with back-off and never sends one twice.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, update

from ..extensions import db
from ..models import OutboundMessage
from ..models._common import utcnow


class OutboxStatus:
    PENDING = "pending"  # waiting for its first or next attempt
    SENDING = "sending"  # claimed by one sender
    SENT = "sent"
    WAITING = "waiting"  # Zalo: the resident is outside the 7-day window; sent when they write again
    UNREACHABLE = "unreachable"  # blocked the bot / unfollowed: never retried
    FAILED = "failed"  # gave up after the last retry

    ALL = (PENDING, SENDING, SENT, WAITING, UNREACHABLE, FAILED)


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


def dispatch(message_ids: Sequence[int]) -> None:
    """Ask the channel sender to deliver these committed rows now (call after the commit).

    The bots package registers the sender as `app.extensions["outbox_dispatcher"]`; without one (no
    channel configured) the rows stay pending, visible to staff, until a sender runs.
    """
    from flask import current_app

    dispatcher = current_app.extensions.get("outbox_dispatcher")
    if dispatcher is not None and message_ids:
        dispatcher(list(message_ids))


def status_counts() -> dict[tuple[str, str], int]:
    """(channel, status) → rows, for staff: how many messages wait for Zalo's window, failed, or went out."""
    from sqlalchemy import func

    rows = db.session.execute(db.select(OutboundMessage.channel, OutboundMessage.status, func.count())
                              .group_by(OutboundMessage.channel, OutboundMessage.status)).all()
    return {(channel, status): n for channel, status, n in rows}


def undelivered(limit: int = 100) -> list[OutboundMessage]:
    """The newest rows not sent yet (waiting for Zalo's window, failed, unreachable, pending), for admins."""
    stmt = (db.select(OutboundMessage).where(OutboundMessage.status != OutboxStatus.SENT)
            .order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc()).limit(limit))
    return list(db.session.execute(stmt).scalars())
