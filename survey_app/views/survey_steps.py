"""The survey's steps, shared by household codes (/s/<code>) and open campaigns (/c/<slug>).

Each blueprint resolves `g.target` before the view runs; these views parse the form, save the
draft through the services and render. Every POST saves, so nothing is lost when the signal drops.
"""
import secrets

from flask import g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError

from ..errors import AlreadyAnswered, CampaignNotOpen, IncompleteAnswers, InvalidAnswers
from ..forms import OtherOpinionForm, SubmitForm, question_page_form
from ..models import CampaignStatus
from ..services.clock import today_in_vietnam
from ..services.drafts import load_draft, save_draft, submit_draft
from ..services.survey_flow import submitted_with

SENT_KEY = "sent"  # session: draft keys this browser has submitted (to thank it again on a resend)


def step_url(target, step: int) -> str:
    """Where a resident who stopped at `step` picks up again."""
    last = len(target.pages)
    if 1 <= step <= last:
        return url_for(".page", n=step)
    return url_for(".other") if step == last + 1 else url_for(".review") if step > last else url_for(".page", n=1)


def page(n: int):
    """One group of about three questions, with Back and Next."""
    target, draft = g.target, load_draft(g.target)
    if not 1 <= n <= len(target.pages):
        return redirect(url_for(".page", n=1))
    if target.is_open_mode and draft.hamlet_id is None:
        return redirect(url_for(".start"))
    form = question_page_form(target.pages[n - 1], draft)
    if form.is_submitted():
        go = request.form.get("go", "next")
        valid = form.validate()
        heading = n - 1 if go == "back" else n + 1 if go == "next" and valid else n
        save_draft(target, answers=form.answers(), step=max(heading, 1))
        if go == "save":  # the optional script saves each tap in the background
            return "", 204
        if go == "back":
            return redirect(url_for(".page", n=n - 1) if n > 1 else url_for(".start"))
        if valid:
            return redirect(step_url(target, n + 1))
    first = sum(len(p) for p in target.pages[:n - 1]) + 1
    return render_template("survey/page.html", form=form, n=n, first=first,
                           last=first + len(target.pages[n - 1]) - 1, total=len(target.questions))


def other():
    """"Ý kiến khác": one optional box for anything else, then the review."""
    target = g.target
    form = OtherOpinionForm(data={"other": load_draft(target).other})
    if form.is_submitted():
        go = request.form.get("go", "next")
        valid = form.validate()
        last = len(target.pages)
        save_draft(target, other=(form.other.data or "")[:2000],
                   step=last if go == "back" else last + 2 if valid else last + 1)
        if go == "back":
            return redirect(url_for(".page", n=last))
        if valid:
            return redirect(url_for(".review"))
    return render_template("survey/other.html", form=form)


def review():
    """Every answer on one page with "Sửa" links, then "Gửi phiếu"."""
    target = g.target
    draft = load_draft(target)
    page_urls = {}
    for n, questions in enumerate(target.pages, start=1):
        url = url_for(".page", n=n)
        page_urls.update((q.id, url) for q in questions)
    return render_template("survey/review.html", draft=draft, form=SubmitForm(), page_urls=page_urls,
                           missing=draft.missing(target.questions), submission_key=secrets.token_urlsafe(16))


def submit():
    """Store the response once; a double tap or a resend lands on the same thank-you page."""
    target = g.target  # CSRFProtect has checked the form's token before this view runs
    try:
        submit_draft(target, submission_key=request.form.get("submission_key"))
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
    not_started = error.status == CampaignStatus.DRAFT or (error.opens_on and error.opens_on > today_in_vietnam())
    return render_template("survey/closed.html", error=error, not_started=not_started)


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
