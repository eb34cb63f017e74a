"""Logs hold no resident's text and no whole invitation code.

SQL parameters are hidden by the engine (`hide_parameters`, see config); this module masks the code in
`/s/<code>` and `/tra-loi/<code>` wherever a path is logged: Flask's "Exception on /s/… [POST]", the
development server's request lines, and gunicorn's access log (gunicorn.conf.py uses `AccessLogger`)."""
from __future__ import annotations

import logging
import re

# /s/K7QM-3XPA/trang/2 → /s/K7…/trang/2, /tra-loi/K7QM-3XPA → /tra-loi/K7… (also percent-encoded or
# lower-case codes, and in full URLs)
_CODE_IN_PATH = re.compile(r"(/(?:s|tra-loi)/)([^/?#\s\"']{1,2})[^/?#\s\"']*")


def redact(text: str) -> str:
    """Keep the first two symbols of an invitation code in a path: enough to tell two requests apart."""
    return _CODE_IN_PATH.sub(r"\1\2…", text)


class RedactCodes(logging.Filter):
    """Rewrites a record's message with the codes masked (the arguments are folded in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def register_logging(app) -> None:
    """Mask codes in the app's own log and in the development server's request log."""
    for logger in (app.logger, logging.getLogger("werkzeug"), logging.getLogger("gunicorn.error")):
        if not any(isinstance(f, RedactCodes) for f in logger.filters):
            logger.addFilter(RedactCodes())


def access_logger_class():
    """gunicorn's logger with every atom that can carry a path (request line, path, query, referer) masked."""
    from gunicorn.glogging import Logger

    class AccessLogger(Logger):
        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            for key in ("r", "U", "q", "f"):
                if isinstance(atoms.get(key), str):
                    atoms[key] = redact(atoms[key])
            return atoms

    return AccessLogger
