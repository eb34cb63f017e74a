"""With REDIS_URL set, delivery is an RQ job on queue `hailong`, run here by rq's SimpleWorker in burst mode."""
from __future__ import annotations

import os

import pytest

from bots import sender
from survey_app.extensions import db
from survey_app.models import OutboundMessage
from survey_app.services import outbox

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.redis


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_outbox_dispatch_enqueues_a_job_that_the_worker_delivers(build_app, tg):
    from redis import Redis
    from rq import Queue, SimpleWorker

    app = build_app(REDIS_URL=REDIS_URL)
    connection = Redis.from_url(REDIS_URL)
    queue = Queue(sender.QUEUE, connection=connection)
    queue.empty()
    with app.app_context():
        row = outbox.enqueue("telegram", "901", "Câu 1/11")
        db.session.commit()
        outbox.dispatch([row.id])  # what every service calls after its commit
        assert queue.count == 1
        assert tg.sent() == []  # nothing sent by the web process
        assert SimpleWorker([queue], connection=connection).work(burst=True)
        db.session.expire_all()
        assert db.session.get(OutboundMessage, row.id).status == "sent"
    assert [m["text"] for m in tg.sent("901")] == ["Câu 1/11"]
