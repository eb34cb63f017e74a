"""URL converters that keep odd paths from reaching the database: every `<int:…>` id stays within
PostgreSQL's integer range (a bigger one is simply "not found", 404), and every string part of a path
(`/s/<code>`, `/c/<slug>`, …) arrives without NUL or other control characters."""
from werkzeug.routing import IntegerConverter, UnicodeConverter

from .text import clean_line

DB_INT_MAX = 2**31 - 1  # PostgreSQL `integer`; SQLite would accept more, but ids never get there


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that matches only ids the database can hold (0 … 2³¹−1)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.max = DB_INT_MAX if self.max is None else min(self.max, DB_INT_MAX)
        if self.signed and self.min is None:
            self.min = -DB_INT_MAX - 1


class CleanStringConverter(UnicodeConverter):
    """The default `<name>` / `<string:name>` converter, with control characters stripped."""

    def to_python(self, value: str) -> str:
        return clean_line(value)


def register_converters(app) -> None:
    app.url_map.converters.update(int=BoundedIntConverter, default=CleanStringConverter,
                                  string=CleanStringConverter)
