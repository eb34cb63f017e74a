"""Privacy as promised: logs hold no resident's text and no whole invitation code; open-mode drafts are bounded."""
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from survey_walk import Walker

from survey_app.extensions import db
from survey_app.logs import redact
from survey_app.models import SurveyDraft

ROOT = Path(__file__).resolve().parents[2]
REASON = "Nhà ông Bảy xóm dưới bị ngập"


def test_a_failed_statement_is_logged_without_its_values(app):
    with app.app_context():
        with pytest.raises(Exception) as failure:
            db.session.execute(text("SELECT * FROM no_such_table WHERE note = :note"), {"note": REASON})
        db.session.rollback()
    assert REASON not in str(failure.value) and "hidden" in str(failure.value)


def test_an_exception_on_a_survey_page_is_logged_without_the_code(app, demo, caplog):
    code = demo["codes"][0]

    @app.get("/s/<code>/boom")  # a page that crashes, as a bug would
    def boom(code):
        raise RuntimeError("bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: logged, then the friendly 500 page
    with caplog.at_level(logging.ERROR):
        assert app.test_client().get(f"/s/{code}/boom").status_code == 500
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/s/" in logged and code not in logged and code.replace("-", "") not in logged


def test_redact_masks_codes_however_they_are_written():
    for line in ("GET /s/K7QM-3XPA/trang/2 HTTP/1.1", "http://x/s/k7qm%203xpa?lang=en", "/s/K7QM3XPA",
                 "GET /tra-loi/K7QM-3XPA HTTP/1.1", "http://x/tra-loi/k7qm3xpa?lang=en"):
        assert not re.search(r"(?i)k7qm.?(%20)?3xpa", redact(line)), line
    assert redact("/c/xa-cam-xuyen/trang/1") == "/c/xa-cam-xuyen/trang/1"


def test_gunicorns_access_log_masks_codes_and_never_holds_residents_text(sqlite_template, tmp_path):
    """The shipped gunicorn.conf.py, a real gunicorn on loopback, a household that sends a reason."""
    import shutil

    from survey_app import create_app
    from survey_app.devdata.demo import seed_demo

    db_path = tmp_path / "log.db"
    shutil.copy(sqlite_template, db_path)
    url = f"sqlite:///{db_path}"
    seed_app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "logs", "MODELS_DIR": str(tmp_path)})
    with seed_app.app_context():
        code = seed_demo(households=8)["codes"][0]
        db.engine.dispose()
    log = tmp_path / "access.log"
    with socket.socket() as probe:  # a free port: a fixed one met another run's server on this machine once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "logs", "HAILONG_MODELS_DIR": str(tmp_path),
           "GUNICORN_ACCESS_LOG": str(log), "WEB_CONCURRENCY": "1"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
                               "--bind", f"127.0.0.1:{port}", "survey_app:create_app()"], cwd=ROOT, env=env,
                              start_new_session=True, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = opener.open(f"{base}/s/{code}/trang/1").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        qid = re.search(r'name="q(\d+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, f"q{qid}": "no", f"r{qid}": REASON, "go": "save"})
        request = urllib.request.Request(f"{base}/s/{code}/trang/1?r={urllib.parse.quote(REASON)}",
                                         data=body.encode(), headers={"Referer": f"{base}/s/{code}"})
        assert opener.open(request).status == 204
        assert opener.open(f"{base}/tra-loi/{code}").status == 200  # the replies page, by the same code
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
    lines = log.read_text()
    assert "/s/" in lines and " 204 " in lines and "/tra-loi/" in lines
    for secret in (code, code.replace("-", ""), REASON, urllib.parse.quote(REASON)):
        assert secret not in lines and secret not in errors.decode(), secret


def test_open_mode_drafts_are_bounded_per_address_and_need_a_hamlet(app_with, app, open_campaign):
    limited = app_with(RATELIMIT_OPEN_DRAFTS=(2, 3600))
    base = "/c/" + open_campaign["slug"]
    statuses = [Walker(limited.test_client(), base).post("", {"hamlet": open_campaign["hamlet_id"]}).status_code
                for _ in range(3)]
    assert statuses == [302, 302, 429]
    stray = Walker(limited.test_client(), base)  # a fresh browser that skips the hamlet
    assert stray.post("/y-kien-khac", {"other": REASON, "go": "next"}).status_code == 302
    with app.app_context():
        assert db.session.execute(select(func.count(SurveyDraft.id))).scalar_one() == 2


@pytest.fixture
def open_campaign(app, demo):
    from helpers import campaign_of

    from survey_app.models import CampaignMode
    from survey_app.services.units.catalogue import hamlets_of

    with app.app_context():
        campaign = campaign_of(demo)
        campaign.mode = CampaignMode.OPEN
        db.session.commit()
        return {"slug": campaign.slug, "hamlet_id": hamlets_of(campaign.commune)[2].id}
