"""Feedback: every free text a resident gives, tagged by field when it is saved."""
from __future__ import annotations

from ..extensions import db
from ..models import Feedback
from ..text import clean_multiline
from . import tagging


def add_feedback(text: str, *, source: str, channel: str, unit_id: int, campaign_id: int | None = None,
                 response_id: int | None = None, question_id: int | None = None,
                 chat_session_id: int | None = None) -> Feedback:
    """Add (not commit) a Feedback row in the caller's transaction, tagged if the classifier is there."""
    feedback = Feedback(text=clean_multiline(text), source=source, channel=channel, unit_id=unit_id,
                        campaign_id=campaign_id, response_id=response_id, question_id=question_id,
                        chat_session_id=chat_session_id)
    tagging.tag(feedback)
    db.session.add(feedback)
    return feedback
