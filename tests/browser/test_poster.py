"""The notice-board poster printed through Chromium's PDF engine is exactly one A4 page."""
from __future__ import annotations

import re
import shutil
import threading

import pytest

A4_POINTS = (595, 842)


@pytest.fixture(scope="module")
def poster_site(sqlite_template, tmp_path_factory):
    """The app on loopback with generated data (the bench province), served from a SQLite file."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from survey_app import create_app
    from survey_app.devdata.bench import seed_bench
    from survey_app.extensions import db

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    path = tmp_path_factory.mktemp("poster") / "poster.db"
    shutil.copy(sqlite_template, path)
    app = create_app({"SECRET_KEY": "poster-tests", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "MODELS_DIR": str(path.parent / "models")})
    with app.app_context():
        seed_bench(600)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def test_the_poster_prints_on_one_a4_page_with_the_front_and_the_date(chromium, poster_site, tmp_path):
    context = chromium.new_context(locale="vi-VN")
    page = context.new_page()
    response = page.goto(f"{poster_site}/cong-khai/99001/1/in")
    assert response.status == 200
    text = page.inner_text("body")
    assert "Ban Thường trực Ủy ban MTTQ" in text and "Niêm yết ngày" in text
    assert "Tiếng Việt" not in text and "English" not in text and page.locator("header.site").count() == 0
    assert page.locator("svg title").first.text_content() == "Tỷ lệ hài lòng theo từng câu hỏi"
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / "poster.pdf").write_bytes(pdf)
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)
    assert len(pages) == 1, f"{len(pages)} pages"
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    width, height = (float(v) for v in box.groups())
    assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2  # A4 is 595.3 × 841.9 pt
    page.set_viewport_size({"width": 794, "height": 1123})
    page.emulate_media(media="print")
    page.screenshot(path=str(tmp_path / "poster.png"), full_page=True)
    shutil.copy(tmp_path / "poster.pdf", "/tmp/poster-test.pdf")
    shutil.copy(tmp_path / "poster.png", "/tmp/poster-test.png")
    context.close()


def test_the_public_page_shows_the_verdict_on_the_first_phone_screen(chromium, poster_site):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{poster_site}/cong-khai/99001")
    verdict = page.locator("p.verdict").first
    assert verdict.inner_text().split(" ·")[0] in ("Đạt", "Chưa đạt") and "thu về" in verdict.inner_text()
    assert verdict.bounding_box()["y"] + verdict.bounding_box()["height"] <= 740
    assert page.locator("svg[role=img] desc").count() >= 3  # every chart has its text alternative
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # wide tables scroll in their box
    context.close()
