"""Cost of one chat event through `bots.conversation.receive`, in process, next to the least a webhook must do.

    .venv/bin/python benchmarks/chat_engine.py                         # SQLite and PostgreSQL
    .venv/bin/python benchmarks/chat_engine.py --backends sqlite --surveys 20

  event    – one event of a whole chat survey (start, language, 11 answers, other opinions, send): replay
             check, load the conversation and the household's draft, the pure engine, the draft save
             through the shared service, the outbox rows, one commit;
  replay   – the same update delivered again (acknowledged, nothing else);
  baseline – one transaction that inserts an InboundEvent and one OutboundMessage row and commits: the
             floor under any webhook that is idempotent and uses an outbox.
No HTTP and no sending: the webhook adapters (benchmarks/webhook.py) add those.
"""
from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/bench_h3"


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def run(url: str, surveys: int) -> dict:
    from bench_setup import _reset
    from flask_migrate import upgrade

    from bots.conversation import receive
    from bots.messages import Event, EventKind
    from survey_app import create_app
    from survey_app.devdata.demo import seed_demo
    from survey_app.extensions import db
    from survey_app.models import InboundEvent, OutboundMessage, Response
    from survey_app.services import outbox

    _reset(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    ids = itertools.count()
    with app.app_context():
        upgrade()
        codes = seed_demo(households=surveys + 5)["codes"]
        events, replays, floor = [], [], []
        for n, code in enumerate(codes[:surveys]):
            user = f"u{n}"
            script = [Event(EventKind.START, code), Event(EventKind.BUTTON, "lang:vi")]
            for step in script:
                t = time.perf_counter()
                out = receive("telegram", str(next(ids)), user, step)
                events.append(time.perf_counter() - t)
            while True:
                last = db.session.get(OutboundMessage, out[-1]).payload["buttons"]
                if not last:
                    break
                payload = last[0][1]
                t = time.perf_counter()
                out = receive("telegram", str(next(ids)), user, Event(EventKind.BUTTON, payload))
                events.append(time.perf_counter() - t)
                if payload == "s:send":
                    break
            t = time.perf_counter()
            receive("telegram", "0", user, Event(EventKind.TEXT, "1"))
            replays.append(time.perf_counter() - t)
        for n in range(len(events)):
            t = time.perf_counter()
            db.session.add(InboundEvent(channel="bench", external_id=str(n)))
            outbox.enqueue("bench", "u", "Câu 1/11", [("Hài lòng", "q1:1")])
            db.session.commit()
            floor.append(time.perf_counter() - t)
        stored = db.session.query(Response).count()
        db.engine.dispose()
    return {"events": events, "replays": replays, "floor": floor, "responses": stored}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--surveys", type=int, default=40)
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    args = parser.parse_args()
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    for backend in args.backends.split(","):
        url = f"sqlite:///{out / 'chat_engine.db'}" if backend == "sqlite" else args.pg_url
        result = run(url, args.surveys)
        (e50, e99), (r50, r99), (f50, f99) = (_ms(result[k]) for k in ("events", "replays", "floor"))
        per_second = len(result["events"]) / sum(result["events"])
        floor_per_second = len(result["floor"]) / sum(result["floor"])
        print(f"{backend}: {len(result['events'])} events, {result['responses']} surveys stored")
        print(f"  event    p50 {e50:6.2f} ms  p99 {e99:6.2f} ms  {per_second:7.0f}/s  "
              f"({per_second / floor_per_second:.2f} × baseline)")
        print(f"  replay   p50 {r50:6.2f} ms  p99 {r99:6.2f} ms  ({r50 / f50:.2f} × baseline p50)")
        print(f"  baseline p50 {f50:6.2f} ms  p99 {f99:6.2f} ms  {floor_per_second:7.0f}/s")


if __name__ == "__main__":
    main()
