"""Slow clients against gunicorn on loopback: do ten connections sending a byte a second starve everyone else?

For each server setup (the old `make run` flags, 2 workers × 4 threads, and the shipped gunicorn.conf.py) it
serves the real app on a fresh SQLite demo, measures residents' requests (`GET /s/<code>`, the intro page)
alone, then again while N slow clients dribble a never-ending request header at one byte a second, and prints
how many residents' requests were answered in time and their latency as a ratio to the run without slow clients.
Bounded: every phase has a fixed duration, every request a timeout; the whole run takes about a minute.

    .venv/bin/python benchmarks/slow_clients.py [--slow 10] [--duration 8]
"""
from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
SETUPS = {
    "old make run (2 workers × 4 threads)": ["--workers", "2", "--threads", "4", "--worker-class", "gthread"],
    "gunicorn.conf.py (shipped)": ["--config", str(ROOT / "gunicorn.conf.py")],
}


def serve(flags: list[str], port: int, env: dict, empty_config: str) -> subprocess.Popen:
    # gunicorn reads ./gunicorn.conf.py unless told otherwise: the old setup gets an empty config file
    config = [] if "--config" in flags else ["--config", empty_config]
    cmd = [str(BIN / "gunicorn"), *config, *flags, "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
           "--access-logfile", os.devnull, "survey_app:create_app()"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    for _ in range(150):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return proc
        except OSError:
            time.sleep(0.1)
    stop(proc)
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=25)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def slow_client(port: int, until: float, opened: threading.Event) -> None:
    """Send a request header one byte a second and never finish it (until `until`)."""
    payload = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            opened.set()
            for byte in payload:
                if time.monotonic() >= until:
                    return
                sock.sendall(bytes([byte]))
                time.sleep(1)
    except OSError:  # the server closed it: that is allowed
        opened.set()


def residents(port: int, codes: list[str], duration: float, timeout: float) -> dict:
    """Sequential residents' requests for `duration` seconds; each must be answered within `timeout`."""
    latencies, failed, n = [], 0, 0
    end = time.monotonic() + duration
    while time.monotonic() < end:
        code, n = codes[n % len(codes)], n + 1
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            conn.request("GET", f"/s/{code}")
            ok = conn.getresponse().status == 200
            conn.close()
        except OSError:
            ok = False
        if ok:
            latencies.append((time.monotonic() - started) * 1000)
        else:
            failed += 1
    latencies.sort()
    return {"answered": len(latencies), "failed": failed,
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "max_ms": round(latencies[-1], 1) if latencies else None}


def measure(flags, port, env, empty_config, codes, args) -> tuple[dict, dict]:
    server = serve(flags, port, env, empty_config)
    try:
        residents(port, codes, 2, 10)  # warm-up: every worker has loaded the app and opened its database
        alone = residents(port, codes, args.duration, args.timeout)
        until = time.monotonic() + args.duration + 4
        threads = []
        for _ in range(args.slow):
            opened = threading.Event()
            thread = threading.Thread(target=slow_client, args=(port, until, opened), daemon=True)
            thread.start()
            opened.wait(3)
            threads.append(thread)
        time.sleep(2)  # let every slow client get a byte in
        crowded = residents(port, codes, args.duration, args.timeout)
        for thread in threads:
            thread.join(timeout=args.duration + 10)
    finally:
        stop(server)
    return alone, crowded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=int, default=10, help="slow connections (default 10)")
    parser.add_argument("--duration", type=float, default=8, help="seconds per phase (default 8)")
    parser.add_argument("--timeout", type=float, default=3, help="a resident's request fails after this (s)")
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    from bench_setup import prepare_database

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/slow.db"
        codes, _ = prepare_database(url, 40)
        empty_config = os.path.join(tmp, "empty.conf.py")
        Path(empty_config).write_text("")
        env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "HAILONG_MODELS_DIR": os.path.join(tmp, "models")}
        print(f"{args.slow} slow clients at 1 byte/s; residents' GET /s/<code> for {args.duration:.0f} s, "
              f"timeout {args.timeout:.0f} s")
        print(f"{'setup':<40}{'phase':<12}{'answered':>9}{'failed':>8}{'p50 ms':>9}{'max ms':>9}{'p50 ÷ alone':>13}")
        for name, flags in SETUPS.items():
            alone, crowded = measure(flags, args.port, env, empty_config, codes, args)
            for phase, r in (("alone", alone), ("slow", crowded)):
                ratio = (f"{r['p50_ms'] / alone['p50_ms']:.2f}" if r["p50_ms"] and alone["p50_ms"] else "—")
                print(f"{name:<40}{phase:<12}{r['answered']:>9}{r['failed']:>8}{r['p50_ms'] or '—':>9}"
                      f"{r['max_ms'] or '—':>9}{ratio:>13}")


if __name__ == "__main__":
    main()
