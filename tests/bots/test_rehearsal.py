"""/staff/try-bot: staff chat with the same engine in the browser, without JavaScript or any token."""
import re

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Feedback, OutboundMessage, Response, SurveyDraft

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


class Staff:
    def __init__(self, client, demo):
        self.client = client
        page = client.get("/staff/login").text
        client.post("/staff/login", data={"csrf_token": CSRF.search(page).group(1),
                                          "username": demo["admin_username"], "password": demo["admin_password"]})
        self.page = client.get("/staff/try-bot").text

    def post(self, **data):
        event_id = re.search(r'name="event_id" value="([^"]+)"', self.page).group(1)
        sent = self.client.post("/staff/try-bot", data={"csrf_token": CSRF.search(self.page).group(1),
                                                        "event_id": event_id, **data})
        assert sent.status_code == 302
        self.page = self.client.get("/staff/try-bot").text
        return self.page

    def payloads(self) -> list[str]:
        return re.findall(r'name="payload" value="([^"]+)"', self.page)


def test_the_page_needs_a_staff_sign_in(client, demo):
    assert client.get("/staff/try-bot").status_code == 302


def test_a_practice_survey_runs_in_the_browser_and_stores_nothing(app, client, demo):
    staff = Staff(client, demo)
    assert "không được lưu vào kết quả" in staff.page and "mã thật" in staff.page
    page = staff.post(start="1")
    assert "Mặt trận" in page and staff.payloads() == ["lang:vi", "lang:en"]
    staff.post(payload="lang:vi")
    assert re.search(r"Câu 1/\d+", staff.page)
    staff.post(message="chưa")
    staff.post(message="Đường thôn lầy lội")
    while staff.payloads() and staff.payloads()[0].startswith("q"):
        staff.post(payload=staff.payloads()[0])
    staff.post(payload="o:skip")
    assert "Đường thôn lầy lội" in staff.page and "s:send" in staff.payloads()
    staff.post(payload="s:send")
    assert "phiếu thử" in staff.page
    staff.post(message="Đèn đường hỏng")
    with app.app_context():
        assert count(Response) == 0 and count(Feedback) == 0 and count(SurveyDraft) <= 1
        statuses = set(db.session.execute(select(OutboundMessage.status)).scalars())
        assert statuses == {"sent"}  # shown on the page, never waiting for a sender


def test_a_resent_form_is_one_message(app, client, demo):
    staff = Staff(client, demo)
    form = {"csrf_token": CSRF.search(staff.page).group(1),
            "event_id": re.search(r'name="event_id" value="([^"]+)"', staff.page).group(1), "start": "1"}
    client.post("/staff/try-bot", data=form)
    client.post("/staff/try-bot", data=form)
    with app.app_context():
        assert count(OutboundMessage) == 2  # the intro and the language question, once
