"""Background jobs on RQ: the one queue the Procfile's worker listens to, and the app its jobs run in.

Every job (the outbox's drain, a retrain from the staff page) is put on QUEUE; the Procfile's `worker` line
names the same queue (a test reads it), so nothing is enqueued where no worker listens.
"""
from __future__ import annotations

import os
from contextlib import contextmanager

from flask import current_app, has_app_context

from . import create_app
from .extensions import db

QUEUE = "hailong"
_apps: dict[int, object] = {}


def queue(connection):
    """The RQ queue every job goes on."""
    from rq import Queue

    return Queue(QUEUE, connection=connection)


@contextmanager
def app_context():
    """Reuse the caller's app when there is one (a thread, a SimpleWorker in a test or CLI), else this
    worker process's own, built once from the environment."""
    if has_app_context():
        yield current_app
        return
    app = _apps.get(os.getpid())
    if app is None:
        app = _apps[os.getpid()] = create_app()
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
