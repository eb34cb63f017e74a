"""Security of the resident's pages: headers, CSP without inline code, CSRF, code guessing, gzip."""
import gzip
import re
from pathlib import Path

import pytest
from survey_walk import Walker, csrf_of

from survey_app.services.campaigns.codes import ALPHABET, CODE_LENGTH

TEMPLATES = Path(__file__).resolve().parents[2] / "survey_app" / "templates"


def test_every_page_sends_a_strict_csp_and_keeps_the_code_out_of_other_sites_referers(client, demo):
    for path in ("/", "/s/" + demo["codes"][0], "/s/ZZZZ-ZZZZ", "/healthz"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff" and "Permissions-Policy" in headers
    assert client.get("/s/" + demo["codes"][0]).headers["Cache-Control"] == "no-store"


def test_templates_have_no_inline_script_or_style():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", text), template


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_saved(client, demo):
    walker = Walker(client, "/s/" + demo["codes"][0])
    qid = walker.question_ids(1)[0]
    refused = client.post(walker.base + "/trang/1", data={"go": "next", f"q{qid}": "no"})
    assert refused.status_code == 400 and "Mở lại trang" in refused.text
    assert "checked" not in walker.get("/trang/1").text
    assert client.post("/", data={"code": demo["codes"][0]}).status_code == 400


def test_forms_work_over_https_with_the_same_origin_referer(app, demo):
    client = app.test_client()
    base = "https://localhost"
    home = client.get(base + "/")
    sent = client.post(base + "/", data={"csrf_token": csrf_of(home.text), "code": demo["codes"][0]},
                       headers={"Referer": base + "/"})
    assert sent.status_code == 302
    assert "Strict-Transport-Security" in home.headers
    # Flask-WTF needs that Referer over HTTPS: why the policy is same-origin and not no-referrer.
    bare = client.post(base + "/", data={"csrf_token": csrf_of(home.text), "code": demo["codes"][0]})
    assert bare.status_code == 400


def test_wrong_codes_are_limited_but_a_right_code_always_opens(app_with, demo):
    client = app_with(RATELIMIT_CODE_GUESSES=(3, 600)).test_client()
    assert [client.get(f"/s/ZZZZ-ZZZ{i}").status_code for i in range(3)] == [404, 404, 404]
    refused = client.get("/s/ZZZZ-ZZZY")
    assert refused.status_code == 429 and "phút" in refused.text and 0 < int(refused.headers["Retry-After"]) <= 600
    assert client.get("/s/" + demo["codes"][0]).status_code == 200  # a neighbour's valid QR code still works
    home = client.get("/")
    assert client.post("/", data={"csrf_token": csrf_of(home.text), "code": demo["codes"][1]}).status_code == 302
    home = client.get("/")
    assert client.post("/", data={"csrf_token": csrf_of(home.text), "code": "ZZZZ-ZZZX"}).status_code == 429


def test_codes_carry_40_bits_and_are_printed_in_two_groups_of_four(demo):
    assert len(ALPHABET) ** CODE_LENGTH >= 2 ** 40
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code) for code in demo["codes"])


@pytest.mark.redis
def test_with_redis_wrong_guesses_are_counted_across_workers(app_with, demo):
    import os

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis tests skipped: TEST_REDIS_URL is not set")
    import redis

    redis.Redis.from_url(url).flushdb()
    first = app_with(REDIS_URL=url, RATELIMIT_CODE_GUESSES=(2, 600)).test_client()
    second = app_with(REDIS_URL=url, RATELIMIT_CODE_GUESSES=(2, 600)).test_client()
    assert first.get("/s/ZZZZ-ZZZ1").status_code == 404 and second.get("/s/ZZZZ-ZZZ2").status_code == 404
    assert first.get("/s/ZZZZ-ZZZ3").status_code == 429


def test_when_redis_is_down_limits_still_hold_in_memory(app_with, demo):
    client = app_with(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_CODE_GUESSES=(2, 600)).test_client()
    assert [client.get(f"/s/ZZZZ-ZZZ{i}").status_code for i in range(3)] == [404, 404, 429]
    assert client.get("/s/" + demo["codes"][0]).status_code == 200


def test_pages_are_gzipped_when_the_browser_accepts_it(client, demo):
    plain = client.get("/s/" + demo["codes"][0])
    zipped = client.get("/s/" + demo["codes"][0], headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data).decode().count("Mặt trận") == plain.text.count("Mặt trận")


def test_static_files_are_gzipped_and_cached_for_a_year_by_their_hash(client):
    page = client.get("/")
    css = re.search(r'href="(/static/css/site.css\?v=\w+)"', page.text).group(1)
    response = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip" and b"font" in gzip.decompress(response.data)
    assert "immutable" in response.headers["Cache-Control"]
