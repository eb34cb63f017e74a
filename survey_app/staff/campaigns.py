"""Campaign pages (/staff/campaigns/...): create, upload households, codes, open/close/publish, turnout.

Scope (access.campaign_in_scope): a campaign outside the officer's units is "not found" (404), whatever the
URL or form says. Province officers read; only admins and the commune's own managers change anything (403).
"""
from __future__ import annotations

from decimal import Decimal

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app.auth import current_staff
from survey_app.services.campaigns import lifecycle as campaign_service
from survey_app.services.campaigns.staff_actions import create_for_commune, generate_codes_for, turnout_by_hamlet
from survey_app.services.units.upload import upload_units_file

from ..errors import DomainError, ImportRowError
from ..extensions import db
from ..models import AdminUnit, Questionnaire, StaffRole, StaffUser, UnitLevel
from .access import campaign_in_scope, may_manage
from .blueprint import bp
from .campaign_forms import CampaignForm, UnitsFileForm
from .views import login_required

STATUS_ACTIONS = {"open": "open_campaign", "close": "close_campaign", "publish": "publish_campaign"}


def communes_for_new_campaign(user: StaffUser) -> list[AdminUnit]:
    """Rural communes (xã) in which this officer may open a campaign."""
    if user.role not in (StaffRole.ADMIN, StaffRole.COMMUNE):
        return []
    stmt = select(AdminUnit).where(AdminUnit.level == UnitLevel.COMMUNE, AdminUnit.division_type == "xã",
                                   AdminUnit.valid_to.is_(None)).order_by(AdminUnit.name)
    if user.role != StaffRole.ADMIN:
        stmt = stmt.where(AdminUnit.id == user.unit_id)
    return list(db.session.execute(stmt).scalars())


@bp.after_request
def _never_cache(response):
    """Staff pages hold residents' data: a shared commune computer must not keep them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/campaigns/new", methods=["GET", "POST"])
@login_required
def campaign_new():
    """A new draft campaign (đợt lấy ý kiến) for a commune in the officer's scope."""
    user = current_staff()
    communes = communes_for_new_campaign(user)
    if not communes:
        abort(403)
    form = CampaignForm()
    form.commune_id.choices = [(c.id, c.name) for c in communes]
    questionnaires = db.session.execute(select(Questionnaire).order_by(Questionnaire.key.desc())).scalars()
    form.questionnaire_key.choices = [(q.key, q.title_vi) for q in questionnaires]
    if form.validate_on_submit():
        commune = next(c for c in communes if c.id == form.commune_id.data)
        try:
            campaign = create_for_commune(
                commune, staff_user_id=user.id, questionnaire_key=form.questionnaire_key.data,
                name=form.name.data.strip(), opens_on=form.opens_on.data, closes_on=form.closes_on.data,
                threshold=float(form.threshold_percent.data / Decimal(100)), mode=form.mode.data,
                purpose=form.purpose.data, verdict_rule=form.verdict_rule.data)
        except DomainError as error:
            form.name.errors.append(str(error))
        else:
            flash(_("Đã tạo đợt lấy ý kiến (bản nháp)."))
            return redirect(url_for("staff.campaign_show", campaign_id=campaign.id))
    return render_template("staff/campaign_form.html", form=form)


@bp.get("/campaigns/<int:campaign_id>")
@login_required
def campaign_show(campaign_id: int):
    """The campaign, its turnout per hamlet (over the households it counts), and what its managers can do next."""
    campaign = campaign_in_scope(campaign_id)
    turnout = turnout_by_hamlet(campaign)
    return render_template("staff/campaign.html", campaign=campaign, turnout=turnout,
                           totals=_totals(turnout), manage=may_manage(current_staff(), campaign.commune),
                           upload_form=UnitsFileForm())


def _totals(turnout) -> dict[str, int]:
    keys = ("households", "live_households", "codes", "returned", "valid")
    return {key: sum(getattr(t, key) for t in turnout) for key in keys}


@bp.post("/campaigns/<int:campaign_id>/households")
@login_required
def campaign_upload(campaign_id: int):
    """Import the commune's hamlets or households file: every row or none, bad rows listed by number."""
    campaign = campaign_in_scope(campaign_id, manage=True)
    form = UnitsFileForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            count = upload_units_file(campaign.commune, form.kind.data, upload.filename, upload.stream,
                                      staff_user_id=current_staff().id)
        except ImportRowError as error:
            form.file.errors.extend(error.errors)
        except DomainError as error:
            form.file.errors.append(str(error))
        else:
            flash(_("Đã nhập %(count)d dòng.", count=count))
            return redirect(url_for("staff.campaign_show", campaign_id=campaign.id))
    turnout = turnout_by_hamlet(campaign)
    return render_template("staff/campaign.html", campaign=campaign, turnout=turnout, totals=_totals(turnout),
                           manage=True, upload_form=form), 400


@bp.post("/campaigns/<int:campaign_id>/codes")
@login_required
def campaign_codes(campaign_id: int):
    """Give every household of the commune without a code its invitation code."""
    campaign = campaign_in_scope(campaign_id, manage=True)
    try:
        count = generate_codes_for(campaign, staff_user_id=current_staff().id)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã cấp %(count)d mã mới.", count=count))
    return redirect(url_for("staff.campaign_show", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/<any(open, close, publish):action>")
@login_required
def campaign_status(campaign_id: int, action: str):
    """Open, close or publish the campaign through the counting rules' services (they audit)."""
    campaign = campaign_in_scope(campaign_id, manage=True)
    change = getattr(campaign_service, STATUS_ACTIONS[action])
    try:
        change(campaign.id, staff_user_id=current_staff().id)
    except DomainError as error:
        db.session.rollback()
        flash(_("Không thực hiện được: %(reason)s", reason=str(error)), "error")
    else:
        flash({"open": _("Đã mở đợt lấy ý kiến."), "close": _("Đã đóng đợt lấy ý kiến."),
               "publish": _("Đã công bố kết quả.")}[action])
    return redirect(url_for("staff.campaign_show", campaign_id=campaign.id))


def public_base_url() -> str:
    """Where residents reach this server: PUBLIC_BASE_URL, else the address of this request."""
    return (current_app.config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")
