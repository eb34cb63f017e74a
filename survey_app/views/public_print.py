"""Public extras on the public blueprint: the A4 poster, the open-data CSV, the charts of the results page."""
from flask import Response, abort, render_template, stream_with_context

from ..models import Campaign, CampaignStatus
from .public import bp


def _published_or_404(commune_code: str, campaign_id: int) -> Campaign:
    from ..staff.reports import get_campaign_or_404

    campaign = get_campaign_or_404(campaign_id)
    if campaign.commune.code != commune_code or campaign.status != CampaignStatus.PUBLISHED:
        abort(404)
    return campaign


@bp.app_template_global()
def public_charts(campaign: Campaign) -> dict:
    """The public report of a campaign: hamlets with fewer than MIN_GROUP returned forms are left out."""
    from ..services.charts import campaign_charts
    from ..services.rollup import MIN_GROUP, campaign_report

    report = campaign_report(campaign)
    shown = [h for h in report["hamlets"] if h["returned"] >= MIN_GROUP]
    return {"report": report, "hamlets": shown, "min_group": MIN_GROUP,
            **campaign_charts(campaign, report, hamlets=shown)}


@bp.get("/cong-khai/<commune_code>/<int:campaign_id>/in")
def poster(commune_code: str, campaign_id: int):
    """An A4 page to print and post at the cultural house: verdict, rates, hamlets, the Front's name."""
    from ..services.clock import today_in_vietnam

    campaign = _published_or_404(commune_code, campaign_id)
    return render_template("public/poster.html", campaign=campaign, today=today_in_vietnam(),
                           **public_charts(campaign))


@bp.get("/cong-khai/<commune_code>/<int:campaign_id>.csv")
def open_data(commune_code: str, campaign_id: int):
    """Open data: the published figures as CSV (column dictionary in docs/open-data.md)."""
    from ..services.exports import open_data_csv

    campaign = _published_or_404(commune_code, campaign_id)
    response = Response(stream_with_context(open_data_csv(campaign)), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="ket-qua-{campaign.slug}.csv"'
    return response
