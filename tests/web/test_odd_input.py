"""Odd input never answers 500 and never locks a household out (NUL bytes, control characters, huge ids)."""
import pytest
from sqlalchemy import select
from survey_walk import Walker, csrf_of

from survey_app.extensions import db
from survey_app.models import Answer, Feedback, Response
from survey_app.text import clean_line, clean_multiline

NUL_REASON = "Đường\x00 lầy\x1b khi mưa\r\nngập cả\u202e sân"


def test_text_cleaning_keeps_what_a_resident_wrote():
    assert clean_multiline(NUL_REASON) == "Đường lầy khi mưa\nngập cả sân"
    assert clean_line("  K7QM\x00-3XPA\n") == "K7QM -3XPA"
    assert clean_multiline("o\u0300\u031b\tx") == "ờ\tx"  # NFC; tabs stay in free text
    assert clean_line(None) == "" and clean_multiline("\x00\x07") == ""


def test_a_reason_with_a_nul_byte_saves_and_the_household_can_send(app, client, demo, pages):
    walker = Walker(client, "/s/" + demo["codes"][0])
    qid = walker.question_ids(1)[0]
    walker.answer_all(pages, no={qid: NUL_REASON}, other="Ý kiến\x00 khác\x7f")
    review = walker.get("/xem-lai")
    assert review.status_code == 200 and "Đường lầy khi mưa" in review.text and "\x00" not in review.text
    sent, _ = walker.send()
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/cam-on")
    with app.app_context():
        reason = db.session.execute(select(Answer.reason).where(Answer.question_id == qid)).scalar_one()
        texts = set(db.session.execute(select(Feedback.text)).scalars())
        assert db.session.execute(select(Response.id)).scalars().all()
    assert reason == "Đường lầy khi mưa\nngập cả sân"
    assert texts == {reason, "Ý kiến khác"}


@pytest.mark.parametrize("path", [
    "/api/campaigns/99999999999999999999/summary", "/api/campaigns/2147483648/summary",
    "/s/{code}/trang/99999999999999999999", "/staff/feedback/9223372036854775808",
])
def test_ids_beyond_the_database_integer_are_not_found(client, demo, path):
    assert client.get(path.format(code=demo["codes"][0])).status_code == 404


@pytest.mark.parametrize("path", ["/s/%00%01/trang/1", "/s/{code}%00", "/c/%00abc", "/cong-khai/%00%1b",
                                  "/s/{code}/trang/1%00", "/c/demo-cam-xuyen%00/xem-lai"])
def test_control_characters_in_a_path_never_crash(client, demo, path):
    response = client.get(path.format(code=demo["codes"][0]))
    assert response.status_code < 500 and "\x00" not in response.text


def test_a_path_code_with_control_characters_still_finds_the_household(client, demo):
    code = demo["codes"][0]
    response = client.get(f"/s/{code[:4]}%00%1b{code[4:]}")
    assert response.status_code in (200, 301)


def test_staff_sign_in_with_a_nul_in_the_username_is_a_plain_refusal(client):
    page = client.get("/staff/login")
    response = client.post("/staff/login", data={"csrf_token": csrf_of(page.text), "username": "ad\x00min",
                                                 "password": "x\x00y"})
    assert response.status_code == 200 and "không đúng" in response.text


def test_the_home_box_with_a_nul_byte_asks_again(client):
    page = client.get("/")
    response = client.post("/", data={"csrf_token": csrf_of(page.text), "code": "K7QM\x00-3XPA"})
    assert response.status_code == 200 and "Không tìm thấy mã này" in response.text


def test_the_error_page_rolls_back_a_failed_transaction_first(app):
    """On PostgreSQL a failed statement aborts the transaction: the 500 page must not render inside it."""
    from sqlalchemy import text

    seen = {}

    @app.get("/boom")
    def boom():
        db.session.execute(text("SELECT * FROM no_such_table"))  # raises; the app does not catch it

    @app.after_request
    def use_the_session(response):  # runs after the error handler rendered the page
        seen["after"] = db.session.execute(text("SELECT 1")).scalar_one()
        return response

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "Câu trả lời của bạn chưa bị mất" in response.text
    assert seen == {"after": 1}


@pytest.mark.parametrize("path", [
    "/staff/feedback?q=%00", "/staff/feedback?field=%00", "/staff/feedback?hamlet=2147483648",
    "/staff/feedback?page=999999999999999999", "/staff/feedback?to=9999-12-31",
    "/staff/audit?action=%00", "/staff/audit?user=%00", "/staff/audit?page=99999999999999999999999",
])
def test_odd_staff_filters_are_ignored_or_cleaned_not_a_500(client, admin, path):
    response = client.get(path)
    assert response.status_code == 200 and "\x00" not in response.text


def test_a_filter_with_a_nul_byte_still_filters_on_what_was_typed(client, admin):
    assert "Đường thôn lầy lội" in client.get("/staff/feedback?q=%00duong").text
    assert "Đường thôn lầy lội" not in client.get("/staff/feedback?q=%00cau").text


def test_an_odd_audit_csv_filter_answers_a_whole_file_not_a_cut_download(client, admin):
    response = client.get("/staff/audit.csv?user=%00admin")
    lines = response.get_data(as_text=True).splitlines()
    assert response.status_code == 200 and lines[0].startswith("id,created_at,username")
    assert len(lines) > 1 and all(",admin," in line for line in lines[1:])  # the sign-in, by "admin"


def test_a_bulk_action_skips_an_id_beyond_the_database_integer_and_does_the_rest(app, client, admin):
    from survey_app.models import FeedbackStatus

    page = client.get("/staff/feedback").text
    response = client.post("/staff/feedback/bulk", data={
        "csrf_token": csrf_of(page), "ids": ["99999999999", str(admin["feedback_id"]), "x"], "action": "close",
        "value": FeedbackStatus.RESOLVED})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Feedback, admin["feedback_id"]).status == FeedbackStatus.RESOLVED


def test_assigning_to_an_id_beyond_the_database_integer_is_refused_kindly(client, admin):
    feedback = f"/staff/feedback/{admin['feedback_id']}"
    token = csrf_of(client.get(feedback).text)
    response = client.post(feedback + "/assign", data={"csrf_token": token, "assignee": "99999999999"},
                           follow_redirects=True)
    assert response.status_code == 200 and "Chỉ giao được cho cán bộ của xã này." in response.text


def test_head_on_a_download_sends_the_headers_and_leaves_no_half_written_file(client, admin):
    import gc
    import sys

    unraisable = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        for suffix in ("report.xlsx", "report.csv"):
            response = client.head(f"/staff/campaigns/{admin['campaign_id']}/{suffix}")
            assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
            response.close()
        response = client.head(f"/staff/province/{admin['code']}/export.xlsx")
        assert response.status_code == 200
        response.close()
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert [str(u.exc_value) for u in unraisable] == []
