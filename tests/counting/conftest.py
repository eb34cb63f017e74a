"""Fixtures for the counting tests."""
from __future__ import annotations

import re

import pytest

from survey_app.models import StaffRole


@pytest.fixture
def staff_client(app, client):
    """A client signed in as an admin (reads unpublished summaries)."""
    from survey_app.services.staff.users import create_or_reset_user

    with app.app_context():
        user, _ = create_or_reset_user("kiemtra", role=StaffRole.ADMIN, unit=None, password="0123456789ab")
        user_id = user.id
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    signed = client.post("/staff/login", data={"csrf_token": token, "username": "kiemtra", "password": "0123456789ab"})
    assert signed.status_code == 302 and user_id
    return client


@pytest.fixture(autouse=True)
def fresh_question_cache():
    """These tests add questionnaires; PostgreSQL tests truncate and restart ids, so a cached id may be reused."""
    from survey_app.services.survey.questionnaires import forget

    forget()
    yield
    forget()
