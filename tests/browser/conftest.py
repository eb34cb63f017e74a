"""A real headless Chromium (Debian's) against the app served on loopback from a SQLite file."""
from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not os.path.exists(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)"))


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # keep the test output to the failures
        pass


@pytest.fixture(scope="session")
def live(sqlite_template, tmp_path_factory):
    """The app on http://127.0.0.1:<free port>, with the demo commune; yields (base_url, app, demo)."""
    from werkzeug.serving import make_server

    from survey_app import create_app
    from survey_app.devdata.demo import seed_demo
    from survey_app.extensions import db

    path = tmp_path_factory.mktemp("browser") / "live.db"
    shutil.copy(sqlite_template, path)
    app = create_app({"SECRET_KEY": "browser-tests", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "MODELS_DIR": str(path.parent / "models")})
    with app.app_context():
        demo = seed_demo(households=56)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app, demo
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def codes(live):
    """Hands every test unused invitation codes of its own."""
    return iter(live[2]["codes"]).__next__


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()
    playwright.stop()


def _phone(chromium, javascript: bool):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                   is_mobile=True, has_touch=True, locale="vi-VN",
                                   java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def phone(chromium):
    """A 360×740 touch phone with JavaScript on; a fresh browser profile for each test."""
    context = _phone(chromium, javascript=True)
    yield context
    context.close()


@pytest.fixture
def phone_without_js(chromium):
    context = _phone(chromium, javascript=False)
    yield context
    context.close()
