"""What an adapter's send can report back to the sender, whatever the platform."""
from __future__ import annotations

from dataclasses import dataclass, field


class DeliveryError(Exception):
    """A send did not go through; the subclass says what the sender does with the row."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason[:500]


class RetryLater(DeliveryError):
    """Network error, 5xx, 429 or a platform rate limit: try again after `delay` seconds (None: back off)."""

    def __init__(self, reason: str, delay: float | None = None):
        super().__init__(reason)
        self.delay = delay


class OutOfWindow(DeliveryError):
    """Zalo: the resident has not written for 7 days; keep the message until they write again."""


class Unreachable(DeliveryError):
    """Blocked the bot, unfollowed, inactive: the resident is opted out and nothing is retried."""


class Rejected(DeliveryError):
    """The platform refused this message for good (bad request): retrying would not help."""


@dataclass(frozen=True)
class Inbound:
    """A platform update parsed: where it came from, the engine's event (None: nothing for the engine)
    and platform chores to do after the response (Telegram: answer the button press, remove its keyboard)."""

    external_id: str
    chat_user_id: str
    event: object | None
    chores: list = field(default_factory=list)
