"""Signing in, posting forms with their CSRF token, answers for the campaign's real questions."""
import re

from survey_app.services.survey.responses import AnswerInput


def all_answers(campaign, satisfied=True):
    return {q.id: AnswerInput(satisfied=satisfied, reason=None if satisfied else "Đường hỏng")
            for q in campaign.questionnaire.questions}


PASSWORD = "mat-khau-dai-123"


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)


def sign_in(client, username: str) -> None:
    page = client.get("/staff/login").get_data(as_text=True)
    response = client.post("/staff/login", data={"csrf_token": csrf_of(page), "username": username,
                                                 "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def post_form(client, url: str, data: dict | None = None, page_url: str = "/staff/", **kwargs):
    """POST with a CSRF token taken from a page this client may read."""
    token = csrf_of(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)
