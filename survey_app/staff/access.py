"""Who may open a staff page: signed in (Flask-Login), and with one of the roles a page names."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for

from ..models import StaffRole
from ..services.auth import current_staff

__all__ = ["login_required", "roles_required", "safe_next", "StaffRole"]


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
