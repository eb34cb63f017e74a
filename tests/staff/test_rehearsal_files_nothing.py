"""/staff/try-bot never files a household's answer: staff file answers only by typing a paper form, audited.

What an outside probe did: a manager of another commune, a commune_staff account and a province officer each
typed a real household code of commune A into the rehearsal page and completed the survey; each stored a
response indistinguishable from the resident's own.
"""
from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import ChatSession, InvitationCode, Response, SurveyDraft

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class Rehearsal:
    """One officer's browser on the rehearsal page: posts the form as the page's buttons do."""

    def __init__(self, client):
        self.client = client
        self.page = client.get("/staff/try-bot").get_data(as_text=True)

    def form(self, **data) -> dict:
        event_id = re.search(r'name="event_id" value="([^"]+)"', self.page).group(1)
        return {"csrf_token": CSRF.search(self.page).group(1), "event_id": event_id, **data}

    def post(self, **data) -> str:
        assert self.client.post("/staff/try-bot", data=self.form(**data)).status_code == 302
        self.page = self.client.get("/staff/try-bot").get_data(as_text=True)
        return self.page

    def payloads(self) -> list[str]:
        return re.findall(r'name="payload" value="([^"]+)"', self.page)

    def answer_everything(self) -> None:
        """What the probe did after the code: choose a language, press every answer, skip, send."""
        self.post(payload="lang:vi")
        while self.payloads() and self.payloads()[0].startswith("q"):
            self.post(payload=self.payloads()[0])
        self.post(payload="o:skip")
        self.post(payload="s:send")


def filed(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.execute(select(func.count()).select_from(Response)).scalar_one(),
                db.session.execute(select(func.count()).select_from(SurveyDraft)
                                   .where(~SurveyDraft.draft_key.startswith("thu:"))).scalar_one())


@pytest.mark.parametrize("officer", ["manager_b", "staff_a", "province", "manager_a"])
def test_a_real_household_code_is_refused_and_nothing_is_filed(app, world, signed_in, officer):
    page = Rehearsal(signed_in(officer))
    assert "mã thật" in page.page  # the page says so before anyone tries
    page.post(message=world.codes_a[0])
    assert "Đây là mã thật của một hộ dân" in page.page and "/start thu" in page.page
    page.answer_everything()
    assert filed(app) == (0, 0)


def test_a_conversation_begun_on_a_real_code_before_the_rule_files_nothing(app, world, signed_in):
    """An officer's rehearsal conversation already pointed at a household (stored state from before the fix)."""
    page = Rehearsal(signed_in("manager_a"))
    page.post(start="1")  # a practice survey: the conversation row exists
    with app.app_context():
        invitation = db.session.execute(select(InvitationCode).where(
            InvitationCode.campaign_id == world.campaign_a)).scalars().first()
        conversation = db.session.execute(select(ChatSession).where(ChatSession.channel == "rehearsal")).scalar_one()
        conversation.invitation_code_id, conversation.campaign_id = invitation.id, world.campaign_a
        conversation.state = {**conversation.state, "at": "question"}
        db.session.commit()
    page.answer_everything()
    assert filed(app) == (0, 0)


def test_wrong_codes_on_the_rehearsal_page_are_limited_per_account(app, world, signed_in):
    app.config["RATELIMIT_CODE_GUESSES"] = (3, 600)
    page = Rehearsal(signed_in("manager_a"))
    for guess in ("AAAA-AAA2", "AAAA-AAA3", "AAAA-AAA4"):
        assert "Không tìm thấy mã này" in page.post(message=guess)
    assert "quá nhiều lần" in page.post(message="AAAA-AAA5")
    assert "quá nhiều lần" in page.post(message=world.codes_a[1])  # even a right one waits now
    other = Rehearsal(signed_in("manager_b"))  # another officer's count is their own
    assert "Không tìm thấy mã này" in other.post(message="AAAA-AAA6")


def test_posts_at_once_from_two_tabs_all_answer_without_an_error(app, world, signed_in):
    """The probe's two simultaneous posts answered 500. Six tabs of one officer, each a message at once."""
    client = signed_in("manager_a")
    tabs = [Rehearsal(client) for _ in range(6)]
    forms = [tab.form(message=f"Đèn đường thôn {i} hỏng") for i, tab in enumerate(tabs)]
    forms = [{**f, "event_id": f"{f['event_id']}-{i}"} for i, f in enumerate(forms)]
    cookie = client.get_cookie("session").value
    barrier, statuses = threading.Barrier(len(forms)), []

    def post(form):
        tab_client = app.test_client()
        tab_client.set_cookie("session", cookie)
        barrier.wait()
        statuses.append(tab_client.post("/staff/try-bot", data=form).status_code)

    threads = [threading.Thread(target=post, args=(f,)) for f in forms]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert sorted(statuses) == [302] * len(forms)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(ChatSession)).scalar_one() == 1
