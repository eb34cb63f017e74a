"""/tra-loi: web and paper residents read the commune's replies with their household code."""
from flask import Blueprint, redirect, render_template, request, url_for

from survey_app.services.feedback.queue import household_replies

from .. import ratelimit
from ..errors import UnknownCode

bp = Blueprint("replies", __name__, url_prefix="/tra-loi")
GUESSES = "RATELIMIT_CODE_GUESSES"


@bp.route("", methods=["GET", "POST"])
def ask():
    """A box for the code on the slip."""
    if request.method == "POST" and request.form.get("code", "").strip():
        return redirect(url_for("replies.show", code=request.form["code"].strip()[:20]))
    return render_template("staff/replies_ask.html")


@bp.get("/<code>")
def show(code: str):
    """The household's feedback and the replies to it (wrong codes count as guesses)."""
    try:
        items = household_replies(code)
    except UnknownCode:
        refused = ratelimit.wrong_attempt(GUESSES)
        if refused is not None:
            return refused
        return render_template("staff/replies_ask.html", unknown=True), 404
    return render_template("staff/replies.html", items=items)
