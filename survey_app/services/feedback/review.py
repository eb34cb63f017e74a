"""Staff actions on feedback: confirm/correct the field, assign, move status, note, reply, in bulk.

Each action is one transaction: the change and its audit row (before/after) commit together. Every
lookup is filtered by the staff member's scope in SQL, so an id from another commune is simply not
found — whether it came from a URL, a tampered form or a bulk selection.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey_app.errors import DomainError
from survey_app.extensions import db
from survey_app.models import ChatSession, Feedback, FeedbackReply, FeedbackStatus, StaffUser
from survey_app.services.feedback.queue import get, in_scope
from survey_app.services.outbox import dispatch, enqueue
from survey_app.services.staff.audit import record
from survey_app.vocabulary import LABELS

NEXT_STATUS = {
    FeedbackStatus.NEW: {FeedbackStatus.IN_PROGRESS, FeedbackStatus.RESOLVED, FeedbackStatus.REJECTED},
    FeedbackStatus.IN_PROGRESS: {FeedbackStatus.RESOLVED, FeedbackStatus.REJECTED},
    FeedbackStatus.RESOLVED: {FeedbackStatus.IN_PROGRESS},
    FeedbackStatus.REJECTED: {FeedbackStatus.IN_PROGRESS},
}


class NotFound(DomainError):
    code = "not_found"


def _load(user: StaffUser, feedback_id: int) -> Feedback:
    feedback = get(user, feedback_id)
    if feedback is None:
        raise NotFound(_l("Không tìm thấy ý kiến này."))
    return feedback


def _audit(user: StaffUser, action: str, feedback: Feedback, **details) -> None:
    record(user.id, action, "feedback", feedback.id, commune_id=feedback.commune_id, **details)


def set_label(user: StaffUser, feedback_id: int, label: str) -> Feedback:
    """Confirm or correct the field; kept as training data (Feedback.confirmed_label)."""
    if label not in LABELS:
        raise DomainError(_l("Lĩnh vực không hợp lệ."))
    feedback = _load(user, feedback_id)
    _apply_label(user, feedback, label)
    db.session.commit()
    return feedback


def _apply_label(user, feedback, label):
    before = feedback.confirmed_label or feedback.predicted_label
    feedback.confirmed_label = label
    _audit(user, "feedback_label", feedback, before={"label": before}, after={"label": label})


def assign(user: StaffUser, feedback_id: int, assignee_id: int | None) -> Feedback:
    feedback = _load(user, feedback_id)
    _apply_assign(user, feedback, _assignee(feedback.commune_id, assignee_id))
    db.session.commit()
    return feedback


def _assignee(commune_id: int | None, assignee_id: int | None) -> int | None:
    """Only an active account of the feedback's own commune can be given it."""
    if assignee_id is None:
        return None
    found = db.session.execute(select(StaffUser.id).where(
        StaffUser.id == assignee_id, StaffUser.active.is_(True), StaffUser.unit_id == commune_id)).scalar()
    if found is None:
        raise DomainError(_l("Chỉ giao được cho cán bộ của xã này."))
    return found


def _apply_assign(user, feedback, assignee_id):
    before = feedback.assigned_to_id
    feedback.assigned_to_id = assignee_id
    if feedback.status == FeedbackStatus.NEW and assignee_id:
        feedback.status = FeedbackStatus.IN_PROGRESS
    _audit(user, "feedback_assign", feedback, before={"assigned_to_id": before},
           after={"assigned_to_id": assignee_id})


def set_status(user: StaffUser, feedback_id: int, status: str) -> Feedback:
    feedback = _load(user, feedback_id)
    _apply_status(user, feedback, status)
    db.session.commit()
    return feedback


def _apply_status(user, feedback, status):
    if status not in NEXT_STATUS.get(feedback.status, ()):
        raise DomainError(_l("Không chuyển được sang trạng thái này."))
    before = feedback.status
    feedback.status = status
    _audit(user, "feedback_status", feedback, before={"status": before}, after={"status": status})


def add_note(user: StaffUser, feedback_id: int, text: str) -> None:
    """An internal note (never shown to the resident), kept in the feedback's history."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Ghi chú trống."))
    feedback = _load(user, feedback_id)
    _audit(user, "feedback_note", feedback, note=text[:2000])
    db.session.commit()


def reply(user: StaffUser, feedback_id: int, text: str) -> FeedbackReply:
    """Answer the resident through the channel they used: a chat message through the outbox, or a reply
    that web and paper residents read on the household-code page. Sent after the commit."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Nội dung trả lời trống."))
    feedback = _load(user, feedback_id)
    answer = FeedbackReply(feedback_id=feedback.id, staff_user_id=user.id, text=text[:2000])
    db.session.add(answer)
    message_id = None
    if feedback.chat_session_id:
        chat = db.session.get(ChatSession, feedback.chat_session_id)
        if chat is not None and not chat.opted_out:
            message_id = enqueue(chat.channel, chat.chat_user_id, text[:2000])
            answer.outbound_message_id = message_id
    if feedback.status == FeedbackStatus.NEW:
        feedback.status = FeedbackStatus.IN_PROGRESS
    _audit(user, "feedback_reply", feedback, text=text[:2000], via=feedback.channel,
           outbound_message_id=message_id)
    db.session.commit()
    if message_id is not None:
        dispatch([message_id])
    return answer


def bulk(user: StaffUser, ids: Iterable[int], action: str, value: str | None) -> int:
    """Apply one action to many rows; ids outside the user's scope are dropped in SQL. Returns how many."""
    wanted = {int(i) for i in ids}
    if not wanted:
        return 0
    rows = db.session.execute(select(Feedback).where(Feedback.id.in_(wanted), in_scope(user))
                              .order_by(Feedback.id)).scalars().all()
    done = 0
    try:
        for feedback in rows:
            done += _bulk_one(user, feedback, action, value)
    except (DomainError, ValueError):
        db.session.rollback()  # all or nothing
        raise
    db.session.commit()
    return done


def _bulk_one(user, feedback, action, value) -> int:
    if action == "confirm":
        label = value if value in LABELS else (feedback.confirmed_label or feedback.predicted_label)
        if label not in LABELS:  # "cần xem xét" is not a field: it needs a person to choose one
            return 0
        _apply_label(user, feedback, label)
    elif action == "assign":
        _apply_assign(user, feedback, _assignee(feedback.commune_id, int(value) if value else None))
    elif action == "close":
        status = value if value in (FeedbackStatus.RESOLVED, FeedbackStatus.REJECTED) else FeedbackStatus.RESOLVED
        if status not in NEXT_STATUS.get(feedback.status, ()):
            return 0
        _apply_status(user, feedback, status)
    else:
        raise DomainError(_l("Thao tác không hợp lệ."))
    return 1
