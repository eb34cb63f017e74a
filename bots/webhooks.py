"""`/bots/telegram` and `/bots/zalo`: verify, parse, hand to the conversation, answer 200 fast, send after.

Both platforms re-deliver until they get a 2xx, and Telegram holds back the resident's next update
meanwhile, so every genuine update is answered 200 even when handling it failed (logged; the database
is the truth). Forged requests get 403 and touch nothing.
"""
from __future__ import annotations

import hmac
import json

from flask import Blueprint, current_app, request

from . import sender, telegram, zalo
from .inbound import handle

bp = Blueprint("bots", __name__, url_prefix="/bots")


@bp.post("/telegram")
def telegram_webhook():
    """One Telegram update, authenticated by the secret token given to setWebhook."""
    secret = current_app.config.get("TELEGRAM_WEBHOOK_SECRET") or ""
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return "forbidden", 403
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or "update_id" not in data:
        return "not an update", 400
    return handle("telegram", telegram.parse, data)


@bp.post("/zalo")
def zalo_webhook():
    """One Zalo OA event, authenticated by X-ZEvent-Signature over the raw body."""
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    timestamp = str(data.get("timestamp")) if isinstance(data, dict) and "timestamp" in data \
        else request.headers.get("X-ZEvent-Timestamp")  # unconfirmed: some deployments may send it as a header
    if not zalo.signature_ok(raw, request.headers.get("X-ZEvent-Signature"), timestamp):
        return "forbidden", 403
    if not isinstance(data, dict):
        return "not an event", 400
    return handle("zalo", zalo.parse, data)


def warm_up() -> None:
    """What a fresh worker's first updates would otherwise do while a resident waits (gunicorn's
    post_worker_init calls this): the hot statements compiled (bots.chat_store.warm_up, nothing written),
    the Telegram Bot that parsing needs built (its HTTP clients load the CA bundle: ~100 ms), RQ imported."""
    from .chat_store import warm_up as warm_up_statements

    warm_up_statements()
    if current_app.config.get("TELEGRAM_BOT_TOKEN"):
        telegram.bot()
    if current_app.config.get("REDIS_URL"):
        import rq  # noqa: F401 - imported by the first hand-off otherwise


def init_app(app) -> None:
    """Webhooks (CSRF-exempt: platforms authenticate with a secret instead), the outbox sender, `flask bots`."""
    from survey_app.extensions import csrf

    from . import cli

    app.register_blueprint(bp)
    csrf.exempt(bp)
    sender.init_app(app)
    app.cli.add_command(cli.bots)
