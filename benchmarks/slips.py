"""Server time of the staff pages that cost the most: a page of 160 printable slips (QR codes by segno)
and the campaign page with its turnout per hamlet, each as a ratio to the staff dashboard measured in the
same run (the baseline: sign-in check, one query, a small template).

    .venv/bin/python benchmarks/slips.py [--households 400] [--repeat 5]

A fresh SQLite demo commune in a temporary directory; Flask's test client (no network, no browser).
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(client, url: str, repeat: int) -> tuple[float, int]:
    client.get(url)  # warm caches (templates, questions)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(response.data)


def sign_in(client, username: str, password: str) -> None:
    """Through the sign-in form, as a person does (CSRF token from the page)."""
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    response = client.post("/staff/login", data={"csrf_token": token.group(1), "username": username,
                                                 "password": password})
    assert response.status_code == 302, "sign-in failed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from survey_app import create_app
    from survey_app.devdata.demo import seed_demo

    tmp = tempfile.mkdtemp()
    for bots in (False, True):
        extra = {"TELEGRAM_BOT_USERNAME": "XaBot", "ZALO_OA_ID": "1"} if bots else {}
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                          "MODELS_DIR": f"{tmp}/models", **extra})
        with app.app_context():
            upgrade()
            demo = seed_demo(households=args.households)
        client = app.test_client()
        sign_in(client, demo["admin_username"], demo["admin_password"])
        campaign = demo["campaign_id"]
        base, _ = timed(client, "/staff/", args.repeat)
        rows = [("dashboard (baseline)", base, timed(client, "/staff/", args.repeat)[1])]
        for label, url in ((f"campaign page ({args.households} households)", f"/staff/campaigns/{campaign}"),
                           ("slips, page 1 (160 slips)", f"/staff/campaigns/{campaign}/slips")):
            seconds, size = timed(client, url, args.repeat)
            rows.append((label, seconds, size))
        qr = "web + Telegram + Zalo QR" if bots else "web QR only"
        print(f"## {qr}, median of {args.repeat}")
        for label, seconds, size in rows:
            print(f"{label:40s} {seconds * 1000:9.1f} ms  {seconds / base:7.1f}× baseline  {size / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
