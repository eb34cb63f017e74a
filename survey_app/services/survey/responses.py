"""submit_response: the only way any channel (web, Telegram, Zalo, paper) stores a household's answers."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from survey_app.errors import AlreadyAnswered, CampaignNotOpen, IncompleteAnswers, InvalidAnswers, UnknownCode
from survey_app.extensions import db
from survey_app.models import (
    AdminUnit,
    Answer,
    Campaign,
    CampaignMode,
    Channel,
    FeedbackSource,
    InvitationCode,
    Response,
    SurveyDraft,
    UnitLevel,
)
from survey_app.models._common import utcnow
from survey_app.services.campaigns.codes import canonical
from survey_app.services.clock import today_in_vietnam
from survey_app.services.feedback.intake import add_feedback
from survey_app.services.survey.questionnaires import questions_of
from survey_app.text import clean_multiline

MAX_TEXT = 2000


@dataclass(frozen=True)
class AnswerInput:
    """One answer as a channel collected it: "hài lòng" (True) or "chưa hài lòng" (False), with a reason."""

    satisfied: bool
    reason: str | None = None


def clean_text(text: str | None) -> str | None:
    """Control characters (NUL…) dropped, NFC, trimmed, bounded; empty becomes None."""
    return clean_multiline(text)[:MAX_TEXT] or None


def submit_response(
    answers: Mapping[int, AnswerInput],
    *,
    channel: str,
    code: str | None = None,
    invitation: InvitationCode | None = None,
    campaign_id: int | None = None,
    hamlet_id: int | None = None,
    submission_key: str | None = None,
    other_opinion: str | None = None,
    entered_by_id: int | None = None,
    valid: bool = True,
    today: date | None = None,
    chat_session_id: int | None = None,
    commit: bool = True,
    allow_blanks: bool = False,
) -> Response:
    """Store one household's answers atomically, or raise a DomainError and store nothing.

    Household mode needs the invitation `code` (a channel that already loaded the InvitationCode for
    it may pass it as `invitation` to save a query); open mode needs `campaign_id`, `hamlet_id` and a
    `submission_key` (one per browser). The database's unique constraints, not this function,
    guarantee one Response per household per campaign under concurrency.

    With `commit=False` (a chat message handled in one transaction with its replies) the work runs
    inside a SAVEPOINT of the caller's transaction: a lost race rolls back only the savepoint.
    `chat_session_id` links the feedback to the conversation, so staff replies reach the resident.
    `allow_blanks` (paper entry): a valid form may leave questions unanswered; each blank is counted
    as blank for its question, and the form's other answers count as usual.
    """
    if channel not in Channel.ALL:
        raise ValueError(f"unknown channel {channel!r}")
    store = (code, invitation, campaign_id, hamlet_id, submission_key, answers, channel, other_opinion,
             entered_by_id, valid, today or today_in_vietnam(), chat_session_id, allow_blanks)
    if not commit:
        try:
            with db.session.begin_nested():
                return _store(*store)
        except IntegrityError:
            raise answered_error(code=code, campaign_id=campaign_id, submission_key=submission_key) from None
    try:
        response = _store(*store)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise answered_error(code=code, campaign_id=campaign_id, submission_key=submission_key) from None
    except Exception:
        db.session.rollback()
        raise
    return response


def _store(code, invitation, campaign_id, hamlet_id, submission_key, answers, channel, other_opinion,
           entered_by_id, valid, today, chat_session_id, allow_blanks) -> Response:
    invitation, campaign, hamlet_id = _resolve_target(code, invitation, campaign_id, hamlet_id, submission_key)
    if not campaign.accepts_answers_on(today):
        raise CampaignNotOpen.for_campaign(campaign, today)
    _check_answers(campaign, answers, require_all=valid and not allow_blanks)
    if valid and allow_blanks and not answers:
        raise InvalidAnswers("a valid form answers at least one question")
    if invitation is not None:
        claimed = db.session.execute(
            update(InvitationCode)
            .where(InvitationCode.id == invitation.id, InvitationCode.used_at.is_(None))
            .values(used_at=utcnow())
        ).rowcount
        if claimed != 1:
            raise answered_error(code=invitation.code)
    response = Response(
        campaign_id=campaign.id,
        household_id=invitation.household_id if invitation else None,
        invitation_code_id=invitation.id if invitation else None,
        hamlet_id=hamlet_id,
        submission_key=submission_key,
        channel=channel,
        is_valid=valid,
        verified=invitation is not None,
        entered_by_id=entered_by_id,
    )
    db.session.add(response)
    db.session.flush()  # the unique constraints speak here
    rows = [{"response_id": response.id, "question_id": question_id, "satisfied": given.satisfied,
             "reason": None if given.satisfied else clean_text(given.reason)}
            for question_id, given in answers.items()]
    if rows:
        db.session.execute(insert(Answer), rows)  # one multi-row INSERT, no ORM objects on the hot path
    for row in rows:
        question_id, reason = row["question_id"], row["reason"]
        if reason:
            add_feedback(reason, source=FeedbackSource.REASON, channel=channel, unit_id=hamlet_id,
                         campaign_id=campaign.id, response_id=response.id, question_id=question_id,
                         chat_session_id=chat_session_id)
    other = clean_text(other_opinion)
    if other:
        add_feedback(other, source=FeedbackSource.OTHER, channel=channel, unit_id=hamlet_id,
                     campaign_id=campaign.id, response_id=response.id, chat_session_id=chat_session_id)
    draft_key = invitation.code if invitation else submission_key
    if draft_key:
        db.session.execute(delete(SurveyDraft).where(SurveyDraft.campaign_id == campaign.id,
                                                     SurveyDraft.draft_key == draft_key))
    return response


def _resolve_target(code, invitation, campaign_id, hamlet_id, submission_key):
    """Household mode: the code names household and campaign. Open mode: campaign + hamlet."""
    if invitation is not None:
        return invitation, invitation.campaign, invitation.household.hamlet_id
    if code is not None:
        canonical_code = canonical(code)
        invitation = canonical_code and db.session.execute(
            select(InvitationCode).where(InvitationCode.code == canonical_code)
        ).scalar_one_or_none()
        if not invitation:
            raise UnknownCode(code)
        return invitation, invitation.campaign, invitation.household.hamlet_id
    campaign = db.session.get(Campaign, campaign_id) if campaign_id is not None else None
    if campaign is None:
        raise UnknownCode(str(campaign_id))
    if campaign.mode != CampaignMode.OPEN:
        raise UnknownCode("this campaign needs a household code")
    hamlet = db.session.get(AdminUnit, hamlet_id) if hamlet_id is not None else None
    if hamlet is None or hamlet.level != UnitLevel.HAMLET or hamlet.parent_id != campaign.commune_id:
        raise InvalidAnswers("choose a hamlet of this commune")
    if not submission_key:
        raise InvalidAnswers("open mode needs a submission key")
    return None, campaign, hamlet.id


def _check_answers(campaign: Campaign, answers: Mapping[int, AnswerInput], require_all: bool):
    questions = {q.id: q for q in questions_of(campaign.questionnaire_id)}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise InvalidAnswers(f"questions not in this questionnaire: {unknown}")
    if any(not isinstance(a, AnswerInput) or not isinstance(a.satisfied, bool) for a in answers.values()):
        raise InvalidAnswers("each answer must be satisfied or not satisfied")
    missing = [q.id for q in questions.values() if q.required and q.id not in answers]
    if missing and require_all:
        raise IncompleteAnswers(missing)


def answered_error(*, code: str | None = None, campaign_id: int | None = None,
                   submission_key: str | None = None) -> AlreadyAnswered:
    """AlreadyAnswered saying when and through which channel the household (code) or browser
    (campaign + submission key) answered, for the resident's message."""
    stmt = select(Response.submitted_at, Response.channel)
    canonical_code = canonical(code) if code else None
    if canonical_code:
        stmt = stmt.join(InvitationCode, Response.invitation_code_id == InvitationCode.id).where(
            InvitationCode.code == canonical_code)
    elif campaign_id is not None and submission_key:
        stmt = stmt.where(Response.campaign_id == campaign_id, Response.submission_key == submission_key)
    else:
        return AlreadyAnswered()
    row = db.session.execute(stmt).first()
    return AlreadyAnswered(row.submitted_at, row.channel) if row else AlreadyAnswered()
