"""The domain model. Import models from here."""
from .units import AdminUnit, Household, UnitLevel
from .questionnaire import CriteriaSet, Criterion, Question, Questionnaire
from .campaign import Campaign, CampaignMode, CampaignStatus, InvitationCode, VerdictRule
from .response import Answer, Channel, Response, SurveyDraft
from .feedback import Feedback, FeedbackReply, FeedbackSource, FeedbackStatus, ModelVersion
from .chat import ChatSession, InboundEvent, OutboundMessage
from .staff import AuditLog, StaffRole, StaffUser

__all__ = [
    "AdminUnit", "Household", "UnitLevel",
    "CriteriaSet", "Criterion", "Question", "Questionnaire",
    "Campaign", "CampaignMode", "CampaignStatus", "InvitationCode", "VerdictRule",
    "Answer", "Channel", "Response", "SurveyDraft",
    "Feedback", "FeedbackReply", "FeedbackSource", "FeedbackStatus", "ModelVersion",
    "ChatSession", "InboundEvent", "OutboundMessage",
    "AuditLog", "StaffRole", "StaffUser",
]
