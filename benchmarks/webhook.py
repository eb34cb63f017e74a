"""Webhook throughput: /bots/telegram and /bots/zalo under gunicorn on PostgreSQL, next to a bare Flask app.

    .venv/bin/python benchmarks/webhook.py                 # needs PostgreSQL and Redis on localhost
    .venv/bin/python benchmarks/webhook.py --duration 10 --clients 8

Every client process plays residents one after another, each a whole chat survey: /start <code> (Zalo:
the code typed), the language button, one button press per question, "skip" other opinions, "send".
Each POST is one update, timed on its own. With REDIS_URL set the replies are handed to the RQ worker (none runs), so
the figures are the webhook's own cost excluding the send, as the issue asks. `replay` posts updates
already handled (Telegram redelivering): acknowledged and ignored. `bare` is bench_bare.py: a POST
that returns "ok" under the same gunicorn settings. The clients share the 2 cores with the server.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from web_submit import OUT, PG_DEFAULT, gunicorn, stop  # noqa: E402

TG_SECRET = "bench-secret"
APP_ID, OA_KEY = "1234567890123456789", "bench-oa-key"


def survey_updates(channel: str, user: int, code: str, question_ids: list[int]) -> list[tuple[str, bytes, dict]]:
    """The POSTs one resident's survey makes: (path, body, headers)."""
    presses = ["lang:vi"] + [f"q{q}:1" for q in question_ids] + ["o:skip", "s:send"]
    out = []
    for n, press in enumerate([None] + presses):
        update_id = user * 1000 + n
        if channel == "telegram":
            chat = {"id": user, "type": "private"}
            sender = {"id": user, "is_bot": False, "first_name": "Dân", "language_code": "vi"}
            if press is None:
                update = {"update_id": update_id, "message": {"message_id": n + 1, "date": 1, "chat": chat,
                                                              "from": sender, "text": f"/start {code}"}}
            else:
                update = {"update_id": update_id, "callback_query": {
                    "id": f"cq{update_id}", "from": sender, "chat_instance": "1", "data": press,
                    "message": {"message_id": n, "date": 1, "chat": chat, "text": "…"}}}
            body = json.dumps(update).encode()
            out.append(("/bots/telegram", body, {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}))
        else:
            timestamp = str(int(time.time() * 1000) + n)  # fresh: older signed events are refused
            event = {"app_id": APP_ID, "event_name": "user_send_text", "timestamp": timestamp,
                     "sender": {"id": str(user)}, "recipient": {"id": "1"},
                     "message": {"msg_id": f"m{update_id}", "text": code if press is None else press}}
            body = json.dumps(event).encode()
            mac = hashlib.sha256(APP_ID.encode() + body + timestamp.encode() + OA_KEY.encode()).hexdigest()
            out.append(("/bots/zalo", body, {"X-ZEvent-Signature": f"mac={mac}"}))
    return out


def _worker(kind, port, jobs, question_ids, deadline, queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, handled = [], []
    for user, code in jobs:
        if time.perf_counter() >= deadline:
            break
        if kind == "bare":
            updates = [("/", b"{}", {})] * 8
        elif kind == "replay":
            updates = survey_updates("telegram", user, code, question_ids)  # handled in the telegram load
        else:
            updates = survey_updates(kind, user, code, question_ids)
        for path, body, headers in updates:
            start = time.perf_counter()
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - start)
            assert response.status == 200, (response.status, path)
        handled.append((user, code))
    queue.put((latencies, handled))


def run_load(kind, port, jobs, question_ids, clients, duration) -> tuple[dict, list]:
    queue = mp.Queue()
    deadline = time.perf_counter() + duration
    procs = [mp.Process(target=_worker, args=(kind, port, jobs[i::clients], question_ids, deadline, queue))
             for i in range(clients)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join()
    latencies = sorted(lat for lats, _ in results for lat in lats)
    handled = [job for _, done in results for job in done]
    return {"updates": len(latencies), "per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 2),
            "p99_ms": round(latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000, 2)}, handled


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn server (master and workers) and by every PostgreSQL process,
    from /proc (Linux): the machine is shared and noisy, so CPU per update is steadier than updates/s."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {"gunicorn": 0.0, "postgres": 0.0}
    pids = {server_pid} | {int(p) for p in Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()}
    for pid in Path("/proc").iterdir():
        if not pid.name.isdigit():
            continue
        try:
            stat = (pid / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        who = "gunicorn" if int(pid.name) in pids else "postgres" if name.startswith("postgres") else None
        if who:
            out[who] += (int(fields[11]) + int(fields[12])) / tick
    return out


def with_cpu(server, load):
    """Run one load and add the server's and PostgreSQL's CPU milliseconds per update to its figures."""
    before = cpu_seconds(server.pid)
    result, handled = load()
    after = cpu_seconds(server.pid)
    for who in after:
        result[f"{who}_cpu_ms"] = round((after[who] - before[who]) * 1000 / max(result["updates"], 1), 2)
    return result, handled


def check(url: str, handled_surveys: int) -> str:
    """What the database holds afterwards: one response per completed survey, nothing doubled by replays."""
    from sqlalchemy import create_engine, text

    from survey_app.config import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    with engine.connect() as conn:
        responses = conn.execute(text("SELECT channel, count(*) FROM response GROUP BY channel")).all()
        events = conn.execute(text("SELECT count(*) FROM inbound_event")).scalar()
        outbox = conn.execute(text("SELECT count(*) FROM outbound_message")).scalar()
    engine.dispose()
    return f"responses {dict(responses)} for {handled_surveys} surveys; inbound events {events}; outbox rows {outbox}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4"))
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3,
                        help="seconds of Telegram surveys sent to the fresh server first, not counted")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    from bench_setup import prepare_database

    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    bare = gunicorn("bench_bare:app", 18791, {"PYTHONPATH": str(ROOT / "benchmarks")}, args.workers, args.threads)
    try:
        results["bare POST"], _ = with_cpu(bare, lambda: run_load(
            "bare", 18791, [(0, "-")] * 10**6, [], args.clients, args.duration))
    finally:
        stop(bare)
    codes, _drafted = prepare_database(args.pg_url, args.households)
    question_ids = _question_ids(args.pg_url)
    half = len(codes) // 2
    tg_jobs = [(800_000_000 + i, c) for i, c in enumerate(codes[:half])]
    zalo_jobs = [(900_000_000 + i, c) for i, c in enumerate(codes[half:])]
    env = {"DATABASE_URL": args.pg_url, "SECRET_KEY": "bench", "REDIS_URL": args.redis_url,
           "TELEGRAM_BOT_TOKEN": "1:bench", "TELEGRAM_WEBHOOK_SECRET": TG_SECRET, "ZALO_APP_ID": APP_ID,
           "ZALO_OA_SECRET_KEY": OA_KEY}
    _empty_queue(args.redis_url)
    server = gunicorn("survey_app:create_app()", 18792, env, args.workers, args.threads)
    try:
        # A fresh worker's first requests compile SQL, prepare statements and import lazily: whichever load
        # ran first was up to 1.5x slower. Warm up with surveys of other households first (figures printed).
        warm = tg_jobs[-400:-100]
        tg_jobs = tg_jobs[:-400]
        warm_done = []
        if args.warmup > 0:
            results["(warm-up)"], warm_done = with_cpu(server, lambda: run_load(
                "telegram", 18792, warm, question_ids, args.clients, args.warmup))
        results["telegram"], tg_done = with_cpu(server, lambda: run_load(
            "telegram", 18792, tg_jobs, question_ids, args.clients, args.duration))
        results["zalo"], zalo_done = with_cpu(server, lambda: run_load(
            "zalo", 18792, zalo_jobs, question_ids, args.clients, args.duration))
        results["telegram replay"], _ = with_cpu(server, lambda: run_load(
            "replay", 18792, tg_done, question_ids, args.clients, args.duration))
    finally:
        stop(server)
        _empty_queue(args.redis_url)
    bare_rate = results["bare POST"]["per_s"]
    print(f"{'load':<18}{'updates':>9}{'per s':>9}{'p50 ms':>9}{'p99 ms':>9}{'÷ bare':>8}"
          f"{'server CPU ms':>15}{'PG CPU ms':>11}  (CPU per update)")
    for name, r in results.items():
        ratio = r['per_s'] / bare_rate
        print(f"{name:<18}{r['updates']:>9}{r['per_s']:>9}{r['p50_ms']:>9}{r['p99_ms']:>9}{ratio:>8.2f}"
              f"{r['gunicorn_cpu_ms']:>15}{r['postgres_cpu_ms']:>11}")
    print(check(args.pg_url, len(warm_done) + len(tg_done) + len(zalo_done)))
    used = {code for _, code in warm_done + tg_done + zalo_done}
    print(in_process_split(args.pg_url, args.redis_url, [c for c in codes if c not in used][-30:], question_ids))
    _empty_queue(args.redis_url)
    (OUT / "webhook.json").write_text(json.dumps(results, indent=2))


def in_process_split(url: str, redis_url: str, codes: list[str], question_ids: list[int]) -> str:
    """One client, no HTTP: how much of an update is `receive` (the engine's transaction) and how much the
    webhook around it (verification, parsing, the RQ enqueue, Flask); statements and CPU per update."""
    import bots.conversation as conversation
    from survey_app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": redis_url,
                      "TELEGRAM_BOT_TOKEN": "1:bench", "TELEGRAM_WEBHOOK_SECRET": TG_SECRET, "ZALO_APP_ID": APP_ID,
                      "ZALO_OA_SECRET_KEY": OA_KEY})
    inner, whole, receive = [], [], conversation.receive

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return receive(*args, **kwargs)
        finally:
            inner.append(time.perf_counter() - start)

    conversation.receive = timed  # bots.inbound imports it at call time
    client = app.test_client()
    statements = []
    with app.app_context():
        from sqlalchemy import event

        from survey_app.extensions import db

        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        event.listen(db.engine, "commit", lambda *a: statements.append(1))
    cpu = time.process_time()
    try:
        for i, code in enumerate(codes):
            for path, body, headers in survey_updates(("zalo", "telegram")[i % 2], 700_000_000 + i, code, question_ids):
                start = time.perf_counter()
                sent = client.post(path, data=body, headers={"Content-Type": "application/json", **headers})
                assert sent.status_code == 200
                whole.append(time.perf_counter() - start)
    finally:
        conversation.receive = receive
    cpu = time.process_time() - cpu
    p50 = lambda xs: round(statistics.median(xs) * 1000, 2)  # noqa: E731
    return (f"in process, one client, {len(whole)} updates: p50 whole {p50(whole)} ms = receive {p50(inner)} ms "
            f"+ webhook around it {p50([w - i for w, i in zip(whole, inner)])} ms; "
            f"{len(statements) / len(whole):.1f} SQL statements and commits per update; "
            f"{cpu * 1000 / len(whole):.2f} ms of this process's CPU per update (PostgreSQL's not included)")


def _question_ids(url: str) -> list[int]:
    from sqlalchemy import create_engine, text

    from survey_app.config import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text(
            "SELECT q.id FROM question q JOIN campaign c ON c.questionnaire_id = q.questionnaire_id "
            "ORDER BY q.position, q.id"))]
    engine.dispose()
    return list(dict.fromkeys(ids))


def _empty_queue(redis_url: str) -> None:
    from redis import Redis
    from rq import Queue

    from bots.sender import DRAIN_FLAG, DUE_KEY, QUEUE

    connection = Redis.from_url(redis_url)
    Queue(QUEUE, connection=connection).empty()
    connection.delete(DUE_KEY, DRAIN_FLAG)


if __name__ == "__main__":
    main()
