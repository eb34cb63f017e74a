"""The page's script saves every tap in the background: saves racing on one draft all land, none answers 500."""
import threading

import pytest
from survey_walk import Walker, csrf_of

from survey_app.services.survey.drafts import load_draft
from survey_app.services.survey.flow import target_for_code

SAVES = 6


@pytest.mark.parametrize("first_save_races", [True, False], ids=["new-draft", "existing-draft"])
def test_six_simultaneous_saves_of_one_draft_all_take_effect(app, client, demo, pages, first_save_races):
    walker = Walker(client, "/s/" + demo["codes"][0])
    if not first_save_races:
        walker.post("/trang/1", {"go": "save"})
    token = csrf_of(walker.get("/trang/1").text)
    cookie = client.get_cookie("session").value
    # Save i fills page i (pages repeat with the same answers): whatever order they commit in, every page's
    # answers must be in the draft at the end.
    forms = []
    for i in range(SAVES):
        n = i % pages + 1
        forms.append((n, {"csrf_token": token, "go": "save",
                          **{f"q{q}": "no" for q in walker.question_ids(n)},
                          **{f"r{q}": f"Lý do {q}" for q in walker.question_ids(n)}}))
    barrier = threading.Barrier(SAVES)
    statuses: list = []

    def phone_tab(n: int, data: dict) -> None:
        tab = app.test_client()
        tab.set_cookie("session", cookie)
        barrier.wait()
        try:
            statuses.append(tab.post(f"{walker.base}/trang/{n}", data=data).status_code)
        except Exception as exc:  # noqa: BLE001 - any other outcome is a failure we want to see
            statuses.append(repr(exc))

    threads = [threading.Thread(target=phone_tab, args=form) for form in forms]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert statuses == [204] * SAVES
    with app.app_context():
        draft = load_draft(target_for_code(demo["codes"][0]))
    saved = {q: (False, f"Lý do {q}") for n in range(1, min(pages, SAVES) + 1) for q in walker.question_ids(n)}
    assert {q: (draft.satisfied(q), draft.reason(q)) for q in saved} == saved
