"""Channel tests: the app pointed at fake Telegram and Zalo servers on loopback."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))  # survey_walk: the web form, for comparison

from channel_fakes import FakeTelegram, FakeZalo
from chat_updates import OA_SECRET, TG_SECRET


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
def build_app(sibling_app, channel_config):
    """Another app instance (another worker) on the same database; extra settings override."""
    return lambda **overrides: sibling_app(**{**channel_config, **overrides})


@pytest.fixture
def bot_app(build_app):
    return build_app()
