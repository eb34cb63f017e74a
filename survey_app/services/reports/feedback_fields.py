"""How the reports group feedback: by its field (staff's confirmed one first) and whether it is still open.

Shared by the campaign report and the alerts, which both count feedback this way.
"""
from sqlalchemy import func

from survey_app.models import Feedback, FeedbackStatus
from survey_app.vocabulary import NEEDS_REVIEW as UNTAGGED

OPEN_STATUSES = (FeedbackStatus.NEW, FeedbackStatus.IN_PROGRESS)


def label_expr():
    """Staff's confirmed field wins over the classifier's guess; untagged texts share one key."""
    return func.coalesce(Feedback.confirmed_label, Feedback.predicted_label, UNTAGGED)
