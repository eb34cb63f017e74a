"""Bytes over the wire (gzip, cold cache) of the resident's pages in Chromium, and a Lighthouse mobile run.

    .venv/bin/python benchmarks/page_weight.py                 # weights and Lighthouse
    .venv/bin/python benchmarks/page_weight.py --no-lighthouse

Lighthouse comes from npm, installed under benchmarks/node_modules (not committed):
    npm install --prefix benchmarks          # package.json pins the version
The app is served by werkzeug on loopback from a fresh SQLite demo; the app gzips its own responses.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out"
LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
LIMIT = 30 * 1024


def serve() -> tuple[str, dict]:
    from flask_migrate import upgrade
    from werkzeug.serving import WSGIRequestHandler, make_server

    from survey_app import create_app
    from survey_app.devdata.demo import seed_demo

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    db_path = Path(tempfile.mkdtemp()) / "weight.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "weight"})
    with app.app_context():
        upgrade()
        demo = seed_demo(households=56)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", demo


def weigh(browser, url: str) -> dict:
    """Every response a cold 360×740 phone fetches for `url`: encoded body + headers, as Chromium counts them."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url, wait_until="load")
    total, files = 0, {}
    for request in responses:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        files[request.url.split("?")[0].rsplit("/", 1)[-1] or "/"] = size
        total += size
    context.close()
    return {"bytes": total, "files": files}


def lighthouse(url: str) -> dict:
    report = OUT / "lighthouse.json"
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--only-categories=performance,accessibility,best-practices",
                    "--output=json", f"--output-path={report}", "--chrome-flags=--headless=new " + " ".join(FLAGS)],
                   check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    data = json.loads(report.read_text())
    return {name: round(cat["score"] * 100) for name, cat in data["categories"].items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    base, demo = serve()
    code = demo["codes"][0]
    pages = {"home /": "/", "intro /s/<code>": f"/s/{code}", "questions /s/<code>/trang/1": f"/s/{code}/trang/1"}
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, path in pages.items():
            results[name] = weigh(browser, base + path)
        browser.close()
    for name, path in pages.items():
        if not args.no_lighthouse and LIGHTHOUSE.exists():
            results[name]["lighthouse"] = lighthouse(base + path)
    for name, r in results.items():
        verdict = "ok" if r["bytes"] <= LIMIT else "OVER 30 KB"
        print(f"{name:<30} {r['bytes']:>7} bytes  {verdict}  {r['files']}  {r.get('lighthouse', '')}")
    (OUT / "page_weight.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
