"""`receive`: one inbound chat event, handled exactly once, in one transaction with its replies.

The channel adapters (bots.channels: Telegram, Zalo, the staff rehearsal page) turn an update into an
`Event`, and bots.inbound (or bots.rehearsal) calls `receive`; it records the update's id (a replay does
nothing), runs the pure engine on the conversation stored in the database, applies what the engine
decided through the same survey services the web uses, queues the replies in the outbox and commits
once. The caller then hands the ids to `survey_app.services.outbox.dispatch`, the one door to the sender
(the rehearsal page shows them instead).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from survey_app import ratelimit
from survey_app.errors import DomainError, RealCodeInRehearsal, TooManyGuesses, UnknownCode
from survey_app.extensions import db
from survey_app.models import (
    AdminUnit,
    Campaign,
    CampaignStatus,
    Channel,
    ChatSession,
    FeedbackSource,
    UnitLevel,
)
from survey_app.models._common import utcnow
from survey_app.services import outbox
from survey_app.services.campaigns.codes import canonical
from survey_app.services.clock import VIETNAM
from survey_app.services.feedback.intake import add_feedback
from survey_app.services.survey.drafts import clear_draft, load_draft, save_draft, submit_draft
from survey_app.services.survey.flow import (
    SurveyTarget,
    check_can_answer,
    target_for_code,
    target_for_invitation,
)
from survey_app.text import clean_multiline

from . import chat_store, engine, parsing, texts
from .engine import AddComplaint, ClearDraft, Context, Conversation, SaveAnswer, SaveOther, SetPhase, Submit
from .messages import Event, EventKind, Reply
from .rehearsal import NAME as REHEARSAL
from .rehearsal import PRACTICE
from .survey_view import Commune, SurveyView

ATTEMPTS = 5  # PostgreSQL serialises a chat on its row lock; these cover a first message's racing insert
GUESSES = "RATELIMIT_CODE_GUESSES"  # wrong codes, counted per chat as the web counts them per address


def receive(channel: str, external_id: str, chat_user_id: str, event: Event, *, now: datetime | None = None,
            practice_commune_id: int | None = None, wake_waiting: bool = False) -> list[int]:
    """Handle one inbound event once; return the ids of the outbox rows committed with it.

    A replay of an `external_id` already recorded returns [] and changes nothing. A version conflict
    on the conversation (a button press and a text handled at once by two workers) or a racing insert
    rolls everything back and runs again, so both events take effect, one after the other.
    With `wake_waiting` (Zalo) rows kept while the resident was outside the platform's window become due
    again in the same transaction, and their ids come first.
    """
    now = _naive_utc(now or utcnow())
    external_id = str(external_id)[:80]
    if event.text:  # NUL and other controls: PostgreSQL refuses the first, staff screens garble the rest
        event = replace(event, text=clean_multiline(event.text))
    for attempt in range(1, ATTEMPTS + 1):
        try:
            if not chat_store.record(channel, external_id, now):
                db.session.rollback()
                return []  # a replay: acknowledged, ignored (it cost one INSERT that found the id)
            ids = _handle(channel, chat_user_id, event, now, practice_commune_id, wake_waiting)
            db.session.commit()
            return ids
        except (StaleDataError, IntegrityError):
            db.session.rollback()  # another worker changed this conversation (or created it) first
            if attempt == ATTEMPTS:
                raise
        except Exception:
            db.session.rollback()
            raise
    return []


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def _handle(channel, chat_user_id, event, now, practice_commune_id, wake_waiting) -> list[int]:
    session, household, waiting = chat_store.load(channel, chat_user_id)
    conversation = Conversation(state=dict(session.state or {}), language=session.language,
                                opted_out=session.opted_out, campaign_id=session.campaign_id,
                                invitation_id=session.invitation_code_id, last_inbound_at=session.last_inbound_at)
    today = now.replace(tzinfo=timezone.utc).astimezone(VIETNAM).date()
    rehearsal = channel == REHEARSAL
    if rehearsal:  # staff never answer for a household, even a conversation begun before this rule
        household = None
    current = household or _current_target(conversation, practice_commune_id, chat_user_id, rehearsal)
    survey, problem = _view_of(current, today) if current else (None, None)
    found, found_target = _found(event, today, practice_commune_id, channel, chat_user_id)
    context = Context(now=now, survey=survey if problem is None else None, survey_problem=problem,
                      found=found,
                      communes=_communes() if _needs_communes(conversation, event) else ())
    new, replies, actions = engine.handle(conversation, event, context)

    _ = texts.gettext_for(new.language)
    target = (found_target if isinstance(found, SurveyView) else None) or current  # the engine switched to it
    for action in actions:
        replies = replies + _apply(action, target, session, channel, now, _)
    chat_store.save(session, new, now)  # its version check comes before the replies are queued
    ids = [outbox.enqueue(channel, chat_user_id, r.text, [(b.title, b.payload) for b in r.buttons])
           for r in replies]
    if wake_waiting and waiting:  # older rows: their ids come first
        ids = sorted(set(ids) | set(outbox.wake_waiting(channel, chat_user_id)))
    return ids


def _current_target(conversation, practice_commune_id, chat_user_id, rehearsal) -> SurveyTarget | None:
    """The survey this conversation is answering: a household's, or on the rehearsal page a practice one."""
    if conversation.invitation_id is not None:
        return None if rehearsal else target_for_invitation(conversation.invitation_id)
    if conversation.campaign_id is not None and practice_commune_id is not None:
        campaign = db.session.get(Campaign, conversation.campaign_id)
        return _practice_target(campaign, chat_user_id) if campaign else None
    return None


def _practice_target(campaign: Campaign, chat_user_id: str) -> SurveyTarget:
    return SurveyTarget(campaign=campaign, draft_key=f"thu:{chat_user_id}"[:64], code="THỬ")


def _practice_campaign(commune_id: int) -> Campaign | None:
    return db.session.execute(select(Campaign).where(Campaign.commune_id == commune_id)
                              .order_by(Campaign.opens_on.desc(), Campaign.id.desc()).limit(1)).scalar_one_or_none()


def _code_in(event: Event) -> str | None:
    """The household code an event carries: /start <code>, a START payload, or a typed code."""
    if event.kind not in (EventKind.START, EventKind.TEXT):
        return None
    text = parsing.nfc(event.text)
    cmd = parsing.command(text)
    if cmd is not None:
        return cmd[1] if cmd[0] == "start" and cmd[1] else None
    if event.kind == EventKind.START:
        return text or None
    return text if canonical(text) else None


def _found(event, today, practice_commune_id, channel, chat_user_id) -> tuple[SurveyView | DomainError | None,
                                                                              SurveyTarget | None]:
    """What a code in this event names, for the engine, and its survey target (for the actions, if the
    engine switches to it). Wrong codes are counted per chat; a real code on the rehearsal page is refused."""
    typed = _code_in(event)
    if typed is None:
        return None, None
    if practice_commune_id is not None and parsing.fold(typed) == PRACTICE:
        campaign = _practice_campaign(practice_commune_id)
        if campaign is None:
            return None, None
        target = _practice_target(campaign, chat_user_id)
        return _view_of(target, today, check=False)[0], target
    guesser = f"{channel}:{chat_user_id}"
    wait = ratelimit.wait_seconds(GUESSES, guesser)
    if wait:
        return TooManyGuesses(wait), None
    try:
        target = target_for_code(typed)
    except UnknownCode as error:
        ratelimit.count(GUESSES, guesser)
        return error, None
    except DomainError as error:
        return error, None
    if channel == REHEARSAL:
        return RealCodeInRehearsal(), None
    view, problem = _view_of(target, today)
    return problem or view, target


def _view_of(target: SurveyTarget, today, check: bool = True) -> tuple[SurveyView | None, DomainError | None]:
    if check:
        try:
            check_can_answer(target, today)
        except DomainError as error:
            return None, error
    draft = load_draft(target)
    campaign = target.campaign
    view = SurveyView(
        campaign_id=campaign.id, invitation_id=target.invitation.id if target.invitation else None,
        commune_id=campaign.commune_id, commune=campaign.commune.name, organiser=campaign.organiser,
        code=target.code or "", closes_on=campaign.closes_on, questions=target.questions,
        answers=MappingProxyType(dict(draft.answers)), other=draft.other, phase=draft.phase,
        started=draft.answered_count() > 0 or draft.phase != "questions")
    return view, None


def _needs_communes(conversation: Conversation, event: Event) -> bool:
    at = conversation.state.get("at", engine.IDLE)
    return at in (engine.IDLE, engine.COMMUNE) and event.kind in (EventKind.TEXT, EventKind.BUTTON)


def _communes() -> tuple[Commune, ...]:
    """Current communes that have an open campaign, for a complaint sent outside a survey."""
    stmt = (select(AdminUnit.id, AdminUnit.name, AdminUnit.code).join(Campaign, Campaign.commune_id == AdminUnit.id)
            .where(AdminUnit.level == UnitLevel.COMMUNE, Campaign.status == CampaignStatus.OPEN)
            .group_by(AdminUnit.id, AdminUnit.name, AdminUnit.code).order_by(AdminUnit.name))
    return tuple(Commune(*row) for row in db.session.execute(stmt))


def _submit_channel(channel: str) -> str:
    return channel if channel in Channel.ALL else Channel.WEB


def _apply(action, target: SurveyTarget | None, session: ChatSession, channel: str, now, _) -> list:
    """Carry out one engine action through the services, inside the caller's transaction."""
    if isinstance(action, AddComplaint):
        if channel == REHEARSAL:  # staff practising: keep the review queue for residents
            return [Reply(texts.practice_complaint(_))]
        add_feedback(action.text, source=FeedbackSource.COMPLAINT, channel=_submit_channel(channel),
                     unit_id=action.commune_id, chat_session_id=session.id)
        return []
    if target is None or (channel == REHEARSAL and target.invitation is not None):
        return []  # nothing to answer for; and staff rehearsing never touch a household's draft or response
    if isinstance(action, SaveAnswer):
        save_draft(target, answers={action.question_id: (action.satisfied, action.reason)}, commit=False)
    elif isinstance(action, SaveOther):
        save_draft(target, other=action.text, commit=False)
    elif isinstance(action, SetPhase):
        save_draft(target, phase=action.phase, commit=False)
    elif isinstance(action, ClearDraft):
        clear_draft(target, commit=False)
    elif isinstance(action, Submit):
        if target.invitation is None:  # a rehearsal: nothing goes into the counts
            clear_draft(target, commit=False)
            return [Reply(texts.practice_sent(_))]
        try:
            submit_draft(target, channel=_submit_channel(channel), chat_session_id=session.id, commit=False)
        except DomainError as error:
            return [Reply(texts.problem_text(_, error))]
        return [Reply(texts.thanks(_, now))]
    return []
