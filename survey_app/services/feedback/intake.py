"""Feedback: every free text a resident gives, tagged by field when it is saved."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app

from survey_app.extensions import db
from survey_app.models import AdminUnit, Feedback, UnitLevel
from survey_app.services.clock import today_in_vietnam
from survey_app.services.feedback import tagging
from survey_app.text import clean_multiline, fold


def scope_of(unit_id: int) -> tuple[int | None, int | None]:
    """(commune id, province id) above a hamlet or commune: one row's parents, at most three lookups."""
    unit = db.session.get(AdminUnit, unit_id)
    commune = province = None
    while unit is not None:
        if unit.level == UnitLevel.COMMUNE:
            commune = unit.id
        elif unit.level == UnitLevel.PROVINCE:
            province = unit.id
            break
        unit = unit.parent
    return commune, province


def service_days() -> int:
    return int(current_app.config.get("FEEDBACK_SERVICE_DAYS", 15))


def add_feedback(text: str, *, source: str, channel: str, unit_id: int, campaign_id: int | None = None,
                 response_id: int | None = None, question_id: int | None = None,
                 chat_session_id: int | None = None) -> Feedback:
    """Add (not commit) a Feedback row in the caller's transaction, tagged if the classifier is there.

    The commune and province ids are kept on the row so staff queries filter by scope in SQL; the due
    date is the configured service time (FEEDBACK_SERVICE_DAYS) from today.
    """
    text = clean_multiline(text)
    commune_id, province_id = scope_of(unit_id)
    feedback = Feedback(text=text, source=source, channel=channel, unit_id=unit_id, campaign_id=campaign_id,
                        response_id=response_id, question_id=question_id, chat_session_id=chat_session_id,
                        commune_id=commune_id, province_id=province_id, text_folded=fold(text),
                        due_on=today_in_vietnam() + timedelta(days=service_days()))
    tagging.tag(feedback)
    db.session.add(feedback)
    return feedback
