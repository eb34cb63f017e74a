"""Alerts: a commune under the bar, with low coverage a week before closing, or a field with many open complaints.

The complaint limit is `ALERT_OPEN_COMPLAINTS` in the app config (default 10 open texts in one field).
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from survey_app.extensions import db
from survey_app.models import AdminUnit, CampaignStatus, Feedback, UnitLevel
from survey_app.services.clock import today_in_vietnam
from survey_app.services.reports.feedback_fields import OPEN_STATUSES, label_expr
from survey_app.services.reports.province import LOW_COVERAGE

WEEK = timedelta(days=7)


def complaint_limit() -> int:
    return int(current_app.config.get("ALERT_OPEN_COMPLAINTS", 10))


def open_complaints_over_limit(commune_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """commune id → [(field, open count)] for fields whose open feedback passes the limit (one GROUP BY)."""
    unit = aliased(AdminUnit)
    commune_id = case((unit.level == UnitLevel.HAMLET, unit.parent_id), else_=unit.id)
    label = label_expr()
    rows = db.session.execute(
        select(commune_id.label("commune_id"), label.label("field"), func.count(Feedback.id).label("n"))
        .join(unit, Feedback.unit_id == unit.id)
        .where(Feedback.status.in_(OPEN_STATUSES), commune_id.in_(commune_ids or [-1]))
        .group_by(commune_id, label).having(func.count(Feedback.id) > complaint_limit())
        .order_by(func.count(Feedback.id).desc())).all()
    out: dict[int, list[tuple[str, int]]] = {}
    for row in rows:
        out.setdefault(row.commune_id, []).append((row.field, int(row.n)))
    return out


def alerts_for(row: dict, complaints: list[tuple[str, int]], today: date | None = None) -> list[dict]:
    """The alerts of one commune's campaign, from its roll-up row (see province.province_rollup)."""
    today = today or today_in_vietnam()
    found = []
    if row["answered"] and not row["meets_threshold"]:
        found.append({"kind": "under_bar"})
    if (row["status"] == CampaignStatus.OPEN and today >= row["closes_on"] - WEEK
            and not row["coverage_met"]):
        found.append({"kind": "low_coverage", "limit": row.get("min_coverage", LOW_COVERAGE)})
    for field, n in complaints:
        found.append({"kind": "complaints", "field": field, "count": n, "limit": complaint_limit()})
    return found


def campaign_row(summary: dict, campaign) -> dict:
    """The roll-up row shape from a campaign summary (its rule-aware verdict and coverage minimum)."""
    return {"answered": summary["overall_answered"], "satisfied": summary["overall_satisfied"],
            "status": campaign.status, "closes_on": campaign.closes_on, "min_coverage": summary["min_coverage"],
            "meets_threshold": summary["meets_threshold"], "coverage_met": summary["coverage_met"]}


def campaign_alerts(campaign, summary: dict) -> list[dict]:
    complaints = open_complaints_over_limit([campaign.commune_id]).get(campaign.commune_id, [])
    return alerts_for(campaign_row(summary, campaign), complaints)
