"""Printable invitation slips and keyboard-only paper entry (/staff/campaigns/<id>/slips, /paper)."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from survey_app.auth import current_staff
from survey_app.services.campaigns.paper import PaperKeyError, enter_paper_form, household_for, parse_keys
from survey_app.services.campaigns.slips import slips_for, zalo_url
from survey_app.services.survey.questionnaires import questions_of
from survey_app.services.units.catalogue import hamlets_of

from ..errors import AlreadyAnswered, CampaignNotOpen, DomainError, UnknownCode
from ..vocabulary import channel_name
from .blueprint import bp
from .campaign_forms import PaperCodeForm, PaperForm
from .campaigns import campaign_in_scope, public_base_url
from .views import login_required


@bp.get("/campaigns/<int:campaign_id>/slips")
@login_required
def campaign_slips(campaign_id: int):
    """A4 sheets of 8 slips (2 × 4), each with the household's code and QR codes; one hamlet if asked;
    20 sheets a page (a print job of a whole commune is split by page or by hamlet)."""
    campaign = campaign_in_scope(campaign_id, manage=True)
    hamlets = hamlets_of(campaign.commune)
    hamlet_id = request.args.get("hamlet", type=int)
    if hamlet_id not in {h.id for h in hamlets}:
        hamlet_id = None  # a hamlet of another commune is simply not a filter here
    unused_only = request.args.get("unused") == "1"
    config = current_app.config
    page = max(request.args.get("page", 1, type=int), 1)
    slips, pages = slips_for(campaign, base_url=public_base_url(), hamlet_id=hamlet_id, unused_only=unused_only,
                             telegram_bot=config.get("TELEGRAM_BOT_USERNAME"), page=page,
                             zalo_oa_url=zalo_url(config.get("ZALO_OA_URL"), config.get("ZALO_OA_ID")))
    return render_template("staff/slips.html", campaign=campaign, slips=slips, hamlets=hamlets, page=min(page, pages),
                           pages=pages, hamlet_id=hamlet_id, unused_only=unused_only, base_url=public_base_url())


@bp.route("/campaigns/<int:campaign_id>/paper", methods=["GET", "POST"])
@login_required
def campaign_paper(campaign_id: int):
    """Type in one household's paper form: its code first, then one key per answer."""
    campaign = campaign_in_scope(campaign_id, manage=True)
    code_form = PaperCodeForm()
    if code_form.validate_on_submit():
        try:
            household = household_for(campaign, code_form.code.data)
        except DomainError as error:
            code_form.code.errors.append(_code_problem(error))
        else:
            form = PaperForm(formdata=None, code=household.invitation.code)
            return _answers_page(campaign, form, household, keys={}, reasons={})
    return render_template("staff/paper.html", campaign=campaign, code_form=code_form, household=None)


@bp.post("/campaigns/<int:campaign_id>/paper/save")
@login_required
def campaign_paper_save(campaign_id: int):
    """Store the typed form (channel "paper"); a bad key or a used code stores nothing."""
    campaign = campaign_in_scope(campaign_id, manage=True)
    form = PaperForm()
    questions = questions_of(campaign.questionnaire_id)
    keys = {q.id: request.form.get(f"q{q.id}", "") for q in questions}
    reasons = {q.id: request.form.get(f"r{q.id}", "") for q in questions}
    if not form.validate_on_submit():
        return _code_page(campaign, _("Phiếu chưa gửi được, xin nhập lại mã.")), 400
    try:
        household = household_for(campaign, form.code.data)
        answers = parse_keys([q.id for q in questions], keys, reasons)
        enter_paper_form(campaign, form.code.data, answers, other_opinion=form.other_opinion.data,
                         invalid=form.invalid.data, staff_user_id=current_staff().id)
    except PaperKeyError as error:
        return _answers_page(campaign, form, household, keys, reasons, bad=set(error.bad_question_ids)), 400
    except DomainError as error:
        return _code_page(campaign, _code_problem(error)), 400
    if form.invalid.data:
        flash(_("Đã lưu phiếu KHÔNG HỢP LỆ của hộ số %(number)s, %(hamlet)s.",
                number=household.number, hamlet=household.hamlet))
    else:
        satisfied = sum(a.satisfied for a in answers.values())
        flash(_("Đã lưu phiếu hộ số %(number)s, %(hamlet)s: %(yes)d hài lòng, %(no)d chưa hài lòng, "
                "%(blank)d bỏ trống.", number=household.number, hamlet=household.hamlet, yes=satisfied,
                no=len(answers) - satisfied, blank=len(questions) - len(answers)))
    return redirect(url_for("staff.campaign_paper", campaign_id=campaign.id))


def _code_page(campaign, problem: str):
    code_form = PaperCodeForm(formdata=None)
    code_form.code.errors = [problem]
    return render_template("staff/paper.html", campaign=campaign, code_form=code_form, household=None)


def _answers_page(campaign, form, household, keys, reasons, bad=frozenset()):
    return render_template("staff/paper.html", campaign=campaign, code_form=None, household=household,
                           form=form, questions=questions_of(campaign.questionnaire_id), keys=keys,
                           reasons=reasons, bad=bad)


def _code_problem(error: DomainError) -> str:
    """What staff need to know about a typed code: unknown here, already answered (how and when), closed."""
    if isinstance(error, AlreadyAnswered):
        if error.channel and error.answered_at:
            return _("Hộ này đã trả lời qua %(channel)s lúc %(when)s.",
                     channel=channel_name(error.channel),
                     when=format_datetime(error.answered_at, "HH:mm dd/MM/yyyy"))
        return _("Hộ này đã trả lời rồi.")
    if isinstance(error, UnknownCode):
        return _("Không có mã này trong đợt lấy ý kiến này. Xin kiểm tra lại mã trên phiếu.")
    if isinstance(error, CampaignNotOpen):
        return _("Đợt lấy ý kiến không nhận phiếu lúc này (chưa mở, đã đóng hoặc đã công bố).")
    return str(error)
