"""Chat conversations, inbound idempotency and the outbound outbox."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow


class ChatSession(db.Model):
    """Conversation state lives here, so any worker can continue any conversation."""

    __tablename__ = "chat_session"
    __table_args__ = (UniqueConstraint("channel", "chat_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_user_id: Mapped[str] = mapped_column(String(64))  # personal data: staff of the commune only
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))
    invitation_code_id: Mapped[int | None] = mapped_column(ForeignKey("invitation_code.id"))
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(5), default="vi")
    opted_out: Mapped[bool] = mapped_column(default=False)
    last_inbound_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic lock: a button press and a text can race on two workers.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class InboundEvent(db.Model):
    """Every webhook update, recorded under its platform id: a replay is acknowledged and ignored."""

    __tablename__ = "inbound_event"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class ParkedUpdate(db.Model):
    """An update acknowledged although handling it failed for a reason a retry would not cure (a bug, an
    unreadable payload): kept whole, so `flask bots retry-parked` can handle it once the cause is fixed.

    Its id is in `inbound_event` too, so a redelivery is ignored while it waits here."""

    __tablename__ = "parked_update"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict] = mapped_column(JSON)  # personal data (chat id, text): admins only
    error: Mapped[str] = mapped_column(Text)
    parked_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=1)


class OutboundMessage(db.Model):
    """Transactional outbox: written with the state change, sent after commit, retried on failure."""

    __tablename__ = "outbound_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_user_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class ZaloToken(db.Model):
    """The Official Account's rotating token pair; the refresh token is single use, so it lives here, not in env."""

    __tablename__ = "zalo_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[str] = mapped_column(String(32), unique=True)
    access_token: Mapped[str | None] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
