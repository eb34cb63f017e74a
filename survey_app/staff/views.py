"""Sign in, sign out, and the list of campaigns a staff member may see."""
from functools import wraps

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import ratelimit
from ..extensions import db
from ..models import AdminUnit, Campaign, StaffRole, StaffUser
from ..services.audit import record
from ..services.auth import SESSION_KEY, can_see, current_staff
from . import bp
from .forms import LoginForm


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_staff() is None:
            return redirect(url_for("staff.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a username and password (attempts are rate-limited per client)."""
    form = LoginForm()
    if form.validate_on_submit():
        ratelimit.check("RATELIMIT_STAFF_LOGIN")
        user = db.session.execute(
            select(StaffUser).where(StaffUser.username == form.username.data.strip())
        ).scalar_one_or_none()
        if user is None or not user.active or not user.check_password(form.password.data):
            ratelimit.count("RATELIMIT_STAFF_LOGIN")
            form.password.errors.append(_("Tên đăng nhập hoặc mật khẩu không đúng."))
        else:
            session.clear()
            session[SESSION_KEY] = user.id
            record(user.id, "login", "staff_user", user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("staff/login.html", form=form)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never bounce a signed-in officer to another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("staff.dashboard")


@bp.post("/logout")
def logout():
    """Sign out."""
    session.pop(SESSION_KEY, None)
    flash(_("Đã đăng xuất."))
    return redirect(url_for("staff.login"))


@bp.get("/")
@login_required
def dashboard():
    """Campaigns of the units this officer is responsible for."""
    user = current_staff()
    stmt = select(Campaign).join(AdminUnit, Campaign.commune_id == AdminUnit.id).order_by(Campaign.opens_on.desc())
    if user.role != StaffRole.ADMIN:
        stmt = stmt.where((AdminUnit.id == user.unit_id) | (AdminUnit.parent_id == user.unit_id))
    campaigns = [c for c in db.session.execute(stmt).scalars() if can_see(user, c.commune)]
    return render_template("staff/dashboard.html", user=user, campaigns=campaigns)
