"""/c/<slug>: an open campaign, for communes without slips. Residents pick their hamlet; one answer
per browser (a random token in a signed cookie) plus a per-client limit; answers are marked unverified."""
import secrets

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.exceptions import NotFound

from survey_app.services.survey.drafts import load_draft, save_draft
from survey_app.services.survey.flow import check_can_answer, target_for_campaign
from survey_app.services.units.catalogue import hamlets_of

from .. import ratelimit
from ..errors import UnknownCode
from ..forms import HamletForm
from .errors import render_error
from .pages import resume_url
from .survey_steps import register_steps

bp = Blueprint("open_survey", __name__, url_prefix="/c/<slug>")
COOKIE = "hl_browser"
SUBMISSIONS = "RATELIMIT_OPEN_SUBMISSIONS"
NEW_DRAFTS = "RATELIMIT_OPEN_DRAFTS"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="hailong-browser-token")


def browser_token() -> str:
    """This browser's random token, from its signed cookie, or a new one (set on the response)."""
    try:
        return _serializer().loads(request.cookies.get(COOKIE, ""))
    except BadSignature:
        g.new_browser_token = secrets.token_urlsafe(18)
        return g.new_browser_token


@bp.url_value_preprocessor
def _pull_slug(endpoint, values):
    g.slug = values.pop("slug")


@bp.url_defaults
def _add_slug(endpoint, values):
    values.setdefault("slug", g.get("slug"))


@bp.before_request
def _resolve_campaign():
    g.target = target_for_campaign(g.slug, browser_token())
    check_can_answer(g.target)
    if request.endpoint == "open_survey.submit":
        ratelimit.check(SUBMISSIONS)
        ratelimit.count(SUBMISSIONS)
    # Drafts are bounded: one per browser (its token is the key), started only by choosing a hamlet,
    # and at most RATELIMIT_OPEN_DRAFTS new ones per address and hour.
    if request.method == "POST" and request.endpoint != "open_survey.start" and load_draft(g.target).hamlet_id is None:
        return redirect(url_for(".start"))


@bp.after_request
def _set_browser_cookie(response):
    token = g.get("new_browser_token")
    if token:
        response.set_cookie(COOKIE, _serializer().dumps(token), max_age=365 * 24 * 3600, path="/c/",
                            secure=request.is_secure, httponly=True, samesite="Lax")
    return response


@bp.errorhandler(UnknownCode)
def unknown_campaign(error):
    """No open campaign by that name: the ordinary 'page not found'."""
    return render_error(NotFound())


@bp.route("", methods=["GET", "POST"])
def start():
    """Who runs the survey and what is kept; the resident picks the hamlet, then the questions begin."""
    draft = load_draft(g.target)
    form = HamletForm(hamlets_of(g.target.campaign.commune), data={"hamlet": draft.hamlet_id})
    if form.validate_on_submit():
        if draft.hamlet_id is None:  # this browser starts a draft
            ratelimit.check(NEW_DRAFTS)
            ratelimit.count(NEW_DRAFTS)
        save_draft(g.target, hamlet_id=form.hamlet.data)
        return redirect(resume_url(g.target, load_draft(g.target)))
    return render_template("survey/intro.html", draft=draft, form=form, resume_url=resume_url(g.target, draft))


register_steps(bp)
