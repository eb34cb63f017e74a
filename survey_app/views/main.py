"""Health check and the front door."""
from flask import Blueprint, jsonify, redirect, render_template
from flask_babel import gettext as _
from sqlalchemy import text

from survey_app.services.survey.flow import target_for_code

from .. import ratelimit
from ..errors import UnknownCode
from ..extensions import db
from ..forms import CodeForm
from .survey import GUESSES, code_url

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness and database reachability, for load balancers and operators."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - report any database failure as unhealthy
        db.session.rollback()
        return jsonify(status="error", database=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")


@bp.route("/", methods=["GET", "POST"])
def index():
    """Home page: one box to type the code from the slip."""
    form = CodeForm()
    if form.validate_on_submit():
        try:
            target_for_code(form.code.data)
        except UnknownCode:
            refused = ratelimit.wrong_attempt(GUESSES)
            if refused is not None:
                return refused
            form.code.errors.append(_("Không tìm thấy mã này. Xin xem lại từng chữ trên phiếu mời."))
        else:
            return redirect(code_url(form.code.data))
    return render_template("main/index.html", form=form)
