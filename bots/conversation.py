"""`receive`: one inbound chat event, handled exactly once, in one transaction with its replies.

The adapters (Telegram, Zalo, the staff rehearsal page) turn a platform update into an `Event` and
call `receive`; it records the update's id (a replay does nothing), runs the pure engine on the
conversation stored in the database, applies what the engine decided through the same survey
services the web uses, queues the replies in the outbox and commits once. The caller then calls
`survey_app.services.outbox.dispatch(ids)`.
"""
from __future__ import annotations

import functools
from datetime import datetime, timezone
from types import MappingProxyType

from sqlalchemy import and_, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defaultload
from sqlalchemy.orm.exc import StaleDataError

from survey_app.errors import DomainError
from survey_app.extensions import db
from survey_app.models import (
    AdminUnit,
    Campaign,
    CampaignStatus,
    Channel,
    ChatSession,
    FeedbackSource,
    Household,
    InboundEvent,
    InvitationCode,
    OutboundMessage,
    Questionnaire,
    SurveyDraft,
    UnitLevel,
)
from survey_app.models._common import utcnow
from survey_app.services import outbox
from survey_app.services.clock import VIETNAM
from survey_app.services.codes import canonical
from survey_app.services.drafts import clear_draft, load_draft, remember_draft, save_draft, submit_draft
from survey_app.services.feedback import add_feedback
from survey_app.services.outbox import OutboxStatus
from survey_app.services.survey_flow import (
    HOUSEHOLD_LOADS,
    SurveyTarget,
    check_can_answer,
    household_target,
    target_for_code,
    target_for_invitation,
)
from survey_app.services.versioned import write_versioned

from . import engine, parsing, texts
from .engine import AddComplaint, ClearDraft, Context, Conversation, SaveAnswer, SaveOther, SetPhase, Submit
from .messages import Event, EventKind
from .survey_view import Commune, SurveyView

ATTEMPTS = 3
PRACTICE = "thu"  # "/start thu" on the staff rehearsal page: a practice survey that stores nothing
REHEARSAL = "rehearsal"  # the staff page's channel name (its replies are shown, never sent)


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
    for attempt in range(1, ATTEMPTS + 1):
        try:
            if not _record(channel, external_id, now):
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


def _record(channel: str, external_id: str, now: datetime) -> bool:
    """Record the update's id first, in the transaction that handles it; False if it was recorded before.

    One statement (INSERT … ON CONFLICT DO NOTHING RETURNING) instead of a read and a later insert. The
    unique key also serialises two deliveries of one update: the second waits for the first to commit,
    then finds the id and does nothing."""
    stmt = _record_statement(db.session.get_bind().dialect.name)
    return db.session.execute(stmt, {"channel": channel, "external_id": external_id,
                                     "received_at": now}).first() is not None


@functools.cache
def _record_statement(dialect: str):
    """Built once per dialect and run with parameters: building and keying a statement for every update
    cost about as much as running it. On the table, not the class: the ORM's bulk path adds nothing here."""
    table = InboundEvent.__table__
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (insert(table).on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(table.c.id))


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def _handle(channel, chat_user_id, event, now, practice_commune_id, wake_waiting) -> list[int]:
    session, household, waiting = _session(channel, chat_user_id)
    conversation = Conversation(state=dict(session.state or {}), language=session.language,
                                opted_out=session.opted_out, campaign_id=session.campaign_id,
                                invitation_id=session.invitation_code_id, last_inbound_at=session.last_inbound_at)
    today = now.replace(tzinfo=timezone.utc).astimezone(VIETNAM).date()
    current = household or _current_target(conversation, practice_commune_id, chat_user_id)
    survey, problem = _view_of(current, today) if current else (None, None)
    found, found_target = _found(event, today, practice_commune_id, chat_user_id)
    context = Context(now=now, survey=survey if problem is None else None, survey_problem=problem,
                      found=found,
                      communes=_communes() if _needs_communes(conversation, event) else ())
    new, replies, actions = engine.handle(conversation, event, context)

    _ = texts.gettext_for(new.language)
    target = (found_target if isinstance(found, SurveyView) else None) or current  # the engine switched to it
    for action in actions:
        replies = replies + _apply(action, target, session, channel, now, _)
    # The conversation's version check, before its replies are queued: a racing update of this resident
    # raises StaleDataError here and `receive` runs this one again.
    write_versioned(session, state=new.state, language=new.language, opted_out=new.opted_out,
                    campaign_id=new.campaign_id, invitation_code_id=new.invitation_id, last_inbound_at=now)
    ids = [outbox.enqueue(channel, chat_user_id, r.text, [(b.title, b.payload) for b in r.buttons])
           for r in replies]
    if wake_waiting and waiting:  # older rows: their ids come first
        ids = sorted(set(ids) | set(outbox.wake_waiting(channel, chat_user_id)))
    return ids


def _session(channel: str, chat_user_id: str) -> tuple[ChatSession, SurveyTarget | None, bool]:
    """The conversation; when it is answering for a household, that household's survey target; and whether
    outbox rows wait for this resident (Zalo's window).

    One query reads the conversation, its invitation (with campaign, commune, questionnaire and
    household), the household's draft and the waiting flag, instead of one query each: most updates need
    them all, and almost none has rows waiting, so the wake-up UPDATE is skipped."""
    row = db.session.execute(_session_statement(), {"channel": channel, "chat_user_id": chat_user_id}).first()
    if row is None:
        session = ChatSession(channel=channel, chat_user_id=chat_user_id, state={}, language="vi")
        db.session.add(session)
        db.session.flush()  # a racing first message of the same resident fails here: retried
        return session, None, True  # rows sent before the conversation existed (staff replies): look
    session, invitation, draft, waiting = row
    if invitation is None:
        return session, None, waiting
    target = household_target(invitation)
    remember_draft(target, draft)  # load_draft and save_draft use it: no second read
    return session, target, waiting


@functools.cache
def _session_statement():
    waiting = (select(OutboundMessage.id)
               .where(OutboundMessage.channel == ChatSession.channel,
                      OutboundMessage.chat_user_id == ChatSession.chat_user_id,
                      OutboundMessage.status == OutboxStatus.WAITING).exists())
    return (select(ChatSession, InvitationCode, SurveyDraft, waiting)
            .outerjoin(InvitationCode, InvitationCode.id == ChatSession.invitation_code_id)
            .outerjoin(SurveyDraft, and_(SurveyDraft.campaign_id == InvitationCode.campaign_id,
                                         SurveyDraft.draft_key == InvitationCode.code))
            .where(ChatSession.channel == bindparam("channel"), ChatSession.chat_user_id == bindparam("chat_user_id"))
            .options(*HOUSEHOLD_LOADS, *_NOT_FOR_CHAT))


# Columns a chat update never reads, left out of its one query: the campaign's per-hamlet counts and
# published figures (JSON, decoded on every load), the questionnaire's long intros, the household's head
# and address (personal data the conversation has no use for). Read on access if ever needed.
_NOT_FOR_CHAT = (
    defaultload(InvitationCode.campaign).defer(Campaign.household_counts).defer(Campaign.frozen_figures)
    .defer(Campaign.purpose),
    defaultload(InvitationCode.campaign).defaultload(Campaign.questionnaire)
    .defer(Questionnaire.intro_vi).defer(Questionnaire.intro_en),
    defaultload(InvitationCode.household).defer(Household.head_name).defer(Household.address),
)


def _current_target(conversation, practice_commune_id, chat_user_id) -> SurveyTarget | None:
    """The survey this conversation is answering: a household's, or on the rehearsal page a practice one."""
    if conversation.invitation_id is not None:
        return target_for_invitation(conversation.invitation_id)
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


def _found(event, today, practice_commune_id, chat_user_id) -> tuple[SurveyView | DomainError | None,
                                                                     SurveyTarget | None]:
    """What a code in this event names, for the engine, and its survey target (for the actions, if the
    engine switches to it)."""
    typed = _code_in(event)
    if typed is None:
        return None, None
    if practice_commune_id is not None and parsing.fold(typed) == PRACTICE:
        campaign = _practice_campaign(practice_commune_id)
        if campaign is None:
            return None, None
        target = _practice_target(campaign, chat_user_id)
        return _view_of(target, today, check=False)[0], target
    try:
        target = target_for_code(typed)
    except DomainError as error:
        return error, None
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
    from .messages import Reply

    if isinstance(action, AddComplaint):
        if channel == REHEARSAL:  # staff practising: keep the review queue for residents
            return [Reply(texts.practice_complaint(_))]
        add_feedback(action.text, source=FeedbackSource.COMPLAINT, channel=_submit_channel(channel),
                     unit_id=action.commune_id, chat_session_id=session.id)
        return []
    if target is None:
        return []
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


def warm_up() -> None:
    """Run the chat update's hot statements once in this process, writing nothing (the writes are rolled back).

    A fresh gunicorn worker's first updates otherwise compile their SQL and set up the ORM's loaders while
    residents wait (bots.webhooks.warm_up, called by gunicorn's post_worker_init, runs this)."""
    now = _naive_utc(utcnow())
    try:
        _record("warm-up", "warm-up", now)
        session, _, _ = _session("warm-up", "warm-up")  # no such conversation: the SELECT, then an INSERT
        db.session.execute(_session_statement(), {"channel": "warm-up", "chat_user_id": "warm-up"}).first()
        write_versioned(session, state={}, language="vi", opted_out=False, campaign_id=None,
                        invitation_code_id=None, last_inbound_at=now)
        outbox.enqueue("warm-up", "warm-up", "")
        outbox.wake_waiting("warm-up", "warm-up")
        try:
            target_for_code("WARM-UP0")  # the query of "/start <code>"
        except DomainError:
            pass
    finally:
        db.session.rollback()
