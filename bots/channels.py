"""The channels a resident (or an officer rehearsing) talks to the survey through, and what each must provide.

Each channel is one module in bots/ that satisfies a declared interface (a module satisfies a `Protocol`
as a class would): `ChannelAdapter` turns the channel's updates into `Inbound` events for the
conversation; a `SendingAdapter` also sends outbox rows and does the platform's chores, and only those
rows are the sender's. The rehearsal page's rows are delivered by being shown (bots.rehearsal), never sent.
Every send goes through one door: `survey_app.services.outbox.dispatch`, which hands the rows to bots.sender.
"""
from __future__ import annotations

from typing import Protocol

from . import rehearsal, telegram, zalo
from .delivery import Inbound


class ChannelAdapter(Protocol):
    """A channel: its name (the `channel` of its chat sessions and outbox rows) and how its updates are read."""

    NAME: str
    WINDOWED: bool  # sends are refused some time after the resident's last message (Zalo): rows wait for them

    def parse(self, data: dict) -> Inbound | None:
        """One update → Inbound, or None for what the conversation never sees."""


class SendingAdapter(ChannelAdapter, Protocol):
    """A channel bots.sender delivers to."""

    def send(self, chat_user_id: str, payload: dict) -> None:
        """Send one outbox payload; raise a bots.delivery.DeliveryError subclass when it did not go through."""

    def chore(self, method: str, params: dict) -> None:
        """Best effort, before the replies: what the platform wants done about an update (Telegram: answer a press)."""


ADAPTERS: dict[str, ChannelAdapter] = {adapter.NAME: adapter for adapter in (telegram, zalo, rehearsal)}
SENDERS: dict[str, SendingAdapter] = {adapter.NAME: adapter for adapter in (telegram, zalo)}
