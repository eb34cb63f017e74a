"""`/bots/telegram` and `/bots/zalo`: verify, parse, hand to the conversation, answer fast, send after.

Both platforms re-deliver until they get a 2xx, and Telegram holds back the resident's next update
meanwhile. So a genuine update is answered 200 once it is durably recorded — handled, or parked whole
when handling failed for good (bots.inbound) — and 503 only when nothing could be written (the database
is down): then the platform sends it again. Forged requests get 403 and touch nothing; a body is read
only up to MAX_BODY and parsed only after its signature checks.
"""
from __future__ import annotations

import hmac
import json

from flask import Blueprint, current_app, request

from survey_app.extensions import csrf

from . import cli, sender, telegram, zalo
from .chat_store import warm_up as warm_up_statements
from .inbound import Outcome, handle

bp = Blueprint("bots", __name__, url_prefix="/bots")
MAX_BODY = 256 * 1024  # a Telegram update or a Zalo event is a few kB; attachments come as links
RETRY_AFTER = "5"  # seconds, when an update could not be recorded (Telegram retries on its own schedule)


def _answer(outcome: Outcome):
    if outcome is Outcome.RETRY:
        return "not recorded, send again", 503, {"Retry-After": RETRY_AFTER}
    return "", 200


def _raw_body() -> bytes | None:
    """The request's bytes, or None when over MAX_BODY (announced or actual): answered 413."""
    if (request.content_length or 0) > MAX_BODY:
        return None
    raw = request.get_data(cache=False)
    return raw if len(raw) <= MAX_BODY else None


def _read_json(raw: bytes):
    """The body as JSON, or None: deep nesting (100,000 `[`) and bad bytes are answered 400, not 500."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


@bp.post("/telegram")
def telegram_webhook():
    """One Telegram update, authenticated by the secret token given to setWebhook."""
    secret = current_app.config.get("TELEGRAM_WEBHOOK_SECRET") or ""
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return "forbidden", 403
    raw = _raw_body()
    if raw is None:
        return "too large", 413
    data = _read_json(raw)
    if not isinstance(data, dict) or "update_id" not in data:
        return "not an update", 400
    return _answer(handle(telegram, data))


@bp.post("/zalo")
def zalo_webhook():
    """One Zalo OA event: X-ZEvent-Signature checked over the raw bytes before anything is parsed."""
    raw = _raw_body()
    if raw is None:
        return "too large", 413
    timestamp = zalo.verified_timestamp(raw, request.headers.get("X-ZEvent-Signature"),
                                        request.headers.get("X-ZEvent-Timestamp"))
    if timestamp is None:
        return "forbidden", 403
    if not zalo.fresh(timestamp):
        return "stale event", 403
    data = _read_json(raw)
    if not isinstance(data, dict):
        return "not an event", 400
    return _answer(handle(zalo, data))


def warm_up() -> None:
    """What a fresh worker's first updates would otherwise do while a resident waits (gunicorn's
    post_worker_init calls this): the hot statements compiled (bots.chat_store.warm_up, nothing written),
    the Telegram Bot that parsing needs built (its HTTP clients load the CA bundle: ~100 ms), RQ imported."""
    warm_up_statements()
    if current_app.config.get("TELEGRAM_BOT_TOKEN"):
        telegram.bot()
    if current_app.config.get("REDIS_URL"):
        import rq  # noqa: F401 - imported by the first hand-off otherwise


def init_app(app) -> None:
    """Webhooks (CSRF-exempt: platforms authenticate with a secret instead), the outbox sender, `flask bots`."""
    app.register_blueprint(bp)
    csrf.exempt(bp)
    sender.init_app(app)
    app.cli.add_command(cli.bots)
