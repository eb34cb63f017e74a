"""What counts as the database or Redis being away (restarting, failing over, out of connections).

Such a request can simply be tried again later, so pages answer it 503 with Retry-After and webhooks refuse the
update so the platform sends it again. Anything else that fails is a bug: 500 (pages) or a parked update (chat).
SQLite reports a missing table and a locked database with the same class, OperationalError: only the second
(and a file it cannot open) is an outage.
"""
from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# What may mean an outage; `is_outage` then looks closer.
OUTAGE_TYPES = (OperationalError, InterfaceError, PoolTimeout, RedisConnectionError, RedisTimeoutError)
_SQLITE_OUTAGES = ("database is locked", "database table is locked", "unable to open database", "disk i/o error")


def is_outage(error: BaseException) -> bool:
    """True when `error` says the database or Redis is away, not that the code is wrong."""
    if isinstance(error, (PoolTimeout, RedisConnectionError, RedisTimeoutError, InterfaceError)):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, OperationalError):
        module = type(error.orig).__module__
        if module.startswith("sqlite3"):
            return any(text in str(error.orig).lower() for text in _SQLITE_OUTAGES)
        return True  # psycopg: connection refused or lost, admin shutdown, lock or statement timeouts
    return False
