"""A chat user for the tests: sends events through `receive`, reads back its outbox rows."""
from __future__ import annotations

import itertools

_ids = itertools.count(1)


class Resident:
    """One chat user: sends events through `receive` and reads back what the outbox holds for them."""

    def __init__(self, app, channel="telegram", user="4242"):
        self.app, self.channel, self.user = app, channel, user
        self.last: list[dict] = []

    def send(self, kind, text="", *, external_id=None, language_code=None, now=None) -> list[int]:
        from bots.conversation import receive
        from bots.messages import Event
        from survey_app.extensions import db
        from survey_app.models import OutboundMessage

        external_id = external_id or f"{self.user}-{next(_ids)}"
        with self.app.app_context():
            ids = receive(self.channel, external_id, self.user, Event(kind, text, language_code), now=now)
            self.last = [db.session.get(OutboundMessage, i).payload for i in ids]
        return ids

    @property
    def text(self) -> str:
        return "\n".join(p["text"] for p in self.last)

    @property
    def payloads(self) -> list[str]:
        return [b[1] for p in self.last for b in p["buttons"]]
