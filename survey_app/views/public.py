"""Public results (công khai): published campaigns of a commune, counts and rates only, no personal data."""
from flask import abort, render_template

from survey_app.services.reports.campaign_report import MIN_GROUP
from survey_app.services.reports.charts import channel_chart, satisfaction_chart, turnout_chart
from survey_app.services.reports.public_results import PublishedResult, published_campaigns_for_code

from . import public_print  # noqa: F401  (the poster and open-data routes attach to bp)
from .public_blueprint import bp


def result_charts(result: PublishedResult) -> dict:
    """The results page's charts of one campaign, drawn from the figures the service read."""
    return {"satisfaction": satisfaction_chart(result.summary["questions"], result.campaign.threshold),
            "channels": channel_chart(result.channels),
            "turnout": turnout_chart(result.turnout, result.summary["households"])}


@bp.get("/cong-khai/<commune_code>")
def results(commune_code: str):
    """The commune's published results (its merged predecessors' too), newest campaign first."""
    commune, published = published_campaigns_for_code(commune_code)
    if commune is None:
        abort(404)
    shown = [(r, result_charts(r)) for r in published]
    return render_template("public/results.html", commune=commune, published=shown, min_group=MIN_GROUP)

