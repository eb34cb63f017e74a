"""One platform update, from the webhook or from long polling: parse, hand to the conversation, dispatch."""
from __future__ import annotations

import logging
from collections.abc import Callable

from survey_app.extensions import db

from . import sender
from .delivery import Inbound

log = logging.getLogger(__name__)


def handle(channel: str, parse: Callable[[dict], Inbound | None], data: dict):
    """Never raises: a failure is logged and the update still acknowledged (the database is the truth)."""
    from .conversation import receive

    ids: list[int] = []
    chores: list = []
    try:
        inbound = parse(data)
        if inbound is not None:
            chores = [(channel, method, params) for method, params in inbound.chores]
            if inbound.event is not None:  # Zalo: what waited for the resident's 7-day window is due again
                ids = receive(channel, inbound.external_id, inbound.chat_user_id, inbound.event,
                              wake_waiting=channel == "zalo")
    except Exception:
        db.session.rollback()
        log.exception("%s update could not be handled", channel)
    try:
        sender.dispatch(ids, chores)
    except Exception:
        log.exception("%s: dispatch failed; rows stay pending", channel)
    return "", 200
