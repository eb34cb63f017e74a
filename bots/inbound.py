"""One platform update, from the webhook or from long polling: parse, hand to the conversation, dispatch.

`handle(adapter, data)` takes the channel's adapter (bots.channels) and the update as the platform sent it.

An update is acknowledged only once it is durably recorded: handled and committed with its replies, or,
when handling it failed for a reason a retry would not cure (a bug, a payload we cannot read), parked
whole in `parked_update` for `flask bots retry-parked`. When neither could be written (the database is
down or restarting, the conversation stayed locked) the update is refused with 503, and the platform
delivers it again later: nothing acknowledged is ever dropped.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from enum import Enum

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from survey_app.extensions import db
from survey_app.models import InboundEvent, ParkedUpdate
from survey_app.models._common import utcnow
from survey_app.outages import is_outage
from survey_app.services import outbox

from .channels import ADAPTERS, ChannelAdapter
from .conversation import receive

log = logging.getLogger(__name__)


class Outcome(str, Enum):
    """What became of an update: what the platform is answered follows from it."""

    HANDLED = "handled"  # committed (or nothing to do, or a replay): 200
    PARKED = "parked"  # kept whole for a later retry: 200
    RETRY = "retry"  # nothing durable was written: 503, the platform delivers it again


# Failures a later delivery can get past: the database went away or restarted (survey_app.outages), a
# conflict outlasted the conversation's own retries.
CONFLICTS = (StaleDataError, IntegrityError)


def handle(adapter: ChannelAdapter, data: dict) -> Outcome:
    """Parse, run the conversation once, dispatch its replies; never raises."""
    channel = adapter.NAME
    try:
        inbound = adapter.parse(data)
    except Exception as exc:  # noqa: BLE001 - signed by the platform, yet unreadable: keep it, say why
        log.warning("%s update unreadable (%s: %s); parked", channel, type(exc).__name__, str(exc)[:200])
        return park(channel, _external_id(data), data, f"unreadable: {type(exc).__name__}: {exc}")
    if inbound is None:
        return Outcome.HANDLED
    ids: list[int] = []
    if inbound.event is not None:
        try:  # Zalo: what waited for the resident's 7-day window is due again
            ids = receive(channel, inbound.external_id, inbound.chat_user_id, inbound.event,
                          wake_waiting=adapter.WINDOWED)
        except Exception as exc:
            db.session.rollback()
            if transient(exc):
                log.warning("%s update %s not recorded (%s): asking the platform to send it again",
                            channel, inbound.external_id, type(exc).__name__)
                return Outcome.RETRY
            log.exception("%s update %s could not be handled; parked", channel, inbound.external_id)
            return park(channel, inbound.external_id, data, f"{type(exc).__name__}: {exc}")
    # Never raises: if the hand-over fails, the committed rows wait for send-pending and the next delivery.
    outbox.dispatch(ids, [(channel, method, params) for method, params in inbound.chores])
    return Outcome.HANDLED


def park(channel: str, external_id: str, data: dict, error: str) -> Outcome:
    """Keep the update whole and its id recorded (a redelivery is then ignored); RETRY if that fails too."""
    try:
        now = utcnow()
        parked = db.session.execute(select(ParkedUpdate).where(
            ParkedUpdate.channel == channel, ParkedUpdate.external_id == external_id)).scalar_one_or_none()
        if parked is None:
            db.session.add(ParkedUpdate(channel=channel, external_id=external_id, payload=data,
                                        error=error[:2000], parked_at=now))
        else:  # parked before, and retried in vain
            parked.error, parked.attempts = error[:2000], parked.attempts + 1
        _record_id(channel, external_id, now)
        db.session.commit()
        return Outcome.PARKED
    except IntegrityError:  # another worker recorded it meanwhile: a redelivery, handled (or parked) there
        db.session.rollback()
        return Outcome.HANDLED
    except Exception:
        db.session.rollback()
        log.warning("%s update %s could not be parked either", channel, external_id, exc_info=True)
        return Outcome.RETRY


def retry_parked(adapters: Mapping[str, ChannelAdapter] = ADAPTERS, limit: int = 1000) -> dict[str, int]:
    """Handle parked updates again, oldest first, each as if newly delivered; one that fails again stays
    parked with its new error. Returns counts by outcome."""
    counts: dict[str, int] = {}
    rows = db.session.execute(select(ParkedUpdate.id, ParkedUpdate.channel, ParkedUpdate.external_id,
                                     ParkedUpdate.payload).order_by(ParkedUpdate.id).limit(limit)).all()
    for row_id, channel, external_id, data in rows:
        db.session.execute(delete(InboundEvent).where(InboundEvent.channel == channel,
                                                      InboundEvent.external_id == external_id))
        db.session.commit()  # so the conversation records and handles it as new
        outcome = handle(adapters[channel], data)
        if outcome is Outcome.HANDLED:
            db.session.execute(delete(ParkedUpdate).where(ParkedUpdate.id == row_id))
        elif outcome is Outcome.RETRY:  # still parked; its id back, so redeliveries stay ignored
            _record_id(channel, external_id, utcnow())
        db.session.commit()
        counts[outcome.value] = counts.get(outcome.value, 0) + 1
    return counts


def _record_id(channel: str, external_id: str, now) -> None:
    if db.session.execute(select(InboundEvent.id).where(InboundEvent.channel == channel,
                                                        InboundEvent.external_id == external_id)).first() is None:
        db.session.add(InboundEvent(channel=channel, external_id=external_id, received_at=now))


def transient(exc: BaseException) -> bool:
    """Whether a later delivery of the same update can get past `exc`."""
    return isinstance(exc, CONFLICTS) or is_outage(exc)


def _external_id(data: dict) -> str:
    """An id for an update we could not parse: a digest of its content, the same for each redelivery."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f"unreadable:{digest[:40]}"
