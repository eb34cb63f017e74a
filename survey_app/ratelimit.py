"""Rate limits per client with the `limits` library: memory by default, Redis when REDIS_URL is set.

Only attempts that went wrong are counted (a wrong invitation code, a wrong staff password), so a
valid code is never refused, and a refused client is told how long to wait.

If Redis is unreachable the counts go on in this worker's memory (logged): limits stay in force
(per worker, so looser) rather than failing open — and residents are never shown an error for it.

No route is limited automatically, so Flask-Limiter's per-request hooks (a third of a millisecond on
every request, chat webhooks included) are not installed: `limits`, the library under it, is used directly.
"""
from __future__ import annotations

import math
import time

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

# (attempts, window in seconds); override in config, e.g. {"RATELIMIT_CODE_GUESSES": (5, 600)}.
DEFAULTS = {
    "RATELIMIT_CODE_GUESSES": (10, 600),  # wrong codes before a client must wait
    "RATELIMIT_OPEN_SUBMISSIONS": (30, 3600),  # open-mode answers from one address (phones share carrier NAT)
    "RATELIMIT_OPEN_DRAFTS": (60, 3600),  # open-mode drafts started (hamlet chosen) from one address
    "RATELIMIT_STAFF_LOGIN": (10, 900),  # wrong passwords for one account (typed name) before it pauses
    "RATELIMIT_STAFF_LOGIN_ADDRESS": (100, 900),  # wrong passwords from one address, any names (spraying)
}


class RateLimited(TooManyRequests):
    def __init__(self, wait_seconds: int, hint: str | None = None):
        super().__init__()
        self.wait_seconds = max(1, int(wait_seconds))
        self.hint = hint  # a sentence added to the message (who else can help)


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    storage = storage_from_string(url, socket_timeout=0.5, socket_connect_timeout=0.5) if url else MemoryStorage()
    app.extensions["hailong_limits"] = {"primary": FixedWindowRateLimiter(storage),
                                        "fallback": FixedWindowRateLimiter(MemoryStorage())}
    app.register_error_handler(RateLimited, too_many_response)


def _strategies():
    ext = current_app.extensions["hailong_limits"]
    return ext["primary"], ext["fallback"]


def _call(method: str, item, key):
    primary, fallback = _strategies()
    try:
        return getattr(primary, method)(item, key)
    except Exception:
        current_app.logger.warning("rate limit storage unavailable; counting in memory", exc_info=True)
        return getattr(fallback, method)(item, key)


def client_id() -> str:
    """The client's address (behind PROXY_COUNT proxies ProxyFix makes this the real one)."""
    return request.remote_addr or "unknown"


def _item(name: str):
    limit, window = current_app.config.get(name, DEFAULTS[name])
    return RateLimitItemPerSecond(limit, window)


def _enabled() -> bool:
    return current_app.config.get("RATELIMIT_ENABLED", True)


def _key(name: str, who: str | None) -> str:
    """The counter's key: `who` (an account, a chat) when given, else the client's address."""
    return f"{name}:{who if who is not None else client_id()}"


def wait_seconds(name: str, who: str | None = None) -> int:
    """Seconds this client (or `who`) must wait before `name` is allowed again (0 = allowed now)."""
    if not _enabled():
        return 0
    stats = _call("get_window_stats", _item(name), _key(name, who))
    return 0 if stats.remaining > 0 else max(1, math.ceil(stats.reset_time - time.time()))


def check(name: str, who: str | None = None) -> None:
    """Raise RateLimited (429, with the wait) if this client (or `who`) has used up `name` (counting nothing)."""
    wait = wait_seconds(name, who)
    if wait:
        raise RateLimited(wait)


def count(name: str, who: str | None = None) -> None:
    """Count one event of `name` for this client (or for `who`)."""
    if _enabled():
        _call("hit", _item(name), _key(name, who))


def clear(name: str, who: str | None = None) -> None:
    """Forget the count of `name` for this client (or for `who`), also what was counted while Redis was down."""
    if _enabled():
        _call("clear", _item(name), _key(name, who))
        _strategies()[1].clear(_item(name), _key(name, who))


def wrong_attempt(name: str):
    """A wrong attempt: the 429 page if the client is already over the limit, else count it and return None."""
    wait = wait_seconds(name)
    if wait:
        return too_many_response(RateLimited(wait))
    count(name)
    return None


def too_many_response(error: RateLimited):
    minutes = math.ceil(error.wait_seconds / 60)
    message = _("Bạn đã thử sai quá nhiều lần. Xin đợi khoảng %(minutes)d phút rồi thử lại.", minutes=minutes)
    if error.hint:
        message = f"{message} {error.hint}"
    if request.path.startswith(("/api/", "/bots/")):
        from flask import jsonify

        response = jsonify(error=429, message=message)
    else:
        response = current_app.make_response(render_template(
            "errors/error.html", code=429, title=_("Thao tác quá nhanh"), message=message))
    response.status_code = 429
    response.headers["Retry-After"] = str(error.wait_seconds)
    return response
