"""/staff/try-bot: staff rehearse the chat survey in the browser; the channel itself is bots.rehearsal.

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
from sqlalchemy import select

from bots import rehearsal
from survey_app.auth import current_staff

from ..extensions import db
from ..models import AdminUnit, Campaign, UnitLevel
from .blueprint import bp
from .views import login_required

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


@bp.route("/try-bot", methods=["GET", "POST"])
@login_required
def try_bot():
    """Chat with the survey bot as a resident would; the practice form is never counted."""
    if request.method == "POST":  # CSRFProtect has checked the token
        payload, text = request.form.get("payload", ""), request.form.get("message", "")[:2000]
        session[LAST_SENT] = {"start": f"/start {rehearsal.PRACTICE}", "payload": payload}.get(
            "start" if request.form.get("start") else "payload" if payload else "", text)[:300]
        inbound = rehearsal.parse({**request.form.to_dict(), "chat_user_id": _chat_user()})
        if not rehearsal.receive(inbound, practice_commune_id()):
            flash(_("Tin nhắn chưa được gửi vì hệ thống đang bận. Xin gửi lại."), "error")
        return redirect(url_for("staff.try_bot"))
    messages = rehearsal.shown(_chat_user())
    buttons = next((m.payload["buttons"] for m in reversed(messages) if m.payload.get("buttons")), [])
    latest_buttons = messages[-1].payload.get("buttons", []) if messages else []
    return render_template("staff/rehearsal.html", messages=messages, buttons=latest_buttons or buttons,
                           last_sent=session.get(LAST_SENT), event_id=secrets.token_urlsafe(12),
                           has_commune=practice_commune_id() is not None)
