"""Channel tests: the app pointed at fake Telegram and Zalo servers on loopback."""
from __future__ import annotations

import hashlib
import json
import time

import pytest

from fakes import FakeTelegram, FakeZalo

OA_SECRET = "oa-secret-key"
TG_SECRET = "tg-webhook-secret"


@pytest.fixture
def tg():
    server = FakeTelegram()
    yield server
    server.close()


@pytest.fixture
def zl():
    server = FakeZalo()
    yield server
    server.close()


@pytest.fixture
def channel_config(app, tg, zl) -> dict:
    """The settings a deployment gives both channels, here aimed at the fakes."""
    return {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "MODELS_DIR")} | {
        "WTF_CSRF_ENABLED": True,
        "TELEGRAM_BOT_TOKEN": FakeTelegram.TOKEN, "TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "ZALO_APP_ID": FakeZalo.APP_ID, "ZALO_APP_SECRET": FakeZalo.APP_SECRET, "ZALO_OA_SECRET_KEY": OA_SECRET,
        "ZALO_REFRESH_TOKEN": "rt-0", "ZALO_API_BASE_URL": zl.url, "ZALO_OAUTH_BASE_URL": zl.url,
        "BOTS_RETRY_BASE_SECONDS": 0.05, "REDIS_URL": None,
    }


@pytest.fixture
def build_app(channel_config):
    """Another app instance (another worker) on the same database; extra settings override."""
    from survey_app import create_app
    from survey_app.extensions import db

    built = []

    def build(**overrides):
        built.append(create_app({**channel_config, **overrides}))
        return built[-1]

    yield build
    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def bot_app(build_app):
    return build_app()


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
