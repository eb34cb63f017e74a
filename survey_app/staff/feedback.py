"""/staff/feedback: the review queue and one feedback's page with its actions (thin: parse, call, render)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from survey_app.auth import current_staff
from survey_app.services.feedback import queue, review
from survey_app.services.staff import audit

from ..errors import DomainError
from ..models import FeedbackSource, FeedbackStatus, StaffRole
from ..services.clock import today_in_vietnam
from ..vocabulary import CHANNEL_NAMES, CHANNELS, FIELD_NAMES, LABELS, NEEDS_REVIEW, SOURCE_NAMES, STATUS_NAMES
from .access import login_required, roles_required
from .blueprint import bp
from .query import arg_id, arg_page, arg_text, day, db_id

ACT = (StaffRole.COMMUNE, StaffRole.STAFF)  # province officers read; commune people act
NAMES = {**FIELD_NAMES, **STATUS_NAMES, **SOURCE_NAMES, **CHANNEL_NAMES}


@bp.app_context_processor
def _names():
    names = {key: str(value) for key, value in NAMES.items()}  # translated once per page, not per row
    return {"name_of": lambda key: names.get(key, key or "—"), "needs_review": NEEDS_REVIEW}


def _filter() -> queue.QueueFilter:
    a = request.args
    return queue.QueueFilter(
        field=arg_text("field"), status=a.get("status") if a.get("status") in FeedbackStatus.ALL else None,
        hamlet_id=arg_id("hamlet"), channel=a.get("channel") if a.get("channel") in CHANNELS else None,
        source=a.get("source") if a.get("source") in FeedbackSource.ALL else None,
        review_first=a.get("sort") == "review", date_from=a.get("from", type=day),
        date_to=a.get("to", type=day), search=(arg_text("q") or "")[:100] or None,
        overdue=a.get("overdue") == "1", page=arg_page())


@bp.get("/feedback")
@login_required
def feedback_queue():
    """The review queue: filters, counts per field, one page of rows."""
    user, f = current_staff(), _filter()
    rows, has_next = queue.queue_page(user, f)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("staff/feedback_queue.html", rows=rows, has_next=has_next, f=f, args=args,
                           counts=queue.field_counts(user, f), hamlets=queue.hamlets_in_scope(user),
                           labels=LABELS, statuses=FeedbackStatus.ALL, channels=CHANNELS,
                           sources=FeedbackSource.ALL, today=today_in_vietnam(),
                           assignees=queue.names_of(r.assigned_to_id for r in rows),
                           staff=queue.assignable_staff(user, user.unit_id), can_act=_can_act(user))


def _can_act(user) -> bool:
    return user.role in ACT or user.role == StaffRole.ADMIN


@bp.get("/feedback/<int:feedback_id>")
@login_required
def feedback_detail(feedback_id: int):
    """One feedback: its text (escaped), question, top-3, similar open ones, history and the action forms."""
    user = current_staff()
    item = queue.get(user, feedback_id)
    if item is None:
        abort(404)
    history = audit.history("feedback", item.id)
    return render_template("staff/feedback_detail.html", item=item, question=queue.question_of(item),
                           similar=queue.similar_open(item), history=history, labels=LABELS,
                           next_status=sorted(review.NEXT_STATUS.get(item.status, ())),
                           staff=queue.assignable_staff(user, item.commune_id), today=today_in_vietnam(),
                           assignee=queue.names_of([item.assigned_to_id]).get(item.assigned_to_id),
                           can_act=_can_act(user))


@bp.post("/feedback/<int:feedback_id>/<action>")
@roles_required(*ACT)
def feedback_action(feedback_id: int, action: str):
    """label | assign | status | note | reply — each one service call and one audit row."""
    user, form = current_staff(), request.form
    calls = {
        "label": lambda: review.set_label(user, feedback_id, form.get("label", "")),
        "assign": lambda: review.assign(user, feedback_id, _posted_id("assignee")),
        "status": lambda: review.set_status(user, feedback_id, form.get("status", "")),
        "note": lambda: review.add_note(user, feedback_id, form.get("note", "")),
        "reply": lambda: review.reply(user, feedback_id, form.get("text", "")),
    }
    if action not in calls:
        abort(404)
    try:
        done = calls[action]()
    except review.NotFound:
        abort(404)
    except DomainError as exc:
        flash(str(exc), "error")
    else:
        sending = action == "reply" and done.outbound_message_id is not None  # sent later, whatever Redis does
        flash(_("Đã lưu câu trả lời. Tin nhắn sẽ được gửi tới người dân qua kênh chat của họ.") if sending
              else _("Đã lưu."))
    return redirect(url_for("staff.feedback_detail", feedback_id=feedback_id))


@bp.post("/feedback/bulk")
@roles_required(*ACT)
def feedback_bulk():
    """Confirm, assign or close the ticked rows (ids outside the user's scope are ignored in SQL)."""
    ids = request.form.getlist("ids", type=db_id)  # ids the database cannot hold are no rows at all
    action, value = request.form.get("action", ""), request.form.get("value") or None
    if action == "assign" and value:
        value = str(_posted_id("value"))
    try:
        n = review.bulk(current_staff(), ids, action, value)
    except (DomainError, ValueError) as exc:
        flash(str(exc), "error")
    else:
        flash(_("Đã cập nhật %(n)d ý kiến.", n=n))
    return redirect(url_for("staff.feedback_queue", **{k: v for k, v in request.args.items()}))


def _posted_id(name: str) -> int | None:
    """A posted account id: None when left empty; one the database cannot hold is 0, nobody (refused)."""
    if not request.form.get(name):
        return None
    return request.form.get(name, 0, type=db_id)


@bp.app_template_filter("dict_without")
def _dict_without(args: dict, *keys: str) -> dict:
    return {k: v for k, v in args.items() if k not in keys}
