"""The stored conversation of one chat update: its id recorded, the conversation read, the conversation saved.

`bots.conversation.receive` calls these in its one transaction. Every chat update runs them, so each is
one statement built once and run with parameters (building and cache-keying a statement cost about as
much as running it; benchmarks/RESULTS.md, "Chat webhooks").
"""
from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import and_, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import defaultload

from survey_app.errors import DomainError
from survey_app.extensions import db
from survey_app.models import (
    Campaign,
    ChatSession,
    Household,
    InboundEvent,
    InvitationCode,
    OutboundMessage,
    Questionnaire,
    SurveyDraft,
)
from survey_app.models._common import utcnow
from survey_app.services import outbox
from survey_app.services.outbox import OutboxStatus
from survey_app.services.survey.drafts import remember_draft
from survey_app.services.survey.flow import HOUSEHOLD_LOADS, SurveyTarget, household_target, target_for_code
from survey_app.services.versioned import write_versioned

from .engine import Conversation


def record(channel: str, external_id: str, now: datetime) -> bool:
    """Record the update's id first, in the transaction that handles it; False if it was recorded before.

    One statement (INSERT … ON CONFLICT DO NOTHING RETURNING) instead of a read and a later insert. The
    unique key also serialises two deliveries of one update: the second waits for the first to commit,
    then finds the id and does nothing."""
    stmt = _record_statement(db.session.get_bind().dialect.name)
    return db.session.execute(stmt, {"channel": channel, "external_id": external_id,
                                     "received_at": now}).first() is not None


@functools.cache
def _record_statement(dialect: str):
    """One per dialect (ON CONFLICT is the dialect's own). On the table, not the class: the ORM's bulk path
    adds nothing here."""
    table = InboundEvent.__table__
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (insert(table).on_conflict_do_nothing(index_elements=["channel", "external_id"])
            .returning(table.c.id))


def load(channel: str, chat_user_id: str) -> tuple[ChatSession, SurveyTarget | None, bool]:
    """The conversation; when it is answering for a household, that household's survey target; and whether
    outbox rows wait for this resident (Zalo's window).

    One query reads the conversation, its invitation (with campaign, commune, questionnaire and
    household), the household's draft and the waiting flag, instead of one query each: most updates need
    them all, and almost none has rows waiting, so the wake-up UPDATE is skipped.

    On PostgreSQL the conversation's row is locked first (until the commit), so the updates of one chat
    are handled one after another however many arrive at once; the version check stays for SQLite, whose
    writers are serialised by the database lock that `record` takes."""
    params = {"channel": channel, "chat_user_id": chat_user_id}
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_lock_statement(), params)
    row = db.session.execute(_session_statement(), params).first()
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
def _lock_statement():
    """SELECT … FOR UPDATE of the conversation alone: the query after it (its own snapshot, taken once the
    lock is held) then reads what the update before it committed, draft included."""
    return (select(ChatSession.id)
            .where(ChatSession.channel == bindparam("channel"), ChatSession.chat_user_id == bindparam("chat_user_id"))
            .with_for_update())


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


def save(session: ChatSession, new: Conversation, now: datetime) -> None:
    """Write what the engine decided, with the conversation's version check: a racing update of this
    resident raises StaleDataError here and `receive` runs this one again."""
    write_versioned(session, state=new.state, language=new.language, opted_out=new.opted_out,
                    campaign_id=new.campaign_id, invitation_code_id=new.invitation_id, last_inbound_at=now)


def warm_up() -> None:
    """Run the chat update's hot statements once in this process, writing nothing (the writes are rolled back).

    A fresh gunicorn worker's first updates otherwise compile their SQL and set up the ORM's loaders while
    residents wait (bots.webhooks.warm_up, called by gunicorn's post_worker_init, runs this)."""
    now = utcnow()  # naive UTC, as receive stores it
    try:
        record("warm-up", "warm-up", now)
        session, _, _ = load("warm-up", "warm-up")  # no such conversation: the SELECT, then an INSERT
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
