"""The survey's steps, shared by household codes (/s/<code>) and open campaigns (/c/<slug>).

Each blueprint resolves `g.target` before the view runs; these views parse the form, save the
draft through the services and render. Every POST saves, so nothing is lost when the signal drops.
"""
import re
import secrets

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError

from survey_app.services.survey.drafts import load_draft, save_draft, submit_draft
from survey_app.services.survey.flow import submitted_with

from ..errors import AlreadyAnswered, CampaignNotOpen, DraftChanged, IncompleteAnswers, InvalidAnswers
from ..forms import OtherOpinionForm, SubmitForm, question_page_form
from ..models import Channel, DraftPhase
from .pages import page_of, pages_of, step_total

SENT_KEY = "sent"  # session: draft keys this browser has submitted (to thank it again on a resend)
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what review() hands out: token_urlsafe(16)
EDITING = "sua"  # ?sua=1: the page was opened from "Sửa" on the review and returns there


def page(n: int):
    """One group of about three questions, with Back and Next."""
    target, draft = g.target, load_draft(g.target)
    pages = pages_of(target)
    if not 1 <= n <= len(pages):
        return redirect(url_for(".page", n=1))
    if target.is_open_mode and draft.hamlet_id is None:
        return redirect(url_for(".start"))
    editing = request.args.get(EDITING) == "1"
    form = question_page_form(pages[n - 1], draft)
    if form.is_submitted():
        go = request.form.get("go", "next")
        valid = form.validate()
        finished = go == "next" and valid and n == len(pages) and draft.phase == DraftPhase.QUESTIONS
        save_draft(target, answers=form.answers(), phase=DraftPhase.OTHER if finished else None)
        if go == "save":  # the optional script saves each tap in the background
            return "", 204
        if editing and (go == "back" or valid):
            return redirect(url_for(".review"))
        if go == "back":
            return redirect(url_for(".page", n=n - 1) if n > 1 else url_for(".start"))
        if valid:
            return redirect(url_for(".page", n=n + 1) if n < len(pages) else url_for(".other"))
    first = sum(len(p) for p in pages[:n - 1]) + 1
    return render_template("survey/page.html", form=form, n=n, first=first, editing=editing,
                           last=first + len(pages[n - 1]) - 1, total=len(target.questions),
                           steps=step_total(target))


def other():
    """"Ý kiến khác": one optional box for anything else, then the review."""
    target = g.target
    form = OtherOpinionForm(data={"other": load_draft(target).other})
    if form.is_submitted():
        go = request.form.get("go", "next")
        valid = form.validate()
        save_draft(target, other=(form.other.data or "")[:2000],
                   phase=DraftPhase.REVIEW if go != "back" and valid else None)
        if go == "back":
            return redirect(url_for(".page", n=len(pages_of(target))))
        if valid:
            return redirect(url_for(".review"))
    return render_template("survey/other.html", form=form, done=len(target.questions) + 1,
                           steps=step_total(target))


def review(changed: bool = False):
    """Every answer on one page with "Sửa" links, then "Gửi phiếu" (the form carries the draft's version)."""
    target = g.target
    draft = load_draft(target)
    page_urls = {q.id: url_for(".page", n=page_of(target, q.id), **{EDITING: 1}) for q in target.questions}
    return render_template("survey/review.html", draft=draft, form=SubmitForm(), page_urls=page_urls,
                           missing=draft.missing(target.questions), submission_key=secrets.token_urlsafe(16),
                           changed=changed, steps=step_total(target))


def submit():
    """Store the response once; a double tap or a resend lands on the same thank-you page."""
    target = g.target  # CSRFProtect has checked the form's token before this view runs
    key = request.form.get("submission_key", "")
    version = request.form.get("draft_version", "")
    if not SUBMISSION_KEY.fullmatch(key) or (version and not version.isdigit()) or len(version) > 9:
        abort(400)
    try:
        submit_draft(target, channel=Channel.WEB, submission_key=key,
                     expected_version=int(version) if version else None)
    except DraftChanged:  # another phone changed the answers: show what would be sent now
        return review(changed=True)
    except IncompleteAnswers:
        return redirect(url_for(".review"))
    except InvalidAnswers:  # open mode without a hamlet: ask for it again
        return redirect(url_for(".start"))
    _remember_sent(target.draft_key)
    return redirect(url_for(".thanks"))


def thanks():
    """Reached only before the response exists (an old link): send the resident to the start."""
    return redirect(url_for(".start"))


def _remember_sent(draft_key: str) -> None:
    session[SENT_KEY] = ([draft_key] + [k for k in session.get(SENT_KEY, []) if k != draft_key])[:5]


def already_answered(error: AlreadyAnswered):
    """The same browser (or a resent form) gets its thank-you; anyone else learns when it was answered."""
    target = g.get("target")
    if target is not None and (target.draft_key in session.get(SENT_KEY, [])
                               or submitted_with(target, request.form.get("submission_key"))):
        _remember_sent(target.draft_key)
        return render_template("survey/thanks.html", answered_at=error.answered_at)
    return render_template("survey/answered.html", answered_at=error.answered_at, channel=error.channel)


def not_open(error: CampaignNotOpen):
    """A campaign that is closed (or not open yet) says so kindly, with its dates."""
    return render_template("survey/closed.html", error=error, not_started=error.not_started)


def page_expired(error: CSRFError):
    """The form's security token ran out (a phone left for hours): nothing saved is lost, reload the step."""
    return render_template("survey/expired.html", again=request.path), 400


def register_steps(bp) -> None:
    """Add the shared steps and their error pages to a survey blueprint."""
    bp.add_url_rule("/trang/<int:n>", view_func=page, methods=["GET", "POST"])
    bp.add_url_rule("/y-kien-khac", view_func=other, methods=["GET", "POST"])
    bp.add_url_rule("/xem-lai", view_func=review)
    bp.add_url_rule("/gui", view_func=submit, methods=["POST"])
    bp.add_url_rule("/cam-on", view_func=thanks)
    bp.register_error_handler(AlreadyAnswered, already_answered)
    bp.register_error_handler(CampaignNotOpen, not_open)
    bp.register_error_handler(CSRFError, page_expired)
