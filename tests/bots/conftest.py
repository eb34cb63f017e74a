"""Fixtures for the chat tests: a resident talking to `receive` on SQLite and PostgreSQL."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))  # survey_walk, shared with the web tests

from chat_resident import Resident


@pytest.fixture
def resident(app, demo):
    return Resident(app)


@pytest.fixture
def pages(app, demo) -> int:
    """How many web pages the demo questionnaire has (for walking the web form alongside the chat)."""
    from survey_app.services.survey.flow import target_for_code
    from survey_app.views.pages import pages_of

    with app.app_context():
        return len(pages_of(target_for_code(demo["codes"][0])))
