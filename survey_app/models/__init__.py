"""The domain model. Import models from here."""
from .campaign import Campaign, CampaignMode, CampaignStatus, InvitationCode, VerdictRule
from .chat import ChatSession, InboundEvent, OutboundMessage, ParkedUpdate, ZaloToken
from .feedback import Feedback, FeedbackReply, FeedbackSource, FeedbackStatus, ModelVersion
from .questionnaire import CriteriaSet, Criterion, Question, Questionnaire
from .response import Answer, Channel, DraftPhase, Response, SurveyDraft
from .staff import AuditLog, StaffRole, StaffUser
from .units import AdminUnit, Household, UnitLevel

__all__ = [
    "AdminUnit", "Household", "UnitLevel",
    "CriteriaSet", "Criterion", "Question", "Questionnaire",
    "Campaign", "CampaignMode", "CampaignStatus", "InvitationCode", "VerdictRule",
    "Answer", "Channel", "DraftPhase", "Response", "SurveyDraft",
    "Feedback", "FeedbackReply", "FeedbackSource", "FeedbackStatus", "ModelVersion",
    "ChatSession", "InboundEvent", "OutboundMessage", "ParkedUpdate", "ZaloToken",
    "AuditLog", "StaffRole", "StaffUser",
]
