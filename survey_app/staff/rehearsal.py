"""/staff/try-bot: staff rehearse the chat survey in the browser, with the same engine as Telegram and Zalo.

Works without JavaScript: a form posts one message (or one button) and the page shows the bot's
answers. The practice form ("/start thu") runs on the officer's commune and stores nothing into the
counts. A real household code typed here is refused (bots.conversation): the one way staff file a
household's answers is the paper entry, audited and marked with who typed it. Wrong codes count against
the officer's account as they count against a resident's chat.
"""
from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..extensions import db
from ..models import AdminUnit, Campaign, OutboundMessage, UnitLevel
from ..models._common import utcnow
from ..services.auth import current_staff
from ..services.outbox import OutboxStatus
from . import bp
from .views import login_required

CHANNEL = "rehearsal"
SHOWN = 12  # bot messages kept on the page
LAST_SENT = "try_bot_last"


def _chat_user() -> str:
    return f"staff-{current_staff().id}"


def practice_commune_id() -> int | None:
    """The officer's own commune, or for province staff and admins the commune of the latest campaign."""
    user = current_staff()
    unit = db.session.get(AdminUnit, user.unit_id) if user.unit_id else None
    if unit is not None and unit.level == UnitLevel.COMMUNE:
        return unit.id
    stmt = select(Campaign.commune_id).join(AdminUnit, Campaign.commune_id == AdminUnit.id)
    if unit is not None:
        stmt = stmt.where(AdminUnit.parent_id == unit.id)
    return db.session.execute(stmt.order_by(Campaign.opens_on.desc()).limit(1)).scalar_one_or_none()


def _shown_messages() -> list[OutboundMessage]:
    stmt = (select(OutboundMessage).where(OutboundMessage.channel == CHANNEL,
                                          OutboundMessage.chat_user_id == _chat_user())
            .order_by(OutboundMessage.id.desc()).limit(SHOWN))
    return list(reversed(db.session.execute(stmt).scalars().all()))


def _mark_shown(ids: list[int]) -> None:
    """The page is this channel's screen: its rows are delivered by being shown, never by a sender."""
    if ids:
        db.session.execute(update(OutboundMessage).where(OutboundMessage.id.in_(ids))
                           .values(status=OutboxStatus.SENT, sent_at=utcnow()))
        db.session.commit()


@bp.route("/try-bot", methods=["GET", "POST"])
@login_required
def try_bot():
    """Chat with the survey bot as a resident would; the practice form is never counted."""
    from bots.conversation import receive
    from bots.inbound import transient
    from bots.messages import Event, EventKind

    if request.method == "POST":  # CSRFProtect has checked the token
        payload, text = request.form.get("payload", ""), request.form.get("message", "")[:2000]
        if request.form.get("start"):
            event = Event(EventKind.START, "thu")
        elif payload:
            event = Event(EventKind.BUTTON, payload[:64])
        else:
            event = Event(EventKind.TEXT, text)
        session[LAST_SENT] = {"start": "/start thu", "payload": payload}.get(
            "start" if request.form.get("start") else "payload" if payload else "", text)[:300]
        try:
            ids = receive(CHANNEL, f"{_chat_user()}:{request.form.get('event_id', '')[:40]}", _chat_user(), event,
                          practice_commune_id=practice_commune_id())
        except Exception as exc:
            if not transient(exc):
                raise
            # another tab's message held this conversation too long, or the database is away: nothing was kept
            flash(_("Tin nhắn chưa được gửi vì hệ thống đang bận. Xin gửi lại."), "error")
            return redirect(url_for("staff.try_bot"))
        _mark_shown(ids)
        return redirect(url_for("staff.try_bot"))
    messages = _shown_messages()
    buttons = next((m.payload["buttons"] for m in reversed(messages) if m.payload.get("buttons")), [])
    latest_buttons = messages[-1].payload.get("buttons", []) if messages else []
    return render_template("staff/rehearsal.html", messages=messages, buttons=latest_buttons or buttons,
                           last_sent=session.get(LAST_SENT), event_id=secrets.token_urlsafe(12),
                           has_commune=practice_commune_id() is not None)
