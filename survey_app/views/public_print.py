"""Public extras on the public blueprint: the A4 poster and the open-data CSV of a published campaign."""
from flask import Response, abort, render_template, stream_with_context

from survey_app.services.reports.campaign_report import MIN_GROUP
from survey_app.services.reports.charts import satisfaction_chart
from survey_app.services.reports.exports import open_data_csv
from survey_app.services.reports.public_results import poster_for, published_campaign

from ..services.clock import today_in_vietnam
from .public_blueprint import bp


@bp.get("/cong-khai/<commune_code>/<int:campaign_id>/in")
def poster(commune_code: str, campaign_id: int):
    """An A4 page to print and post at the cultural house: verdict, rates, hamlets, the Front's name."""
    found = poster_for(commune_code, campaign_id)
    if found is None:
        abort(404)
    return render_template("public/poster.html", campaign=found.campaign, summary=found.summary,
                           hamlets=found.hamlets, min_group=MIN_GROUP, today=today_in_vietnam(),
                           satisfaction=satisfaction_chart(found.summary["questions"], found.campaign.threshold))


@bp.get("/cong-khai/<commune_code>/<int:campaign_id>.csv")
def open_data(commune_code: str, campaign_id: int):
    """Open data: the published figures as CSV (column dictionary in docs/open-data.md)."""
    campaign = published_campaign(commune_code, campaign_id)
    if campaign is None:
        abort(404)
    response = Response(stream_with_context(open_data_csv(campaign)), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="ket-qua-{campaign.slug}.csv"'
    return response
