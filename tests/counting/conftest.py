"""Fixtures for the counting tests."""
from __future__ import annotations

import pytest

from survey_app.models import StaffRole


@pytest.fixture
def staff_client(app, client):
    """A client signed in as an admin (reads unpublished summaries)."""
    from survey_app.services.users import create_or_reset_user

    with app.app_context():
        user, _ = create_or_reset_user("kiemtra", role=StaffRole.ADMIN, unit=None, password="0123456789ab")
        user_id = user.id
    with client.session_transaction() as session:
        session["staff_id"] = user_id
    return client


@pytest.fixture(autouse=True)
def fresh_question_cache():
    """These tests add questionnaires; PostgreSQL tests truncate and restart ids, so a cached id may be reused."""
    from survey_app.services.questionnaires import forget

    forget()
    yield
    forget()
