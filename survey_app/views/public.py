"""Public results (công khai): published campaigns of a commune, counts and rates only, no personal data."""
from flask import Blueprint, Response, abort, render_template, stream_with_context
from sqlalchemy import select

from ..extensions import db
from ..models import AdminUnit, Campaign, CampaignStatus, UnitLevel
from ..services.reports import campaign_summary, hamlet_breakdown

bp = Blueprint("public", __name__)


def _commune_or_404(commune_code: str) -> AdminUnit:
    commune = db.session.execute(select(AdminUnit).where(
        AdminUnit.level == UnitLevel.COMMUNE, AdminUnit.code == commune_code
    ).order_by(AdminUnit.valid_from.desc())).scalars().first()
    if commune is None:
        abort(404)
    return commune


@bp.get("/cong-khai/<commune_code>")
def results(commune_code: str):
    """The commune's published results, newest campaign first."""
    commune = _commune_or_404(commune_code)
    campaigns = db.session.execute(select(Campaign).where(
        Campaign.commune_id == commune.id, Campaign.status == CampaignStatus.PUBLISHED
    ).order_by(Campaign.closes_on.desc())).scalars().all()
    published = [(c, campaign_summary(c), hamlet_breakdown(c)) for c in campaigns]
    return render_template("public/results.html", commune=commune, published=published,
                           public_charts=_public_charts)


def _published_or_404(commune_code: str, campaign_id: int) -> Campaign:
    from ..staff.reports import get_campaign_or_404

    campaign = get_campaign_or_404(campaign_id)
    if campaign.commune.code != commune_code or campaign.status != CampaignStatus.PUBLISHED:
        abort(404)
    return campaign


def _public_charts(campaign: Campaign) -> dict:
    """The public charts: hamlets with fewer than MIN_GROUP returned forms are left out."""
    from ..services.charts import campaign_charts
    from ..services.rollup import MIN_GROUP, campaign_report

    report = campaign_report(campaign)
    shown = [h for h in report["hamlets"] if h["returned"] >= MIN_GROUP]
    return {"report": report, "hamlets": shown, "min_group": MIN_GROUP,
            **campaign_charts(campaign, report, hamlets=shown)}


@bp.get("/cong-khai/<commune_code>/<int:campaign_id>/in")
def poster(commune_code: str, campaign_id: int):
    """An A4 page to print and post at the cultural house: verdict, rates, hamlets, the Front's name."""
    campaign = _published_or_404(commune_code, campaign_id)
    from ..services.clock import today_in_vietnam

    return render_template("public/poster.html", campaign=campaign, today=today_in_vietnam(),
                           **_public_charts(campaign))


@bp.get("/cong-khai/<commune_code>/<int:campaign_id>.csv")
def open_data(commune_code: str, campaign_id: int):
    """Open data: the published figures as CSV (column dictionary in docs/open-data.md)."""
    from ..services.exports import open_data_csv

    campaign = _published_or_404(commune_code, campaign_id)
    response = Response(stream_with_context(open_data_csv(campaign)), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="ket-qua-{campaign.slug}.csv"'
    return response
