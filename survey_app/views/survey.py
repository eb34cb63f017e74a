"""/s/<code>: a household answers with the invitation code from its slip (typed or scanned as a QR code)."""
from flask import Blueprint, g, redirect, render_template, url_for

from survey_app.services.campaigns.codes import canonical, display
from survey_app.services.survey.drafts import load_draft
from survey_app.services.survey.flow import check_can_answer, target_for_code

from .. import ratelimit
from ..errors import UnknownCode
from ..forms import CodeForm
from .pages import resume_url
from .survey_steps import register_steps

bp = Blueprint("survey", __name__, url_prefix="/s/<code>")
GUESSES = "RATELIMIT_CODE_GUESSES"


@bp.url_value_preprocessor
def _pull_code(endpoint, values):
    g.typed_code = values.pop("code")


@bp.url_defaults
def _add_code(endpoint, values):
    if "code" not in values and g.get("target") is not None:
        values["code"] = g.target.code


@bp.before_request
def _resolve_code():
    """Find the household's invitation (a valid code is never refused, however many wrong ones came before)."""
    g.target = target_for_code(g.typed_code)
    check_can_answer(g.target)


@bp.errorhandler(UnknownCode)
def unknown_code(error):
    """A code that is not on any slip: count it against this client's guesses, offer the box again."""
    refused = ratelimit.wrong_attempt(GUESSES)
    if refused is not None:
        return refused
    form = CodeForm(formdata=None)
    return render_template("survey/unknown.html", form=form, typed=g.typed_code), 404


@bp.route("")
def start():
    """Who runs the survey, what is kept and why; then start, or carry on where the resident stopped."""
    if g.typed_code != g.target.code:  # 'k7qm 3xpa', 'K7QM3XPA' → the printed form K7QM-3XPA
        return redirect(url_for(".start"), 301)
    draft = load_draft(g.target)
    return render_template("survey/intro.html", draft=draft, resume_url=resume_url(g.target, draft))


register_steps(bp)


def code_url(typed: str) -> str | None:
    """The survey address for a typed code, or None if it cannot be a code (used by the home page)."""
    code = canonical(typed)
    return url_for("survey.start", code=display(code)) if code else None

