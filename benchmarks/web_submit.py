"""Web survey throughput through gunicorn (2 workers × 4 threads, as `make run`), next to a bare Flask app.

    .venv/bin/python benchmarks/web_submit.py                       # SQLite and PostgreSQL
    .venv/bin/python benchmarks/web_submit.py --backends sqlite --duration 10

Three closed-loop loads from --clients processes on this machine, each survey a new phone (a new
keep-alive connection and cookie jar):
  submit  – the final step a resident takes: GET the review page, POST "Gửi phiếu" (one stored response);
            the drafts were saved beforehand through the same service the pages use (not timed);
  survey  – a whole survey over HTTP: intro, every page GET+POST, other opinions, review, send, thank-you;
  bare    – GET + POST on a two-route Flask app under the same gunicorn settings (the ceiling).
The client shares the 2 cores with the server, so every figure is a floor.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
OUT = ROOT / "benchmarks" / "out"
CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(rb'name="submission_key" value="([^"]+)"')
QUESTION = re.compile(rb'name="q(\d+)"')
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/hailong_bench"


class Client:
    """One keep-alive connection with a cookie jar: what one phone's browser does, minus rendering."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data


def survey_once(client: Client, code: str) -> None:
    """Every request of a resident answering all pages "hài lòng" (a reason on the first question)."""
    base = f"/s/{code}"
    status, page = client.request("GET", base)
    assert status == 200, (status, code)
    n = 1
    while True:
        status, page = client.request("GET", f"{base}/trang/{n}")
        token = CSRF.search(page).group(1).decode()
        form = {"csrf_token": token, "go": "next"}
        for i, qid in enumerate(dict.fromkeys(QUESTION.findall(page))):
            unhappy = n == 1 and i == 0
            form[f"q{qid.decode()}"] = "no" if unhappy else "yes"
            form[f"r{qid.decode()}"] = "Đường thôn lầy lội" if unhappy else ""
        status, _ = client.request("POST", f"{base}/trang/{n}", form)
        assert status == 302, status
        n += 1
        status, page = client.request("GET", f"{base}/trang/{n}")
        if status == 302:  # past the last page
            break
    client.request("GET", f"{base}/y-kien-khac")
    client.request("POST", f"{base}/y-kien-khac", {"csrf_token": token, "go": "next", "other": ""})
    submit_once(client, code)
    client.request("GET", f"{base}/cam-on")


def submit_once(client: Client, code: str) -> None:
    status, review = client.request("GET", f"/s/{code}/xem-lai")
    assert status == 200, (status, code)
    form = {"csrf_token": CSRF.search(review).group(1).decode(), "submission_key": KEY.search(review).group(1).decode()}
    status, _ = client.request("POST", f"/s/{code}/gui", form)
    assert status == 302, (status, code)


def bare_once(client: Client, _code: str) -> None:
    assert client.request("GET", "/")[0] == 200
    assert client.request("POST", "/", {"x": "1"})[0] == 200


def _worker(kind: str, port: int, codes: list[str], deadline: float, queue) -> None:
    task = {"submit": submit_once, "survey": survey_once, "bare": bare_once}[kind]
    latencies = []
    for code in codes:
        if time.perf_counter() >= deadline:
            break
        start = time.perf_counter()
        # Each survey is a new phone: a new connection (so the kernel spreads them over both workers,
        # as real traffic is) kept alive for that phone's requests, and an empty cookie jar.
        client = Client(port)
        task(client, code)
        client.conn.close()
        latencies.append(time.perf_counter() - start)
    queue.put(latencies)


def run_load(kind: str, port: int, codes: list[str], clients: int, duration: float) -> dict:
    queue = mp.Queue()
    deadline = time.perf_counter() + duration
    shares = [codes[i::clients] for i in range(clients)]
    procs = [mp.Process(target=_worker, args=(kind, port, share, deadline, queue)) for share in shares]
    started = time.perf_counter()
    for p in procs:
        p.start()
    latencies = [lat for _ in procs for lat in queue.get()]
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join()
    latencies.sort()
    return {"done": len(latencies), "per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
            "exhausted": len(latencies) == len(codes)}


def gunicorn(app_spec: str, port: int, env: dict, workers: int = 2, threads: int = 4) -> subprocess.Popen:
    cmd = [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads), "--bind",
           f"127.0.0.1:{port}", "--log-level", "warning", app_spec]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT))
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--households", type=int, default=12000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (make run: 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (make run: 4)")
    args = parser.parse_args()
    from bench_setup import prepare_database  # imported here: keeps the parent process light

    OUT.mkdir(parents=True, exist_ok=True)
    results = {"bare": None}
    bare = gunicorn("bench_bare:app", 8771, {"PYTHONPATH": str(ROOT / "benchmarks")}, args.workers, args.threads)
    try:
        results["bare"] = run_load("bare", 8771, ["-"] * 10**7, args.clients, args.duration)
    finally:
        stop(bare)
    for backend in args.backends.split(","):
        url = f"sqlite:///{OUT / 'web_submit.db'}" if backend == "sqlite" else args.pg_url
        codes, drafted = prepare_database(url, args.households)
        server = gunicorn("survey_app:create_app()", 8772, {"DATABASE_URL": url, "SECRET_KEY": "bench"},
                          args.workers, args.threads)
        try:
            results[f"{backend} submit"] = run_load("submit", 8772, drafted, args.clients, args.duration)
            results[f"{backend} survey"] = run_load("survey", 8772, codes, args.clients, args.duration)
        finally:
            stop(server)
    bare_rate = results["bare"]["per_s"]
    print(f"{'load':<20}{'done':>8}{'per s':>9}{'p50 ms':>9}{'p99 ms':>9}{'÷ bare':>8}")
    for name, r in results.items():
        print(f"{name:<20}{r['done']:>8}{r['per_s']:>9}{r['p50_ms']:>9}{r['p99_ms']:>9}"
              f"{r['per_s'] / bare_rate:>8.2f}"
              + ("  (ran out of codes: raise --households)" if r["exhausted"] else ""))
    (OUT / "web_submit.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
