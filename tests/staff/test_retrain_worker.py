"""A retrain started on /staff/model is run by the worker the Procfile starts (issue #18: it never ran,
queued where that worker does not listen)."""
from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from sqlalchemy import select
from staff_helpers import PASSWORD, post_form, sign_in

from survey_app.extensions import db
from survey_app.jobs import QUEUE
from survey_app.models import AuditLog, ModelVersion, StaffRole
from survey_app.services.staff.users import create_or_reset_user

REDIS_URL = os.environ.get("TEST_REDIS_URL")
PROCFILE = Path(__file__).resolve().parents[2] / "Procfile"


def procfile_worker_queues() -> list[str]:
    """The queues of the Procfile's `worker` line, as `rq worker` itself parses its arguments."""
    from rq.cli import worker

    line = next(line for line in PROCFILE.read_text().splitlines() if line.startswith("worker:"))
    command = shlex.split(line.partition(":")[2])
    assert command[:2] == ["rq", "worker"]
    return list(worker.make_context("worker", command[2:]).params["queues"])


def test_the_procfile_worker_listens_to_the_jobs_queue():
    assert procfile_worker_queues() == [QUEUE]


@pytest.fixture
def queues():
    """The Procfile worker's queues on the test Redis, empty before and after (and RQ's `default`, where
    retrains used to go)."""
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(REDIS_URL)
    found = [Queue(name, connection=connection) for name in procfile_worker_queues()]
    for queue in [*found, Queue("default", connection=connection)]:
        queue.empty()
    yield found
    for queue in [*found, Queue("default", connection=connection)]:
        queue.empty()


@pytest.fixture
def redis_app(app):
    """A production web process: the same database, REDIS_URL set."""
    from survey_app import create_app

    config = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "MODELS_DIR",
                                                "WTF_CSRF_ENABLED")}
    built = create_app({**config, "REDIS_URL": REDIS_URL})
    yield built
    with built.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.redis
def test_a_retrain_started_on_the_staff_page_is_run_by_the_procfile_worker(redis_app, queues, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("one backend is enough for a job that trains the classifier twice")
    from rq import Worker

    with redis_app.app_context():
        admin = create_or_reset_user("quantri", role=StaffRole.ADMIN, unit=None, password=PASSWORD)[0].id
    client = redis_app.test_client()
    sign_in(client, "quantri")
    assert post_form(client, "/staff/model", {"do": "retrain"}, page_url="/staff/model").status_code == 302
    with redis_app.app_context():
        db.engine.dispose()  # the worker forks a work horse per job: it opens its own connections
        assert Worker(queues, connection=queues[0].connection).work(burst=True)  # a job ran
        done = db.session.execute(select(AuditLog).where(AuditLog.action == "nlp_retrain_ui")).scalar_one()
        assert done.staff_user_id == admin
        assert len(db.session.execute(select(ModelVersion)).scalars().all()) == 2  # the first model, the retrained
