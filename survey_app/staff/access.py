"""Who may open a staff page: signed in (Flask-Login), with one of the roles a page names, and for a campaign
within the officer's scope.

An object outside the scope answers 404, exactly as one that does not exist, so no page tells which ids
exist elsewhere; 403 is kept for an object the officer can see but whose role may not use that page.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for

from survey_app.auth import can_see, current_staff

from ..extensions import db
from ..models import AdminUnit, Campaign, StaffRole, StaffUser

__all__ = ["campaign_in_scope", "login_required", "may_manage", "roles_required", "safe_next", "StaffRole"]


def login_required(view):
    """Send anyone not signed in (or whose session expired or was revoked) to the sign-in page."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_staff() is None:
            return redirect(url_for("staff.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped


def roles_required(*roles: str):
    """Signed in with one of `roles` (admins always pass); others get 403."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_staff()
            if user is None:
                return redirect(url_for("staff.login", next=request.path))
            if user.role != StaffRole.ADMIN and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def safe_next(target: str | None) -> str:
    """A path inside /staff only: no scheme, host, backslash or control character (tab, CR, LF)."""
    fallback = url_for("staff.dashboard")
    if not target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target) or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not (parts.path == "/staff" or parts.path.startswith("/staff/")):
        return fallback
    return target


def may_manage(user: StaffUser, commune: AdminUnit) -> bool:
    """Admins, and the managers (Front committee) of this very commune."""
    return user.role == StaffRole.ADMIN or (user.role == StaffRole.COMMUNE and user.unit_id == commune.id)


def campaign_in_scope(campaign_id: int, *, manage: bool = False) -> Campaign:
    """The campaign if the signed-in officer can see its commune (404 otherwise, as for no campaign at all).

    Commune staff work the feedback queue only: campaign pages, reports and exports are 403 to them, as
    is any change (`manage`) by someone other than an admin or the commune's own managers."""
    user = current_staff()
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not can_see(user, campaign.commune):
        abort(404)
    if user.role == StaffRole.STAFF or (manage and not may_manage(user, campaign.commune)):
        abort(403)
    return campaign
