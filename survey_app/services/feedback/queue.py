"""The staff review queue: reading feedback within a staff member's scope, always filtered in SQL.

Every query starts from `scoped(user)`: the commune (or, for a province officer, the province) id kept
on each Feedback row, never a walk up the unit tree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, select

from survey_app.auth import scope_filter
from survey_app.extensions import db
from survey_app.models import (
    AdminUnit,
    Feedback,
    FeedbackReply,
    FeedbackStatus,
    Question,
    Response,
    StaffUser,
    UnitLevel,
)
from survey_app.services.clock import today_in_vietnam
from survey_app.services.survey.flow import target_for_code
from survey_app.text import fold
from survey_app.vocabulary import NEEDS_REVIEW

OPEN = (FeedbackStatus.NEW, FeedbackStatus.IN_PROGRESS)
PER_PAGE = 50
LABEL = func.coalesce(Feedback.confirmed_label, Feedback.predicted_label)


@dataclass
class QueueFilter:
    field: str | None = None
    status: str | None = None
    hamlet_id: int | None = None
    channel: str | None = None
    source: str | None = None
    review_first: bool = False  # "cần xem xét" first, then the least confident
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None
    overdue: bool = False
    page: int = 1


def in_scope(user: StaffUser):
    return scope_filter(user, Feedback.commune_id, Feedback.province_id)


def _conditions(user: StaffUser, f: QueueFilter, *, with_field: bool = True) -> list:
    where = [in_scope(user)]
    if with_field and f.field:
        where.append(LABEL == f.field)
    if f.status:
        where.append(Feedback.status == f.status)
    if f.hamlet_id:
        where.append(Feedback.unit_id == f.hamlet_id)
    if f.channel:
        where.append(Feedback.channel == f.channel)
    if f.source:
        where.append(Feedback.source == f.source)
    if f.date_from:
        where.append(Feedback.created_at >= datetime.combine(f.date_from, time.min))
    if f.date_to:
        where.append(Feedback.created_at < datetime.combine(f.date_to + timedelta(days=1), time.min))
    if f.search and fold(f.search).strip():
        pattern = "%" + fold(f.search).strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(Feedback.text_folded.like(pattern, escape="\\"))
    if f.overdue:
        where.append(and_(Feedback.status.in_(OPEN), Feedback.due_on < today_in_vietnam()))
    return where


def queue_page(user: StaffUser, f: QueueFilter) -> tuple[list[Feedback], bool]:
    """One page of feedback rows (and whether a next page exists): one query, LIMIT per_page + 1."""
    order = [Feedback.created_at.desc(), Feedback.id.desc()]
    if f.review_first:
        order = [case((LABEL == NEEDS_REVIEW, 0), else_=1), Feedback.confidence.asc().nulls_first()] + order
    stmt = (select(Feedback).where(*_conditions(user, f)).order_by(*order)
            .limit(PER_PAGE + 1).offset((max(f.page, 1) - 1) * PER_PAGE))
    rows = db.session.execute(stmt).scalars().all()
    return rows[:PER_PAGE], len(rows) > PER_PAGE


def field_counts(user: StaffUser, f: QueueFilter) -> dict[str, int]:
    """How many rows per field under the other filters (GROUP BY in SQL)."""
    # Grouped by the two plain columns (an index-only scan of ix_feedback_province_label), then the
    # few groups (fields × corrections, at most ~200) are merged: confirmed wins over predicted.
    stmt = (select(Feedback.confirmed_label, Feedback.predicted_label, func.count())
            .where(*_conditions(user, f, with_field=False))
            .group_by(Feedback.predicted_label, Feedback.confirmed_label))
    counts: dict[str, int] = {}
    for confirmed, predicted, n in db.session.execute(stmt):
        label = confirmed or predicted or NEEDS_REVIEW
        counts[label] = counts.get(label, 0) + n
    return counts


def get(user: StaffUser, feedback_id: int) -> Feedback | None:
    """The feedback if it is in the user's scope, else None (the same answer as a missing id)."""
    return db.session.execute(
        select(Feedback).where(Feedback.id == feedback_id, in_scope(user))
    ).scalar_one_or_none()


def similar_open(feedback: Feedback, limit: int = 5) -> list[Feedback]:
    """Open feedback of the same hamlet and field, newest first."""
    label = feedback.confirmed_label or feedback.predicted_label
    return db.session.execute(
        select(Feedback).where(Feedback.unit_id == feedback.unit_id, Feedback.id != feedback.id,
                               Feedback.status.in_(OPEN), LABEL == label,
                               Feedback.commune_id == feedback.commune_id)
        .order_by(Feedback.created_at.desc()).limit(limit)
    ).scalars().all()


def question_of(feedback: Feedback) -> Question | None:
    return db.session.get(Question, feedback.question_id) if feedback.question_id else None


def hamlets_in_scope(user: StaffUser) -> list[AdminUnit]:
    """Hamlets the user may filter by (for a province officer, those of its communes)."""
    commune = AdminUnit.__table__.alias("commune")
    stmt = (select(AdminUnit).join(commune, commune.c.id == AdminUnit.parent_id)
            .where(AdminUnit.level == UnitLevel.HAMLET, AdminUnit.valid_to.is_(None)).order_by(AdminUnit.name))
    if user.role == "province":
        stmt = stmt.where(commune.c.parent_id == user.unit_id)
    elif user.role != "admin":
        stmt = stmt.where(AdminUnit.parent_id == user.unit_id)
    return db.session.execute(stmt.limit(500)).scalars().all()


def assignable_staff(user: StaffUser, feedback_commune_id: int | None) -> list[StaffUser]:
    """Active staff of the feedback's commune (the only people it can be assigned to)."""
    return db.session.execute(
        select(StaffUser).where(StaffUser.active.is_(True), StaffUser.unit_id == feedback_commune_id)
        .order_by(StaffUser.username)
    ).scalars().all()


def names_of(user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    rows = db.session.execute(select(StaffUser.id, StaffUser.username).where(StaffUser.id.in_(ids)))
    return dict(rows.all())


def household_replies(typed_code: str) -> list[tuple[Feedback, list]]:
    """A household's own feedback and staff replies, found by its invitation code (UnknownCode if none).

    Only that household's rows (Response.household_id), never names or other households."""
    target = target_for_code(typed_code)
    household_id = target.invitation.household_id
    items = db.session.execute(
        select(Feedback).join(Response, Response.id == Feedback.response_id)
        .where(Response.household_id == household_id).order_by(Feedback.created_at.desc()).limit(100)
    ).scalars().all()
    replies: dict[int, list] = {f.id: [] for f in items}
    if items:
        for r in db.session.execute(select(FeedbackReply).where(FeedbackReply.feedback_id.in_(list(replies)))
                                    .order_by(FeedbackReply.created_at)).scalars():
            replies[r.feedback_id].append(r)
    return [(f, replies[f.id]) for f in items]
