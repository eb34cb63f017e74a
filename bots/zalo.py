"""Zalo Official Account adapter (OpenAPI v3, plain `requests`): verify, parse to Events, send.

Every id and timestamp in Zalo's JSON is a string, often beyond 2^53: they are never parsed as numbers.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time

import requests
from flask import current_app

from . import retry, zalo_token
from .delivery import Inbound, OutOfWindow, Rejected, RetryLater, Unreachable
from .messages import Event, EventKind

log = logging.getLogger(__name__)
NAME = "zalo"
WINDOWED = True  # no message 7 days after the resident's last one: rows wait for them to write
TEXT_LIMIT = 2000
TOKEN_INVALID = {-216, -220}
OUT_OF_WINDOW = {-230, -232}
UNREACHABLE = {-213, -217, -227, -244}  # -213 not a follower: nothing can reach them until they follow again
RATE_LIMITED = {-32}


# The event's own "timestamp" member, read from the raw bytes so nothing is parsed before the signature
# checks (a JSON parser on an unsigned body is an attack surface: 100,000 `[` once answered 500).
_TIMESTAMP = re.compile(rb'"timestamp"\s*:\s*"?(\d{1,20})"?')
TIMESTAMP_CANDIDATES = 4


def verified_timestamp(raw_body: bytes, header: str | None, header_timestamp: str | None) -> str | None:
    """The timestamp the signature was made with, or None if the signature does not check.

    Zalo signs with the body's own `timestamp` member; the X-ZEvent-Timestamp header is also tried
    (unconfirmed: some deployments may send it there). Every candidate is tried, so a member of that
    name nested in the event cannot shadow the real one; only a correct signature lets one through."""
    candidates = [m.group(1).decode() for m in _TIMESTAMP.finditer(raw_body)][:TIMESTAMP_CANDIDATES]
    if header_timestamp and header_timestamp.isdigit() and len(header_timestamp) <= 20:
        candidates.append(header_timestamp)
    return next((t for t in dict.fromkeys(candidates) if signature_ok(raw_body, header, t)), None)


def fresh(timestamp: str, now: float | None = None) -> bool:
    """Whether an event's timestamp (milliseconds since 1970, a string) is within ZALO_EVENT_MAX_AGE seconds
    of now, or at most ZALO_EVENT_MAX_SKEW ahead: a captured request replayed long after is refused."""
    now = time.time() if now is None else now
    sent = int(timestamp) / 1000
    return now - current_app.config["ZALO_EVENT_MAX_AGE"] <= sent <= now + current_app.config["ZALO_EVENT_MAX_SKEW"]


def signature_ok(raw_body: bytes, header: str | None, timestamp: str | None) -> bool:
    """`X-ZEvent-Signature: mac=<hex>`, hex = sha256(app_id + raw body + timestamp + OA secret key).

    Plain SHA-256 of the concatenation over the exact bytes received (not an HMAC). Unconfirmed whether
    every deployment signs with the OA secret key: it is its own setting, ZALO_OA_SECRET_KEY.
    """
    app_id = current_app.config.get("ZALO_APP_ID") or ""
    key = current_app.config.get("ZALO_OA_SECRET_KEY")
    if not key or not header or timestamp is None:
        return False
    given = header.strip()
    if given.lower().startswith("mac="):
        given = given[4:]
    expected = hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + key.encode()).hexdigest()
    return hmac.compare_digest(given.lower().encode(), expected.encode())


def parse(data: dict) -> Inbound | None:
    """A webhook event → Inbound, or None for what the engine never sees (echoes, unknown or malformed events).

    Read defensively: a member of the wrong type, a missing id or an id no platform would send is an
    event we cannot act on, not an error (Zalo signed it, so answering it with an error would only make
    Zalo send it again)."""
    name = _string(data.get("event_name"))
    if not name or name.startswith("oa_"):
        return None  # oa_send_*: echoes of our own sends
    timestamp = _id(data.get("timestamp"))
    if name in ("follow", "unfollow"):
        user = _id(_object(data.get("follower")).get("id"))
        if not user:
            return None
        kind = EventKind.START if name == "follow" else EventKind.STOP
        return Inbound(f"{name}:{user}:{timestamp}", user, Event(kind))
    if not name.startswith("user_send_"):
        return None  # user_submit_info and others: their shape has changed over time; not survey input
    user = _id(_object(data.get("sender")).get("id"))
    message = _object(data.get("message"))
    msg_id = _id(message.get("msg_id"))
    if not user or not msg_id:
        return None
    if name == "user_send_text":
        return Inbound(msg_id, user, Event(EventKind.TEXT, _string(message.get("text"))[:TEXT_LIMIT * 2]))
    return Inbound(msg_id, user, Event(EventKind.ATTACHMENT))


def _object(value) -> dict:
    return value if isinstance(value, dict) else {}


def _string(value) -> str:
    return value if isinstance(value, str) else ""


_ID = re.compile(r"[0-9A-Za-z_.:-]{1,64}")


def _id(value) -> str:
    """A Zalo id (digits in a string, sometimes beyond 2^53): kept as text, or "" if it is no plausible id."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    return text if _ID.fullmatch(text) else ""


def message_body(chat_user_id: str, payload: dict) -> dict:
    """The /v3.0/oa/message/cs body: text, and query buttons whose press comes back as the payload text."""
    text = payload.get("text") or ""
    if len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT - 1] + "…"
    message: dict = {"text": text}
    buttons = payload.get("buttons") or []
    if buttons:
        message["attachment"] = {"type": "template", "payload": {"buttons": [
            {"title": title[:100], "type": "oa.query.hide", "payload": button_payload}
            for title, button_payload in buttons]}}
    return {"recipient": {"user_id": chat_user_id}, "message": message}


def send(chat_user_id: str, payload: dict) -> None:
    """Send one outbox payload; raises a DeliveryError subclass when it did not go through.

    Zalo answers most errors with HTTP 200 and `error != 0`: the body is always read. An invalid or
    expired token is refreshed once (under the database lock) and the send retried once.
    """
    body = message_body(chat_user_id, payload)
    token = zalo_token.access_token()
    error, detail = _post(token, body)
    if error in TOKEN_INVALID:
        token = zalo_token.refresh(stale_access_token=token)
        error, detail = _post(token, body)
        if error in TOKEN_INVALID:
            raise RetryLater(f"zalo {error} after refresh: {detail}", delay=300)
    if error == 0:
        return
    if error in OUT_OF_WINDOW:
        raise OutOfWindow(f"zalo {error}: {detail}")
    if error in UNREACHABLE:
        raise Unreachable(f"zalo {error}: {detail}")
    if error in RATE_LIMITED:
        raise RetryLater(f"zalo {error}: {detail}", delay=60)
    raise Rejected(f"zalo {error}: {detail}")


def chore(method: str, params: dict) -> None:
    """Zalo asks for nothing beside the replies (its button presses arrive as plain texts)."""


def _post(token: str, body: dict) -> tuple[int, str]:
    url = current_app.config["ZALO_API_BASE_URL"].rstrip("/") + "/v3.0/oa/message/cs"
    try:
        # retry.send_timeout(), not less: a send that lands after the client gave up would be sent twice.
        response = requests.post(url, json=body, headers={"access_token": token}, timeout=retry.send_timeout())
    except requests.RequestException as exc:
        raise RetryLater(f"zalo network: {exc!r}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise RetryLater(f"zalo HTTP {response.status_code}", delay=_retry_after(response))
    try:
        data = response.json()
        return int(data.get("error", 0)), str(data.get("message", ""))
    except (ValueError, TypeError, AttributeError):
        raise RetryLater(f"zalo HTTP {response.status_code}: unreadable body") from None


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None
