"""What flows between the adapters and the conversation engine, whatever the platform.

An adapter turns a platform update into an `Event`; the engine answers with `Reply`s, which go
to the outbox. Button payloads are short ASCII (Telegram's callback_data is 1–64 bytes).
"""
from __future__ import annotations

from dataclasses import dataclass, field


class EventKind:
    START = "start"  # /start [payload] (Telegram deep link) or a follow of the Zalo OA
    TEXT = "text"  # typed text
    BUTTON = "button"  # a button press; `text` holds the button's payload
    ATTACHMENT = "attachment"  # sticker, image, voice, file, location…
    STOP = "stop"  # the platform says the resident left: Telegram "kicked", Zalo unfollow

    ALL = (START, TEXT, BUTTON, ATTACHMENT, STOP)


@dataclass(frozen=True)
class Event:
    kind: str
    text: str = ""
    language_code: str | None = None  # the platform's hint, e.g. Telegram's "vi" / "en"


@dataclass(frozen=True)
class Button:
    title: str
    payload: str  # ASCII, at most 64 bytes, checked against the current question when pressed


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
