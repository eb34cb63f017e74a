"""The app an RQ worker process runs jobs with: built once per process from the environment."""
from __future__ import annotations

import os
from contextlib import contextmanager

from flask import current_app, has_app_context

_apps: dict[int, object] = {}


@contextmanager
def app_context():
    """Reuse the caller's app when there is one (a SimpleWorker inside a test or CLI), else this process's own."""
    if has_app_context():
        yield current_app
        return
    from survey_app import create_app
    from survey_app.extensions import db

    app = _apps.get(os.getpid())
    if app is None:
        app = _apps[os.getpid()] = create_app()
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
