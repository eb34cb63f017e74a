"""Test helpers that build real domain objects through the services."""
from __future__ import annotations

from survey_app.extensions import db
from survey_app.models import Campaign
from survey_app.services.survey.responses import AnswerInput


def campaign_of(info: dict) -> Campaign:
    return db.session.get(Campaign, info["campaign_id"])


def all_satisfied(campaign: Campaign, except_position: int | None = None, reason: str = "") -> dict:
    """An answer for every question; the one at `except_position` is "chưa hài lòng" with `reason`."""
    return {
        q.id: AnswerInput(satisfied=q.position != except_position,
                          reason=reason if q.position == except_position else None)
        for q in campaign.questionnaire.questions
    }
