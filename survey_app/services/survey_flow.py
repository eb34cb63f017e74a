"""The web survey's path through a questionnaire: who is answering, which page, what is saved so far.

A resident reaches a survey by an invitation code (`/s/<code>`, one household) or through an open
campaign (`/c/<slug>`, one browser). Both become a `SurveyTarget`; the pages, the draft (bản nháp)
saved on every step and the final submission work the same for both.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..errors import CampaignNotOpen, UnknownCode
from ..extensions import db
from ..models import Campaign, CampaignMode, InvitationCode, Response
from .clock import today_in_vietnam
from .codes import canonical, display
from .questionnaires import QuestionView, questions_of
from .responses import answered_error

PAGE_SIZE = 3  # questions per page: few enough to read on a small phone at 200 % text zoom


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

    @cached_property
    def pages(self) -> list[list[QuestionView]]:
        """Questions grouped in pages of PAGE_SIZE; a last lone question joins the page before it."""
        qs = self.questions
        pages = [list(qs[i:i + PAGE_SIZE]) for i in range(0, len(qs), PAGE_SIZE)]
        if len(pages) > 1 and len(pages[-1]) == 1:
            pages[-2].extend(pages.pop())
        return pages


# Every page needs the campaign, its commune and questionnaire, and submit_response the household:
# one query with the code instead of four lazy ones (the questions come from questions_of's cache).
_EAGER = (
    joinedload(InvitationCode.household),
    joinedload(InvitationCode.campaign).joinedload(Campaign.commune),
    joinedload(InvitationCode.campaign).joinedload(Campaign.questionnaire),
)


def target_for_code(typed: str) -> SurveyTarget:
    """Find a typed or scanned code forgivingly (case, spaces, dashes, O/0, I/L/1); raise UnknownCode."""
    code = canonical(typed)
    invitation = code and db.session.execute(
        select(InvitationCode).where(InvitationCode.code == code).options(*_EAGER)).scalar_one_or_none()
    if not invitation:
        raise UnknownCode(typed)
    return SurveyTarget(campaign=invitation.campaign, draft_key=code, invitation=invitation, code=display(code))


def target_for_campaign(slug: str, browser_token: str) -> SurveyTarget:
    """An open-mode campaign answered from one browser; raise UnknownCode when there is no such campaign."""
    campaign = db.session.execute(select(Campaign).where(Campaign.slug == slug).options(
        joinedload(Campaign.commune), joinedload(Campaign.questionnaire),
    )).scalar_one_or_none()
    if campaign is None or campaign.mode != CampaignMode.OPEN:
        raise UnknownCode(slug)
    return SurveyTarget(campaign=campaign, draft_key=browser_token)


def check_can_answer(target: SurveyTarget) -> None:
    """Raise AlreadyAnswered (with when) or CampaignNotOpen; an answered household hears that first."""
    if target.invitation is not None:
        if target.invitation.used_at is not None:
            raise answered_error(code=target.invitation.code)
    elif has_answered(target.campaign.id, target.draft_key):
        raise answered_error(campaign_id=target.campaign.id, submission_key=target.draft_key)
    campaign = target.campaign
    if not campaign.accepts_answers_on(today_in_vietnam()):
        raise CampaignNotOpen(campaign.status, campaign.opens_on, campaign.closes_on)


def has_answered(campaign_id: int, submission_key: str) -> bool:
    stmt = select(Response.id).where(Response.campaign_id == campaign_id,
                                     Response.submission_key == submission_key)
    return db.session.execute(stmt).first() is not None


def submitted_with(target: SurveyTarget, submission_key: str | None) -> bool:
    """Was this target's response stored with this submission key (a resend of the same form)?"""
    return bool(submission_key) and has_answered(target.campaign.id, submission_key)
