"""Delivers outbox rows after the commit: claim atomically, send, mark; retry with back-off; never lose one.

A row is claimed by one conditional UPDATE (pending and due → sending, with a lease longer than any send),
so two senders never send it at once. A process that dies mid-send leaves a `sending` row whose lease runs
out; `flask bots send-pending` (and every later delivery) picks it up again — at least once, so in rare cases
twice (docs/deploy.md, "Outbox delivery"). Failures are retried with back-off for as long as the resident
can still answer (bots.retry). Within one chat, a row that must wait holds back the rows after it, so a
resident never reads the questions out of order.
"""
from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context
from sqlalchemy import func, or_, update

from survey_app.extensions import db
from survey_app.jobs import QUEUE, app_context, queue
from survey_app.models import ChatSession, OutboundMessage
from survey_app.models._common import utcnow
from survey_app.services.outbox import OutboxStatus

from . import retry
from .channels import SENDERS
from .delivery import DeliveryError, OutOfWindow, Rejected, RetryLater, Unreachable

log = logging.getLogger(__name__)
INLINE_MAX_DELAY = 5.0  # seconds one delivery may sleep between tries; longer waits go back to the table
DUE_KEY = f"{QUEUE}:due"  # a Redis list of JSON [ids, chores]: what the web processes handed over
DRAIN_FLAG = f"{QUEUE}:drain-queued"  # set while a drain job is queued or running (expires: a dead worker)
DRAIN_FLAG_TTL = 60  # seconds
DRAIN_MAX_SECONDS = 30.0  # one drain job hands over to a fresh one after this, so no job runs for ever
REDIS_TIMEOUT = 2.0  # seconds: an unreachable Redis must not hold a staff member's request for minutes
_redis: dict = {}


def init_app(app) -> None:
    """Register what the one door, `survey_app.services.outbox.dispatch`, hands rows to; and the after-response hook."""
    app.extensions["outbox_dispatcher"] = deliver_soon
    app.after_request(_deliver_after_response)


def deliver_soon(message_ids: Sequence[int], chores: Sequence = ()) -> None:
    """Deliver committed rows: by the RQ worker when REDIS_URL is set, otherwise in this process after the response.

    Called through `survey_app.services.outbox.dispatch` (which never raises); this may raise (Redis down)."""
    ids, chores = list(message_ids), [list(c) for c in chores]
    if not ids and not chores:
        return
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        hand_to_worker(_connection(redis_url), ids, chores)
    elif has_request_context():
        pending = g.setdefault("outbox_after_response", ([], []))
        pending[0].extend(ids)
        pending[1].extend(chores)
    else:
        deliver(ids, chores)


def _connection(redis_url: str):
    """One Redis connection pool per process: a new connection per update costs milliseconds."""
    key = (os.getpid(), redis_url)
    if key not in _redis:
        from redis import Redis

        _redis[key] = Redis.from_url(redis_url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)
    return _redis[key]


def hand_to_worker(connection, ids: list[int], chores: list) -> None:
    """Append the rows to the due list and make sure one drain job is queued to deliver it.

    Creating an RQ job costs about a millisecond of CPU, a fifth of a whole chat update, so updates do not
    each get one: they append to `DUE_KEY` and set `DRAIN_FLAG` if it is not set (one round trip, in that
    order). Only the update that sets the flag enqueues `drain_job`; under load one job drains what
    hundreds of updates appended. The drain clears the flag before its last look at the list, so a row
    appended after that look finds the flag clear and queues the next job: none is stranded. If the
    worker dies, the flag expires after DRAIN_FLAG_TTL and the rows are still `pending` in the table
    (`flask bots send-pending` sends them too; claiming keeps everything sent once).
    """
    pipe = connection.pipeline(transaction=False)
    pipe.rpush(DUE_KEY, json.dumps([ids, chores]))
    pipe.set(DRAIN_FLAG, 1, nx=True, ex=DRAIN_FLAG_TTL)
    _, first = pipe.execute()
    if first:
        try:
            queue(connection).enqueue(drain_job)
        except BaseException:
            connection.delete(DRAIN_FLAG)  # best effort: the next update queues the job instead
            raise


def drain_job() -> None:
    """The RQ job (worker process): deliver everything on the due list, in the order it was appended."""
    from rq import get_current_job

    connection = get_current_job().connection
    deadline = time.monotonic() + DRAIN_MAX_SECONDS
    with app_context():
        while True:
            batches = connection.lpop(DUE_KEY, 200)
            if not batches:
                connection.delete(DRAIN_FLAG)  # from now on an append queues a new job …
                batches = connection.lpop(DUE_KEY, 200)  # … and whatever came before this look is ours
                if not batches:
                    return
            ids, chores = [], []
            for batch in map(json.loads, batches):
                ids.extend(batch[0])
                chores.extend(batch[1])
            try:
                deliver(ids, chores)
            except BaseException:  # the database went away, say: hand the rows back for the next job
                connection.lpush(DUE_KEY, *reversed(batches))  # at the head again, in their order
                connection.delete(DRAIN_FLAG)  # so the next update queues that job at once
                raise
            if time.monotonic() > deadline:
                connection.set(DRAIN_FLAG, 1, ex=DRAIN_FLAG_TTL)
                queue(connection).enqueue(drain_job)  # a fresh job carries on
                return


def _deliver_after_response(response):
    pending = g.pop("outbox_after_response", None)
    if pending:
        app = current_app._get_current_object()

        def run():
            with app.app_context():
                try:
                    deliver(*pending)
                finally:
                    db.session.remove()

        response.call_on_close(run)
    return response


def deliver(ids: Iterable[int], chores: Iterable = ()) -> dict[str, int]:
    """Do the platform chores first (Telegram wants button presses answered at once), then send rows in order."""
    for channel_method_params in chores:
        channel, method, params = channel_method_params
        try:
            SENDERS[channel].chore(method, params)
        except Exception as exc:  # noqa: BLE001 - a late or duplicate answer must not stop the replies
            log.info("chore %s failed: %r", method, exc)
    rows = db.session.execute(db.select(OutboundMessage.id, OutboundMessage.channel, OutboundMessage.chat_user_id)
                              .where(OutboundMessage.id.in_(list(ids))).order_by(OutboundMessage.id)).all()
    db.session.rollback()
    return _send_in_order(rows)


def send_pending(limit: int = 500, now: datetime | None = None) -> dict[str, int]:
    """Every row that is due (pending, or sending with an expired lease), oldest first: after a crash or a wait.

    `now` stands in for the clock (tests drive days of retries without waiting); None is the real time."""
    rows = db.session.execute(
        db.select(OutboundMessage.id, OutboundMessage.channel, OutboundMessage.chat_user_id)
        .where(_due(now or utcnow())).order_by(OutboundMessage.id).limit(limit)).all()
    db.session.rollback()
    return _send_in_order(rows, now)


def _due(now):
    """Rows this sender may claim now. Other channels (the staff rehearsal page shows its rows, never sends
    them) are not ours."""
    return (OutboundMessage.channel.in_(tuple(SENDERS))
            & OutboundMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING))
            & (OutboundMessage.next_attempt_at <= now))


def _blockers(now) -> dict[tuple[str, str], int]:
    """Per chat, the oldest row that is not due (a back-off, a lease, Zalo's window): later rows wait for it."""
    waiting = db.session.execute(
        db.select(OutboundMessage.channel, OutboundMessage.chat_user_id, func.min(OutboundMessage.id))
        .where(OutboundMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.WAITING)),
               ~_due(now))
        .group_by(OutboundMessage.channel, OutboundMessage.chat_user_id)).all()
    db.session.rollback()
    return {(channel, user): first for channel, user, first in waiting}


def _send_in_order(rows, now: datetime | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    held_back: set[tuple[str, str]] = set()
    blockers = _blockers(now or utcnow()) if rows else {}
    for message_id, channel, chat_user_id in rows:
        chat = (channel, chat_user_id)
        if message_id > blockers.get(chat, message_id):
            held_back.add(chat)
        outcome = "held" if chat in held_back else _deliver_one(message_id, now)
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome not in (OutboxStatus.SENT, "skipped"):
            held_back.add(chat)
    return counts


def _deliver_one(message_id: int, now: datetime | None = None) -> str:
    """Claim, send, record. Short waits (429 retry_after, back-off) are slept here; long ones go back to the table."""
    slept = 0.0
    while True:
        at = now or utcnow()
        row = _claim(message_id, at)
        if row is None:
            return "skipped"  # someone else has it, or it is already sent
        try:
            SENDERS[row.channel].send(row.chat_user_id, row.payload)
        except RetryLater as exc:
            delay = exc.delay if exc.delay is not None else retry.backoff(row.attempts)
            if retry.too_old(row.created_at, at):
                return _give_up(row, at, exc.reason)
            if slept + delay <= INLINE_MAX_DELAY:
                _release(message_id, exc.reason, 0, at)
                time.sleep(delay)
                slept += delay
                continue
            _release(message_id, exc.reason, delay, at)
            return OutboxStatus.PENDING
        except OutOfWindow as exc:
            _wait_for_resident(message_id, row.channel, row.chat_user_id, exc.reason)
            return OutboxStatus.WAITING
        except Unreachable as exc:
            _opt_out(row.channel, row.chat_user_id, exc.reason)
            return OutboxStatus.UNREACHABLE
        except (Rejected, DeliveryError) as exc:
            _finish(message_id, OutboxStatus.FAILED, exc.reason)
            return OutboxStatus.FAILED
        except Exception as exc:
            log.exception("sending outbox row %s", message_id)
            if retry.too_old(row.created_at, at):
                return _give_up(row, at, repr(exc))
            _release(message_id, repr(exc)[:500], retry.backoff(row.attempts), at)
            return OutboxStatus.PENDING
        _finish(message_id, OutboxStatus.SENT, None, sent=True)
        return OutboxStatus.SENT


def _give_up(row: OutboundMessage, now: datetime, reason: str) -> str:
    """Still failing when the resident could no longer answer it: stop, and say so to the admins."""
    hours = (now - row.created_at).total_seconds() / 3600
    _finish(row.id, OutboxStatus.FAILED, f"gave up after {row.attempts} tries in {hours:.0f} h: {reason}"[:500])
    return OutboxStatus.FAILED


def _claim(message_id: int, now: datetime | None = None) -> OutboundMessage | None:
    now = now or utcnow()
    claimed = db.session.execute(
        update(OutboundMessage).where(OutboundMessage.id == message_id, _due(now))
        .values(status=OutboxStatus.SENDING, attempts=OutboundMessage.attempts + 1,
                next_attempt_at=now + retry.lease())
    ).rowcount
    db.session.commit()
    if claimed != 1:
        return None
    row = db.session.get(OutboundMessage, message_id, populate_existing=True)
    db.session.rollback()
    return row


def _release(message_id: int, error: str, delay: float, now: datetime) -> None:
    db.session.execute(update(OutboundMessage).where(OutboundMessage.id == message_id).values(
        status=OutboxStatus.PENDING, last_error=error, next_attempt_at=now + timedelta(seconds=delay)))
    db.session.commit()


def _finish(message_id: int, status: str, error: str | None, sent: bool = False) -> None:
    values = {"status": status, "last_error": error}
    if sent:
        values["sent_at"] = utcnow()
    db.session.execute(update(OutboundMessage).where(OutboundMessage.id == message_id).values(**values))
    db.session.commit()


def _wait_for_resident(message_id: int, channel: str, chat_user_id: str, reason: str) -> None:
    """Out of Zalo's window: this row and the ones queued behind it wait, visibly, until the resident writes."""
    db.session.execute(update(OutboundMessage).where(
        OutboundMessage.channel == channel, OutboundMessage.chat_user_id == chat_user_id,
        or_(OutboundMessage.id == message_id, OutboundMessage.status == OutboxStatus.PENDING))
        .values(status=OutboxStatus.WAITING, last_error=reason))
    db.session.commit()


def _opt_out(channel: str, chat_user_id: str, reason: str) -> None:
    """Blocked or gone: this and every unsent message to them stop, and their chat session is opted out."""
    db.session.execute(update(OutboundMessage).where(
        OutboundMessage.channel == channel, OutboundMessage.chat_user_id == chat_user_id,
        OutboundMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.WAITING)))
        .values(status=OutboxStatus.UNREACHABLE, last_error=reason))
    db.session.execute(update(ChatSession).where(ChatSession.channel == channel,
                                                  ChatSession.chat_user_id == chat_user_id)
                       .values(opted_out=True, version=ChatSession.version + 1))
    db.session.commit()
