"""With REDIS_URL set, delivery is an RQ job on queue `hailong`, run here by rq's SimpleWorker in burst mode.

Updates append their rows to a Redis list and queue a drain job only when none is queued
(bots.sender.hand_to_worker), so these tests look at the list, the flag and the jobs together."""
from __future__ import annotations

import json
import os

import pytest

from bots import sender
from survey_app.extensions import db
from survey_app.models import OutboundMessage
from survey_app.services import outbox

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = [pytest.mark.redis, pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")]


def _empty(queue):
    queue.empty()
    queue.connection.delete(sender.DUE_KEY, sender.DRAIN_FLAG)


@pytest.fixture
def queue():
    """The `hailong` queue with its due list and drain flag, empty before and after the test."""
    from redis import Redis
    from rq import Queue

    queue = Queue(sender.QUEUE, connection=Redis.from_url(REDIS_URL))
    _empty(queue)
    yield queue
    _empty(queue)


@pytest.fixture
def rq_app(build_app):
    """The app of a web worker that hands its rows to RQ."""
    return build_app(REDIS_URL=REDIS_URL)


def test_outbox_dispatch_enqueues_a_job_that_the_worker_delivers(rq_app, queue, tg):
    from rq import SimpleWorker

    connection = queue.connection
    with rq_app.app_context():
        row_id = outbox.enqueue("telegram", "901", "Câu 1/11")
        db.session.commit()
        outbox.dispatch([row_id])  # what every service calls after its commit
        assert queue.count == 1
        assert tg.sent() == []  # nothing sent by the web process
        assert SimpleWorker([queue], connection=connection).work(burst=True)
        db.session.expire_all()
        assert db.session.get(OutboundMessage, row_id).status == "sent"
    assert [m["text"] for m in tg.sent("901")] == ["Câu 1/11"]


def test_updates_under_load_share_one_drain_job_and_it_delivers_them_all_in_order(rq_app, queue, tg):
    from rq import SimpleWorker

    connection = queue.connection
    with rq_app.app_context():
        ids = []
        for n in range(30):  # thirty updates, two residents, before the worker gets to them
            ids.append(outbox.enqueue("telegram", str(900 + n % 2), f"tin {n}"))
            db.session.commit()
            outbox.dispatch([ids[-1]])
        assert queue.count == 1  # one job, not thirty
        assert connection.llen(sender.DUE_KEY) == 30
        assert SimpleWorker([queue], connection=connection).work(burst=True)
        assert connection.llen(sender.DUE_KEY) == 0 and not connection.exists(sender.DRAIN_FLAG)
        outbox.dispatch([outbox.enqueue("telegram", "900", "sau")])  # the drain is over: a new job
        assert queue.count == 1
    assert [m["text"] for m in tg.sent("900")] == [f"tin {n}" for n in range(0, 30, 2)]
    assert [m["text"] for m in tg.sent("901")] == [f"tin {n}" for n in range(1, 30, 2)]


def test_a_row_appended_just_after_the_drain_found_the_list_empty_is_not_stranded(rq_app, queue, tg):
    """The drain finds the list empty while its flag is still set, so an update appending right then queues
    no job: the drain must clear the flag and look once more, or that row waits for the next update."""
    from rq import Queue, SimpleWorker

    connection = queue.connection
    with rq_app.app_context():
        first = outbox.enqueue("telegram", "905", "một")
        late = outbox.enqueue("telegram", "905", "hai")
        db.session.commit()
        outbox.dispatch([first])
        appended = []

        class Worker(type(connection)):  # the worker's connection: `late` is appended the moment it sees []
            def lpop(self, name, count=None):
                found = super().lpop(name, count)
                if not found and not appended:
                    appended.append(connection.exists(sender.DRAIN_FLAG))
                    sender.hand_to_worker(connection, [late], [])
                return found

        spy = Worker.from_url(REDIS_URL)
        assert SimpleWorker([Queue(sender.QUEUE, connection=spy)], connection=spy).work(burst=True)
        assert appended == [1]  # the flag was still set: that append queued no job of its own
        assert queue.count == 0 and connection.llen(sender.DUE_KEY) == 0
    assert [m["text"] for m in tg.sent("905")] == ["một", "hai"]


def test_rows_dispatched_by_many_threads_at_once_are_all_handed_over_once_in_order(rq_app, queue):
    import threading

    threads, start = 8, threading.Barrier(8)

    def dispatch_many(first):
        with rq_app.app_context():
            start.wait()
            for n in range(first, first + 25):
                sender.deliver_soon([n], [("telegram", "answerCallbackQuery", {"callback_query_id": str(n)})])

    workers = [threading.Thread(target=dispatch_many, args=(i * 100,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    batches = [json.loads(b) for b in queue.connection.lrange(sender.DUE_KEY, 0, -1)]
    ids = [i for batch in batches for i in batch[0]]
    chores = [c[2]["callback_query_id"] for batch in batches for c in batch[1]]
    expected = [i * 100 + n for i in range(threads) for n in range(25)]
    assert sorted(ids) == expected and sorted(map(int, chores)) == expected
    for i in range(threads):  # one thread's rows (one resident's replies) stay in the order dispatched
        mine = [n for n in ids if n // 100 == i]
        assert mine == sorted(mine)
    assert queue.count == 1  # 200 dispatches, one drain job


def test_a_drain_that_fails_hands_its_rows_back_and_the_next_update_queues_a_new_job(rq_app, queue, tg, monkeypatch):
    from rq import SimpleWorker

    connection = queue.connection
    with rq_app.app_context():
        first, second = (outbox.enqueue("telegram", "907", text) for text in ("một", "hai"))
        db.session.commit()
        outbox.dispatch([first])
        real_deliver = sender.deliver

        def database_gone(*args):
            monkeypatch.setattr(sender, "deliver", real_deliver)  # fails once, like a dropped connection
            raise RuntimeError("server closed the connection unexpectedly")

        monkeypatch.setattr(sender, "deliver", database_gone)
        SimpleWorker([queue], connection=connection).work(burst=True)  # the job fails
        assert tg.sent("907") == [] and connection.llen(sender.DUE_KEY) == 1
        assert not connection.exists(sender.DRAIN_FLAG)
        outbox.dispatch([second])  # the next update: a new job, which delivers both in order
        assert queue.count == 1
        assert SimpleWorker([queue], connection=connection).work(burst=True)
    assert [m["text"] for m in tg.sent("907")] == ["một", "hai"]
