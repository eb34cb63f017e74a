"""Admin pages: staff accounts, the audit log (and its CSV export), retraining the classifier."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey_app.auth import current_staff
from survey_app.services.feedback import retraining as retrain_jobs
from survey_app.services.staff import audit, users

from ..errors import DomainError
from ..models import StaffRole
from .access import roles_required
from .blueprint import bp
from .forms import AccountForm, ToggleForm
from .query import arg_page, arg_text

ROLE_NAMES = {StaffRole.ADMIN: _l("Quản trị"), StaffRole.PROVINCE: _l("Cán bộ tỉnh"),
              StaffRole.COMMUNE: _l("Lãnh đạo xã / Ban MTTQ"), StaffRole.STAFF: _l("Cán bộ xã")}


@bp.route("/accounts", methods=["GET", "POST"])
@roles_required(StaffRole.ADMIN)
def accounts():
    """List accounts; create one (its password is shown once)."""
    form = AccountForm()
    form.role.choices = [(r, ROLE_NAMES[r]) for r in StaffRole.ALL]
    created = None
    if form.validate_on_submit():
        try:
            user, password = users.create_account(current_staff(), form.username.data.strip(),
                                                   role=form.role.data, unit_code=form.unit_code.data,
                                                   full_name=form.full_name.data or "")
        except DomainError as exc:
            form.unit_code.errors.append(str(exc))
        else:
            created = (user.username, password)
    accounts = users.list_accounts()
    return render_template("staff/accounts.html", form=form, created=created, accounts=accounts,
                           locks=users.sign_in_locks(accounts), toggle=ToggleForm(), role_names=ROLE_NAMES)


@bp.post("/accounts/<int:user_id>/active")
@roles_required(StaffRole.ADMIN)
def account_active(user_id: int):
    """Enable or disable an account (disabling ends its sessions)."""
    if not ToggleForm().validate_on_submit():
        abort(400)
    try:
        users.set_active(current_staff(), user_id, request.form.get("active") == "1")
    except DomainError as exc:
        flash(str(exc), "error")
    return redirect(url_for("staff.accounts"))


@bp.post("/accounts/<int:user_id>/unlock")
@roles_required(StaffRole.ADMIN)
def account_unlock(user_id: int):
    """Let an account locked by wrong passwords sign in again now."""
    if not ToggleForm().validate_on_submit():
        abort(400)
    try:
        user = users.unlock(current_staff(), user_id)
    except DomainError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Đã mở khóa đăng nhập cho %(name)s.", name=user.username))
    return redirect(url_for("staff.accounts"))


@bp.get("/audit")
@roles_required(StaffRole.ADMIN)
def audit_log():
    """Who did what and when, newest first."""
    page, action, username = arg_page(), arg_text("action"), arg_text("user")
    rows, has_next = audit.page(action=action, username=username, page=page)
    return render_template("staff/audit.html", rows=rows, has_next=has_next, page=page,
                           action=action or "", username=username or "")


@bp.get("/audit.csv")
@roles_required(StaffRole.ADMIN)
def audit_csv():
    """The audit log as CSV (streamed; the query runs before the first byte, so a failure is a plain error page)."""
    body = audit.export_csv(action=arg_text("action"), username=arg_text("user"))
    return Response(stream_with_context(body), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=nhat-ky-thao-tac.csv"})


@bp.route("/model", methods=["GET", "POST"])
@roles_required(StaffRole.ADMIN)
def model():
    """Classifier versions with their figures; start a retrain; make a version current."""
    if request.method == "POST" and ToggleForm().validate_on_submit():
        if request.form.get("do") == "retrain":
            retrain_jobs.start(current_staff())
            flash(_("Đã bắt đầu huấn luyện lại; tải lại trang sau ít phút để xem kết quả."))
        elif request.form.get("version"):
            try:
                retrain_jobs.promote(current_staff(), request.form["version"])
            except Exception as exc:  # noqa: BLE001 - an unknown version is shown, not a 500
                flash(str(exc), "error")
        return redirect(url_for("staff.model"))
    return render_template("staff/model.html", versions=retrain_jobs.versions(), form=ToggleForm(),
                           corrections=retrain_jobs.corrections_count())
