"""The outbox's timing policy: how long a send may take, how long a claim lasts, when to try again, when to stop.

Each number is one setting (survey_app.config, explained in docs/deploy.md under "Outbox delivery"), read at
call time so a test or an operator can change it without touching the code.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

# The slowest send: Telegram's first getMe then the message, each allowed the timeout for a pooled connection,
# to connect, to write and to read (Zalo's token refresh and two posts take less). A claim shorter than
# that could run out while its sender still waits, and a second sender would send the message again.
LEASE_TIMEOUTS = 10


def send_timeout() -> float:
    """Seconds a platform call may take to connect, and again to answer, before it counts as failed."""
    return float(current_app.config.get("BOTS_SEND_TIMEOUT_SECONDS", 30.0))


def lease() -> timedelta:
    """How long a claimed row belongs to its sender: the configured lease, never less than a send can take."""
    configured = float(current_app.config.get("BOTS_SEND_LEASE_SECONDS", 300.0))
    return timedelta(seconds=max(configured, LEASE_TIMEOUTS * send_timeout()))


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: doubling from the base, capped."""
    base = float(current_app.config.get("BOTS_RETRY_BASE_SECONDS", 1.0))
    cap = float(current_app.config.get("BOTS_RETRY_MAX_DELAY_SECONDS", 3600.0))
    return min(base * 2 ** min(max(attempts - 1, 0), 60), cap)


def max_age() -> timedelta:
    """How long a message is worth retrying: after that the resident's chat session has expired anyway."""
    return timedelta(hours=float(current_app.config.get("BOTS_RETRY_MAX_AGE_HOURS", 168.0)))


def too_old(created_at: datetime, now: datetime) -> bool:
    return now - created_at >= max_age()
