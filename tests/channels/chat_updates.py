"""What the platforms POST to the webhooks: signed Zalo events and Telegram updates for one resident."""
from __future__ import annotations

import hashlib
import json
import time

from channel_fakes import FakeZalo

OA_SECRET = "oa-secret-key"
TG_SECRET = "tg-webhook-secret"


def zalo_post(client, event: dict, *, secret: str = OA_SECRET):
    """POST one Zalo event, signed as Zalo signs it: sha256(app_id + raw body + timestamp + OA secret key)."""
    event = {"app_id": FakeZalo.APP_ID, "timestamp": str(int(time.time() * 1000)), **event}
    raw = json.dumps(event, ensure_ascii=False).encode()
    mac = hashlib.sha256(FakeZalo.APP_ID.encode() + raw + event["timestamp"].encode() + secret.encode()).hexdigest()
    return client.post("/bots/zalo", data=raw, content_type="application/json",
                       headers={"X-ZEvent-Signature": f"mac={mac}"}, buffered=True)


def telegram_post(client, update: dict, *, secret: str = TG_SECRET):
    return client.post("/bots/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret},
                       buffered=True)


class TelegramUser:
    """Builds the updates Telegram would send for one resident (ids like the real ones)."""

    def __init__(self, user_id: int = 700000001, language_code: str = "vi", first_update: int = 500000000):
        self.id = user_id
        self.language_code = language_code
        self.update_id = first_update + user_id % 1000 * 1000
        self.message_id = 1

    def _next(self) -> int:
        self.update_id += 1
        return self.update_id

    def _from(self):
        return {"id": self.id, "is_bot": False, "first_name": "Lan", "language_code": self.language_code}

    def text(self, text: str) -> dict:
        self.message_id += 1
        message = {"message_id": self.message_id, "date": int(time.time()), "text": text,
                   "chat": {"id": self.id, "type": "private", "first_name": "Lan"}, "from": self._from()}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": self._next(), "message": message}

    def sticker(self) -> dict:
        self.message_id += 1
        return {"update_id": self._next(), "message": {
            "message_id": self.message_id, "date": int(time.time()),
            "chat": {"id": self.id, "type": "private"}, "from": self._from(),
            "sticker": {"file_id": "CAAC", "file_unique_id": "AgAD", "type": "regular", "width": 512,
                        "height": 512, "is_animated": False, "is_video": False}}}

    def press(self, data: str, message_id: int = 1001) -> dict:
        return {"update_id": self._next(), "callback_query": {
            "id": f"cq{self.update_id}", "from": self._from(), "chat_instance": "-1", "data": data,
            "message": {"message_id": message_id, "date": int(time.time()), "text": "…",
                        "chat": {"id": self.id, "type": "private"}}}}

    def block(self) -> dict:
        member = {"user": {"id": 42, "is_bot": True, "first_name": "HaiLong"}}
        return {"update_id": self._next(), "my_chat_member": {
            "chat": {"id": self.id, "type": "private"}, "from": self._from(), "date": int(time.time()),
            "old_chat_member": {**member, "status": "member"},
            "new_chat_member": {**member, "status": "kicked", "until_date": 0}}}
