"""Who the signed-in staff member is (Flask-Login), signing in and out, and which units they may see.

The session stores "<user id>:<session token>"; sign-out, a password change or disabling the account
renews the token, so a copied cookie stops working. A session is also tied to the browser that signed in
(its User-Agent): the cookie replayed from another browser is treated as signed out. Sessions end after
SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in, whatever happens.
"""
from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from flask import current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from survey_app import ratelimit
from survey_app.extensions import db
from survey_app.models import AdminUnit, StaffRole, StaffUser
from survey_app.services.staff.audit import record

login_manager = LoginManager()
# Flask-Login's "strong" protection does nothing for a permanent session (ours are, for SESSION_MAX_HOURS: it
# only marks them not fresh), and its identifier hashes the address, which changes on officers' mobile data.
# The browser binding is done in _load_user instead.
login_manager.session_protection = None
login_manager.login_view = "staff.login"
# An unknown user is checked against this hash too, so both answers take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-just-for-equal-timing")
SIGNED_IN_AT, SEEN_AT, BROWSER = "staff_signed_in_at", "staff_seen_at", "staff_browser"
# Wrong passwords are counted per typed name and, with a much higher bar, per address (OWASP's pattern).
ACCOUNT_LIMIT, ADDRESS_LIMIT = "RATELIMIT_STAFF_LOGIN", "RATELIMIT_STAFF_LOGIN_ADDRESS"


@login_manager.user_loader
def _load_user(user_id: str) -> StaffUser | None:
    staff_id, _, token = user_id.partition(":")
    if not staff_id.isdigit() or not token:
        return None
    user = db.session.get(StaffUser, int(staff_id))
    if user is None or not user.active or user.session_token != token or _expired() or not _same_browser():
        return None
    session[SEEN_AT] = int(time.time())
    return user


def _expired() -> bool:
    now = time.time()
    idle = current_app.config.get("SESSION_IDLE_MINUTES", 60) * 60
    absolute = current_app.config.get("SESSION_MAX_HOURS", 12) * 3600
    return now - session.get(SEEN_AT, 0) > idle or now - session.get(SIGNED_IN_AT, 0) > absolute


def _browser() -> str:
    """A short digest of this request's User-Agent (kept in the session, which is signed but readable)."""
    return hashlib.sha256(request.headers.get("User-Agent", "").encode()).hexdigest()[:32]


def _same_browser() -> bool:
    return session.get(BROWSER) == _browser()


def authenticate(username: str, password: str) -> StaffUser | None:
    """The active account with this name and password, or None; the same work is done either way."""
    user = db.session.execute(
        select(StaffUser).where(StaffUser.username == username.strip())
    ).scalar_one_or_none()
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    return user if ok and user is not None and user.active else None


def login_key(username: str) -> str:
    """The name wrong passwords are counted under, whether or not such an account exists."""
    return username.strip().casefold()


def authenticate_limited(username: str, password: str) -> StaffUser | None:
    """authenticate(), refused (RateLimited) while this address or this typed name must wait.

    A locked account does not lock its colleagues behind the same office NAT; only an address past its
    much higher bar (password spraying) waits whatever account it names.
    """
    key = login_key(username)
    ratelimit.check(ADDRESS_LIMIT)
    wait = ratelimit.wait_seconds(ACCOUNT_LIMIT, key)
    if wait:
        raise ratelimit.RateLimited(wait, hint=_("Hoặc nhờ quản trị viên mở khóa tài khoản."))
    user = authenticate(username, password)
    if user is None:
        ratelimit.count(ADDRESS_LIMIT)
        ratelimit.count(ACCOUNT_LIMIT, key)
    else:
        ratelimit.clear(ACCOUNT_LIMIT, key)
    return user


def login_wait(username: str) -> int:
    """Seconds this account must still wait before a password is checked again (0 = not locked)."""
    return ratelimit.wait_seconds(ACCOUNT_LIMIT, login_key(username))


def unlock_login(username: str) -> None:
    """Forget this account's wrong passwords (the caller audits and commits)."""
    ratelimit.clear(ACCOUNT_LIMIT, login_key(username))


def sign_in(user: StaffUser) -> None:
    """Start a fresh session for this user (one transaction: token and audit row)."""
    if not user.session_token:
        user.new_session_token()
    record(user.id, "login", "staff_user", user.id)
    db.session.commit()
    session.clear()
    session.permanent = True
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time())
    session[BROWSER] = _browser()
    login_user(user)


def sign_out() -> None:
    """End this session and revoke every copy of its cookie."""
    user = current_staff()
    if user is not None:
        user.new_session_token()
        record(user.id, "logout", "staff_user", user.id)
        db.session.commit()
    logout_user()
    session.clear()


def current_staff() -> StaffUser | None:
    user = current_user._get_current_object() if current_user else None
    return user if isinstance(user, StaffUser) else None


def can_see(user: StaffUser | None, unit: AdminUnit | None) -> bool:
    """Admins see all; others see their own unit and everything below it (at most three levels)."""
    if user is None or unit is None:
        return False
    if user.role == StaffRole.ADMIN:
        return True
    node, depth = unit, 0
    while node is not None and depth < 4:
        if node.id == user.unit_id:
            return True
        node, depth = node.parent, depth + 1
    # A commune merged on 1/7/2025 is read by its successor's staff.
    return unit.merged_into is not None and can_see(user, unit.merged_into)


def current_staff_can_see(unit: AdminUnit) -> bool:
    return can_see(current_staff(), unit)


def scope_filter(user: StaffUser, commune_col, province_col):
    """The SQL condition limiting rows (with commune and province id columns) to what `user` may see."""
    if user.role == StaffRole.ADMIN:
        return db.true()
    if user.role == StaffRole.PROVINCE:
        return province_col == user.unit_id
    return commune_col == user.unit_id


def commune_scope(user: StaffUser):
    """SQL condition on AdminUnit (a commune) for what `user` may see: itself, or communes of the province."""
    if user.role == StaffRole.ADMIN:
        return db.true()
    return or_(AdminUnit.id == user.unit_id, AdminUnit.parent_id == user.unit_id)


class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is `Secure` whenever the request came over HTTPS (ProxyFix tells behind a proxy)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or (has_request_context() and request.is_secure)

    def open_session(self, app, request):
        """Platforms' webhooks carry no cookie and get none: no signer built, nothing saved, no `Vary`."""
        if _is_webhook(app, request.path):
            return self.make_null_session(app)
        return super().open_session(app, request)


WEBHOOKS_BLUEPRINT = "bots"  # bots.webhooks: the platforms' endpoints


def _is_webhook(app, path: str) -> bool:
    """Whether the path is one of the webhooks blueprint's URLs. The session opens before the URL is
    matched (`request.blueprint` is not known yet), so the blueprint's paths are read from the URL map,
    once: every route is added before the first request."""
    paths = app.extensions.get("webhook_paths")
    if paths is None:
        paths = app.extensions["webhook_paths"] = tuple(
            rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(WEBHOOKS_BLUEPRINT + "."))
    return path.startswith(paths)


def init_app(app) -> None:
    login_manager.init_app(app)
    app.session_interface = _SessionInterface()
    app.jinja_env.globals["current_staff"] = current_staff
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=app.config.get("SESSION_MAX_HOURS", 12)))
