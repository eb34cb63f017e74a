"""Query-string values of the staff lists and filters, parsed in one place so odd input never reaches SQL.

PostgreSQL refuses a NUL byte in text and an integer beyond its column type; a page number turns into an
OFFSET that must fit too. Each parser is a Werkzeug `type=` callable: a value it cannot take raises
ValueError, and `request.args.get(name, default, type=...)` then answers the default (a list skips it).
"""
from __future__ import annotations

from datetime import date

from flask import request

from ..converters import DB_INT_MAX
from ..text import clean_line

MAX_PAGE = 100_000  # far past any list's end (50 rows a page), and its OFFSET fits every database
MAX_TEXT = 200


def db_id(value: str) -> int:
    """A row id the database can hold (1 … 2³¹−1)."""
    number = int(value)
    if not 0 < number <= DB_INT_MAX:
        raise ValueError(f"id out of range: {value!r}")
    return number


def page_number(value: str) -> int:
    """A page number, clamped to 1 … MAX_PAGE (a page past the end is simply empty)."""
    return min(max(int(value), 1), MAX_PAGE)


def line(value: str) -> str:
    """One line of text without NUL or other control characters, at most MAX_TEXT characters."""
    return clean_line(value)[:MAX_TEXT]


def day(value: str) -> date:
    """An ISO date (YYYY-MM-DD) with a day after it, so "up to and including" can be computed."""
    found = date.fromisoformat(value)
    if found == date.max:
        raise ValueError("no day after 9999-12-31")
    return found


def arg_id(name: str) -> int | None:
    return request.args.get(name, None, type=db_id)


def arg_page(name: str = "page") -> int:
    return request.args.get(name, 1, type=page_number)


def arg_text(name: str) -> str | None:
    return request.args.get(name, "", type=line) or None
