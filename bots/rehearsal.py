"""The rehearsal channel: staff chat with the survey bot on a web page (/staff/try-bot), the same engine as residents.

The page is this channel's screen: its outbox rows are delivered by being shown (marked sent as the
conversation answers), never by bots.sender. The practice survey ("/start thu") runs on the officer's
commune and stores nothing into the counts; a real household code is refused (bots.conversation).
"""
from __future__ import annotations

from sqlalchemy import select, update

from survey_app.extensions import db
from survey_app.models import OutboundMessage
from survey_app.models._common import utcnow
from survey_app.services.outbox import OutboxStatus

from .delivery import Inbound
from .messages import Event, EventKind

NAME = "rehearsal"
WINDOWED = False
PRACTICE = "thu"  # "/start thu": a practice survey that stores nothing
SHOWN = 12  # bot messages kept on the page


def parse(data: dict) -> Inbound:
    """The page's posted form, with the officer's `chat_user_id`: the practice start, a button or a typed text."""
    chat_user_id = data["chat_user_id"]
    payload = data.get("payload", "")
    if data.get("start"):
        event = Event(EventKind.START, PRACTICE)
    elif payload:
        event = Event(EventKind.BUTTON, payload[:64])
    else:
        event = Event(EventKind.TEXT, data.get("message", "")[:2000])
    return Inbound(f"{chat_user_id}:{data.get('event_id', '')[:40]}", chat_user_id, event)


def receive(inbound: Inbound, practice_commune_id: int | None) -> bool:
    """Run the conversation once and show its replies; False if it was too busy to keep anything (send again)."""
    # breaks the cycle: conversation imports this module (NAME, PRACTICE), inbound too (via channels)
    from .conversation import receive as converse
    from .inbound import transient

    try:
        ids = converse(NAME, inbound.external_id, inbound.chat_user_id, inbound.event,
                       practice_commune_id=practice_commune_id)
    except Exception as exc:
        if not transient(exc):
            raise
        return False  # another tab's message held this conversation too long, or the database is away
    _mark_shown(ids)
    return True


def shown(chat_user_id: str) -> list[OutboundMessage]:
    """The latest bot messages of this officer's rehearsal, oldest first."""
    stmt = (select(OutboundMessage).where(OutboundMessage.channel == NAME,
                                          OutboundMessage.chat_user_id == chat_user_id)
            .order_by(OutboundMessage.id.desc()).limit(SHOWN))
    return list(reversed(db.session.execute(stmt).scalars().all()))


def _mark_shown(ids: list[int]) -> None:
    """The page is this channel's screen: its rows are delivered by being shown, never by a sender."""
    if ids:
        db.session.execute(update(OutboundMessage).where(OutboundMessage.id.in_(ids))
                           .values(status=OutboxStatus.SENT, sent_at=utcnow()))
        db.session.commit()
