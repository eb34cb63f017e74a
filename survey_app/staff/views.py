"""Sign in, sign out, change one's password, and the campaigns a staff member may see."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app.auth import authenticate, authenticate_limited, commune_scope, current_staff, sign_in, sign_out
from survey_app.services.staff import users

from ..extensions import db
from ..models import AdminUnit, Campaign
from .access import login_required, roles_required, safe_next  # noqa: F401  (re-exported for others)
from .blueprint import bp
from .forms import LoginForm, PasswordForm


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a username and password (wrong ones are limited per account and per address)."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate_limited(form.username.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Tên đăng nhập hoặc mật khẩu không đúng."))
        else:
            sign_in(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("staff/login.html", form=form)


@bp.post("/logout")
def logout():
    """Sign out: this session and every copy of its cookie stop working."""
    sign_out()
    flash(_("Đã đăng xuất."))
    return redirect(url_for("staff.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; other sessions of this account are signed out."""
    form = PasswordForm()
    user = current_staff()
    if form.validate_on_submit():
        if authenticate(user.username, form.current.data) is None:
            form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
        else:
            try:
                users.change_password(user, form.new.data)
            except users.DomainError as exc:
                form.new.errors.append(str(exc))
            else:
                sign_in(user)
                flash(_("Đã đổi mật khẩu."))
                return redirect(url_for("staff.dashboard"))
    return render_template("staff/password.html", form=form)


@bp.get("/")
@login_required
def dashboard():
    """Campaigns of the communes this officer is responsible for (scope filtered in SQL)."""
    user = current_staff()
    stmt = (select(Campaign).join(AdminUnit, Campaign.commune_id == AdminUnit.id)
            .where(commune_scope(user)).order_by(Campaign.opens_on.desc()))
    campaigns = db.session.execute(stmt).scalars().all()
    return render_template("staff/dashboard.html", user=user, campaigns=campaigns)
