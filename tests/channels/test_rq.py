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
        row_id = outbox.enqueue("telegram", "901", "Câu 1/11")
        db.session.commit()
        outbox.dispatch([row_id])  # what every service calls after its commit
        assert queue.count == 1
        assert tg.sent() == []  # nothing sent by the web process
        assert SimpleWorker([queue], connection=connection).work(burst=True)
        db.session.expire_all()
        assert db.session.get(OutboundMessage, row_id).status == "sent"
    assert [m["text"] for m in tg.sent("901")] == ["Câu 1/11"]


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_rows_dispatched_while_a_job_is_being_enqueued_go_in_the_next_job_none_lost_none_twice(build_app):
    import threading

    from redis import Redis
    from rq import Queue

    app = build_app(REDIS_URL=REDIS_URL)
    queue = Queue(sender.QUEUE, connection=Redis.from_url(REDIS_URL))
    queue.empty()
    threads, start = 8, threading.Barrier(8)

    def dispatch_many(first):
        with app.app_context():
            start.wait()
            for n in range(first, first + 25):
                sender.dispatch([n], [("telegram", "answerCallbackQuery", {"callback_query_id": str(n)})])

    workers = [threading.Thread(target=dispatch_many, args=(i * 100,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    jobs = queue.get_jobs()
    ids = [i for job in jobs for i in job.args[0]]
    chores = [c[2]["callback_query_id"] for job in jobs for c in job.args[1]]
    expected = [i * 100 + n for i in range(threads) for n in range(25)]
    assert sorted(ids) == expected and sorted(map(int, chores)) == expected
    for i in range(threads):  # one thread's rows (one resident's replies) stay in the order dispatched
        mine = [n for n in ids if n // 100 == i]
        assert mine == sorted(mine)
    queue.empty()
