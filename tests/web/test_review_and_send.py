"""What is stored is what was reviewed: "Sửa" returns to the review, progress counts every step,
a send after another phone changed the draft shows the new review, a bad submission key is refused."""
import re

from sqlalchemy import func, select
from survey_walk import Walker, csrf_of

from survey_app.extensions import db
from survey_app.models import Answer, Response


def _progress(html: str) -> tuple[int, int]:
    value, maximum = re.search(r'<progress max="(\d+)" value="(\d+)"', html).group(2, 1)
    return int(value), int(maximum)


def test_edit_from_the_review_saves_that_page_and_returns_to_the_review(walker, pages):
    walker.answer_all(pages)
    review = walker.get("/xem-lai").text
    edit = re.search(r'href="(/s/[^"]+/trang/1\?sua=1)#q\d+"', review).group(1)
    path = edit[len(walker.base):]
    ids = walker.question_ids(1)
    changed = walker.post(path, {"go": "next", **{f"q{i}": "yes" for i in ids}, f"q{ids[0]}": "no",
                                 f"r{ids[0]}": "Cống bị tắc"})
    assert changed.status_code == 302 and changed.location.endswith("/xem-lai")
    assert "Cống bị tắc" in walker.get("/xem-lai").text


def test_progress_counts_questions_other_opinions_and_review_and_is_full_only_at_the_review(walker, pages):
    values = []
    for n in range(1, pages + 1):
        values.append(_progress(walker.get(f"/trang/{n}").text))
    values.append(_progress(walker.get("/y-kien-khac").text))
    values.append(_progress(walker.get("/xem-lai").text))
    maximum = values[0][1]
    assert all(m == maximum for _, m in values)
    assert [v for v, _ in values] == sorted(v for v, _ in values)
    assert all(v < maximum for v, _ in values[:-1]) and values[-1][0] == maximum


def test_a_send_after_another_phone_changed_the_draft_shows_the_new_review(app, client, demo, pages):
    phone_a = Walker(client, "/s/" + demo["codes"][0])
    phone_b = Walker(app.test_client(), "/s/" + demo["codes"][0])
    phone_a.answer_all(pages)
    review = phone_a.get("/xem-lai").text
    first = phone_b.question_ids(1)
    phone_b.post("/trang/1", {"go": "next", **{f"q{i}": "no" for i in first}})
    form = {"csrf_token": csrf_of(review),
            "submission_key": re.search(r'name="submission_key" value="([^"]+)"', review).group(1),
            "draft_version": re.search(r'name="draft_version" value="(\d+)"', review).group(1)}
    sent = client.post(phone_a.base + "/gui", data=form)
    assert sent.status_code == 200 and "Phiếu vừa được sửa ở nơi khác" in sent.text
    assert sent.text.count("Chưa hài lòng") >= len(first)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Response)).scalar_one() == 0
    again, _ = phone_a.send()  # the new review's version: stored, with B's answers that A has now seen
    assert again.status_code == 302
    with app.app_context():
        stored = db.session.execute(select(Answer.question_id).where(Answer.satisfied.is_(False))).scalars()
        assert set(stored) == set(first)


def test_a_page_saved_after_the_send_is_told_the_form_was_sent_not_a_500(app, client, demo, pages):
    phone_a = Walker(client, "/s/" + demo["codes"][0])
    phone_b = Walker(app.test_client(), "/s/" + demo["codes"][0])
    phone_a.answer_all(pages)
    page = phone_b.get("/trang/1").text  # B opened the page before A sent
    phone_a.send()
    late = phone_b.client.post(phone_b.base + "/trang/1", data={"csrf_token": csrf_of(page), "go": "next"})
    assert late.status_code == 200 and "Phiếu này đã được gửi" in late.text


def test_a_submission_key_that_is_empty_too_long_or_malformed_is_refused(app, walker, pages):
    walker.answer_all(pages)
    token = csrf_of(walker.get("/xem-lai").text)
    for key in ("", "x" * 65, "short", "a b c d e f g h i j k", "<script>alert(1)</script>xxxxxx"):
        refused = walker.client.post(walker.base + "/gui", data={"csrf_token": token, "submission_key": key})
        assert refused.status_code == 400, key
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Response)).scalar_one() == 0


def test_an_empty_key_never_matches_another_households_response(app, client, demo, pages):
    first = Walker(client, "/s/" + demo["codes"][0])
    first.answer_all(pages)
    first.send()
    stranger = Walker(app.test_client(), "/s/" + demo["codes"][1])
    stranger.answer_all(pages)
    token = csrf_of(stranger.get("/xem-lai").text)
    empty = stranger.client.post(stranger.base + "/gui", data={"csrf_token": token, "submission_key": ""})
    assert empty.status_code == 400 and "Cảm ơn gia đình" not in empty.text


def test_a_page_save_racing_the_send_is_told_the_form_was_sent_not_a_500(app, client, demo, pages):
    import threading

    from sqlalchemy import event

    phone_a = Walker(client, "/s/" + demo["codes"][0])
    phone_b = Walker(app.test_client(), "/s/" + demo["codes"][0])
    phone_a.answer_all(pages)
    page = phone_b.get("/trang/1").text
    ids = phone_b.question_ids(1)
    sent = []

    def the_send_lands_first(conn, cursor, statement, *args):
        if statement.startswith("UPDATE survey_draft") and not sent:
            sent.append(1)
            worker = threading.Thread(target=phone_a.send)
            worker.start()
            worker.join()

    # B has read the draft and is about to write its page when A's send commits and deletes the draft.
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", the_send_lands_first)
    try:
        late = phone_b.client.post(phone_b.base + "/trang/1", data={"csrf_token": csrf_of(page), "go": "next",
                                                                    **{f"q{i}": "no" for i in ids}})
    finally:
        event.remove(engine, "before_cursor_execute", the_send_lands_first)
    assert sent, "the page save never wrote the draft"
    assert late.status_code == 200 and "Phiếu này đã được gửi" in late.text
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Answer)
                                  .where(Answer.satisfied.is_(False))).scalar_one() == 0
