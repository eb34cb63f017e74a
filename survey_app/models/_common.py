"""Small helpers shared by the model modules."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC, the one convention for every stored timestamp (Flask-Babel shows it in Vietnam time)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
