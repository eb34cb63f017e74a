"""Fixed-window rate limits per client: in process memory by default, in Redis when REDIS_URL is set.

Small on purpose (no Flask-Limiter): the survey needs two counters, wrong invitation codes per
client and open-mode submissions per client. With several gunicorn workers the memory counter is
per worker, so production sets REDIS_URL to share one count across workers and machines.
"""
from __future__ import annotations

import threading
import time

from flask import current_app, request
from werkzeug.exceptions import TooManyRequests

# (attempts, window in seconds); override in config, e.g. {"RATELIMIT_CODE_GUESSES": (5, 600)}.
DEFAULTS = {
    "RATELIMIT_CODE_GUESSES": (10, 600),  # wrong codes before a client must wait
    "RATELIMIT_OPEN_SUBMISSIONS": (30, 3600),  # open-mode answers from one address (phones share carrier NAT)
    "RATELIMIT_OPEN_DRAFTS": (60, 3600),  # open-mode drafts started (hamlet chosen) from one address
    "RATELIMIT_STAFF_LOGIN": (10, 900),  # wrong staff passwords before a pause
}


class MemoryCounter:
    """Counts per (key, window start) in this process; old windows are dropped as time goes on."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, int], int] = {}

    def incr(self, key: str, window: int) -> int:
        slot = (key, int(time.time()) // window)
        with self._lock:
            if len(self._counts) > 10_000:
                self._drop_old(window)
            self._counts[slot] = self._counts.get(slot, 0) + 1
            return self._counts[slot]

    def get(self, key: str, window: int) -> int:
        return self._counts.get((key, int(time.time()) // window), 0)

    def _drop_old(self, window: int) -> None:
        now = int(time.time()) // window
        self._counts = {slot: n for slot, n in self._counts.items() if slot[1] >= now}


class RedisCounter:
    """The same fixed window in Redis: INCR then EXPIRE, so every worker shares the count."""

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5)

    def incr(self, key: str, window: int) -> int:
        name = f"hailong:rl:{key}:{int(time.time()) // window}"
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, window)
        return int(pipe.execute()[0])

    def get(self, key: str, window: int) -> int:
        return int(self._redis.get(f"hailong:rl:{key}:{int(time.time()) // window}") or 0)


def _counter():
    counter = current_app.extensions.get("hailong_ratelimit")
    if counter is None:
        url = current_app.config.get("REDIS_URL")
        counter = RedisCounter(url) if url else MemoryCounter()
        current_app.extensions["hailong_ratelimit"] = counter
    return counter


def client_id() -> str:
    """The client's address (behind a proxy, wrap the app in ProxyFix so this is the real one)."""
    return request.remote_addr or "unknown"


def _limit(name: str) -> tuple[int, int]:
    return tuple(current_app.config.get(name, DEFAULTS[name]))


def _enabled() -> bool:
    return current_app.config.get("RATELIMIT_ENABLED", True)


def check(name: str) -> None:
    """Raise 429 if this client has used up `name` in the current window (counting nothing)."""
    limit, window = _limit(name)
    if _enabled() and _safe(lambda: _counter().get(f"{name}:{client_id()}", window)) >= limit:
        raise TooManyRequests()


def count(name: str) -> int:
    """Count one event of `name` for this client; returns the count so far in this window."""
    _, window = _limit(name)
    if not _enabled():
        return 0
    return _safe(lambda: _counter().incr(f"{name}:{client_id()}", window))


def _safe(call) -> int:
    """A Redis outage must not stop residents from answering: log it and let the request through."""
    try:
        return call()
    except Exception:  # logged below; any backend error degrades to "not limited"
        current_app.logger.warning("rate limiter unavailable", exc_info=True)
        return 0
