"""Who is answering which campaign, and may they answer now: the part of the survey every channel shares.

A resident reaches a survey by an invitation code (`/s/<code>` on the web, `/start <code>` or the code
typed in a chat, one household) or through an open campaign (`/c/<slug>`, one browser). Both become a
`SurveyTarget`; the draft (bản nháp) and the final submission work the same for every channel. How the
questions are shown (web pages of three, one chat message each) belongs to the channel.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey_app.errors import CampaignNotOpen, UnknownCode
from survey_app.extensions import db
from survey_app.models import Campaign, CampaignMode, InvitationCode, Response
from survey_app.services.campaigns.codes import canonical, display
from survey_app.services.clock import today_in_vietnam
from survey_app.services.survey.questionnaires import QuestionView, questions_of
from survey_app.services.survey.responses import answered_error


@dataclass
class SurveyTarget:
    """The campaign being answered and the key the draft and the response are filed under."""

    campaign: Campaign
    draft_key: str
    invitation: InvitationCode | None = None
    code: str | None = None  # as printed on the slip (K7QM-3XPA); None in open mode

    @property
    def is_open_mode(self) -> bool:
        return self.invitation is None

    @cached_property
    def questions(self) -> tuple[QuestionView, ...]:
        return questions_of(self.campaign.questionnaire_id)


# Every page needs the campaign, its commune and questionnaire, and submit_response the household:
# one query with the code instead of four lazy ones (the questions come from questions_of's cache).
# Public for a caller that reads the invitation in a query of its own (the chat engine, with the conversation).
HOUSEHOLD_LOADS = (
    joinedload(InvitationCode.household),
    joinedload(InvitationCode.campaign).joinedload(Campaign.commune),
    joinedload(InvitationCode.campaign).joinedload(Campaign.questionnaire),
)


def target_for_code(typed: str) -> SurveyTarget:
    """Find a typed or scanned code forgivingly (case, spaces, dashes, O/0, I/L/1); raise UnknownCode."""
    code = canonical(typed)
    invitation = code and db.session.execute(
        select(InvitationCode).where(InvitationCode.code == code).options(*HOUSEHOLD_LOADS)).scalar_one_or_none()
    if not invitation:
        raise UnknownCode(typed)
    return household_target(invitation)


def target_for_invitation(invitation_id: int) -> SurveyTarget | None:
    """The household a chat session is answering for (None if the code was deleted).

    `get`: no read when the session already holds the invitation."""
    invitation = db.session.get(InvitationCode, invitation_id, options=HOUSEHOLD_LOADS)
    return household_target(invitation) if invitation else None


def household_target(invitation: InvitationCode) -> SurveyTarget:
    return SurveyTarget(campaign=invitation.campaign, draft_key=invitation.code, invitation=invitation,
                        code=display(invitation.code))


def target_for_campaign(slug: str, browser_token: str) -> SurveyTarget:
    """An open-mode campaign answered from one browser; raise UnknownCode when there is no such campaign."""
    campaign = db.session.execute(select(Campaign).where(Campaign.slug == slug).options(
        joinedload(Campaign.commune), joinedload(Campaign.questionnaire),
    )).scalar_one_or_none()
    if campaign is None or campaign.mode != CampaignMode.OPEN:
        raise UnknownCode(slug)
    return SurveyTarget(campaign=campaign, draft_key=browser_token)


def check_can_answer(target: SurveyTarget, today=None) -> None:
    """Raise AlreadyAnswered (with when and how) or CampaignNotOpen; an answered household hears that first."""
    if target.invitation is not None:
        if target.invitation.used_at is not None:
            raise answered_error(code=target.invitation.code)
    elif has_answered(target.campaign.id, target.draft_key):
        raise answered_error(campaign_id=target.campaign.id, submission_key=target.draft_key)
    campaign, today = target.campaign, today or today_in_vietnam()
    if not campaign.accepts_answers_on(today):
        raise CampaignNotOpen.for_campaign(campaign, today)


def has_answered(campaign_id: int, submission_key: str) -> bool:
    stmt = select(Response.id).where(Response.campaign_id == campaign_id,
                                     Response.submission_key == submission_key)
    return db.session.execute(stmt).first() is not None


def submitted_with(target: SurveyTarget, submission_key: str | None) -> bool:
    """Was this target's response stored with this submission key (a resend of the same form)?"""
    return bool(submission_key) and has_answered(target.campaign.id, submission_key)
