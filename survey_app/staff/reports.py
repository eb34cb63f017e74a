"""Staff reports: a campaign's report, the province roll-up, and their XLSX/CSV downloads."""
from __future__ import annotations

from datetime import date
from functools import wraps

from flask import Response, abort, make_response, render_template, request, stream_with_context

from survey_app.auth import current_staff
from survey_app.services.reports import alerts as alert_service
from survey_app.services.reports import charts, exports
from survey_app.services.reports import province as province_service
from survey_app.services.reports.campaign_report import campaign_report
from survey_app.services.reports.summary import campaign_summary

from ..models import AdminUnit, Campaign, StaffRole
from .access import campaign_in_scope
from .blueprint import bp
from .query import day
from .views import login_required


def no_store(view):
    """Staff pages hold figures before publication and names: never kept by a browser or proxy."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response
    return wrapped


def _download(make_chunks, mimetype: str, filename: str) -> Response:
    """A streamed file. Its figures are counted before the first byte is sent (make_chunks runs here);
    a HEAD request gets the headers only, without building a file nobody reads."""
    body = () if request.method == "HEAD" else stream_with_context(make_chunks())
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/campaigns/<int:campaign_id>/report")
@login_required
@no_store
def campaign_report_page(campaign_id: int):
    """A campaign's report: counts against the bar, hamlets, channels, reasons, complaints, change, charts."""
    campaign = campaign_in_scope(campaign_id)
    report = campaign_report(campaign)
    return render_template("staff/report.html", campaign=campaign, report=report,
                           charts=charts.campaign_charts(campaign, report))


@bp.get("/campaigns/<int:campaign_id>/report.xlsx")
@login_required
@no_store
def campaign_report_xlsx(campaign_id: int):
    """The biểu tổng hợp as XLSX."""
    campaign = campaign_in_scope(campaign_id)
    return _download(lambda: exports.campaign_xlsx(campaign), exports.XLSX_MIMETYPE,
                     f"bieu-tong-hop-{campaign.slug}.xlsx")


@bp.get("/campaigns/<int:campaign_id>/report.csv")
@login_required
@no_store
def campaign_report_csv(campaign_id: int):
    """The open-data CSV (no personal data) of a campaign."""
    campaign = campaign_in_scope(campaign_id)
    return _download(lambda: exports.open_data_csv(campaign), "text/csv; charset=utf-8",
                     f"ket-qua-{campaign.slug}.csv")


def _visible_province(code: str) -> AdminUnit:
    """That province's officers and admins read it; to anyone else it is not found (404), like no province."""
    found = province_service.find_province(code)
    user = current_staff()
    if found is None or not (user.role == StaffRole.ADMIN
                             or (user.role == StaffRole.PROVINCE and user.unit_id == found.id)):
        abort(404)
    return found


def _period() -> tuple[date | None, date | None]:
    def parse(name):
        try:
            return day(request.args[name]) if request.args.get(name) else None
        except ValueError:
            abort(400)
    return parse("from"), parse("to")


@bp.get("/province/<code>")
@login_required
@no_store
def province_page(code: str):
    """Every commune's latest campaign (or a period's) with verdict, coverage and alerts; weakest first."""
    found = _visible_province(code)
    start, end = _period()
    sort = request.args.get("sort", "attention")
    rows = province_service.sort_rows(province_service.province_rollup(found, start, end), sort)
    complaints = alert_service.open_complaints_over_limit([r["commune_id"] for r in rows])
    for row in rows:
        row["alerts"] = alert_service.alerts_for(row, complaints.get(row["commune_id"], []))
    distribution = province_service.distribution(rows)
    return render_template("staff/province.html", province=found, rows=rows, sort=sort, start=start, end=end,
                           totals=province_service.totals(rows), distribution=distribution,
                           chart=charts.distribution_chart(distribution))


@bp.get("/province/<code>/export.xlsx")
@login_required
@no_store
def province_xlsx(code: str):
    """The province roll-up as XLSX."""
    found = _visible_province(code)
    start, end = _period()
    rows = province_service.sort_rows(province_service.province_rollup(found, start, end), "name")
    return _download(lambda: exports.province_xlsx(found.name, rows), exports.XLSX_MIMETYPE,
                     f"tong-hop-tinh-{code}.xlsx")


@bp.app_template_global()
def campaign_alerts_of(campaign: Campaign) -> list[dict]:
    """Alerts of a campaign for the staff home page (one summary and one GROUP BY)."""
    return alert_service.campaign_alerts(campaign, campaign_summary(campaign))
