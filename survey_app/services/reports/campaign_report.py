"""A campaign's report figures beyond the summary: hamlets, channels, reasons, complaints, turnout, change.

Every figure is one SQL GROUP BY; Python only joins the grouped rows by key (never loops over responses).
Verdicts go through services.reports.counting (exact integers), never through a rounded rate.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, case, func, or_, select

from survey_app.extensions import db
from survey_app.models import (
    AdminUnit,
    Answer,
    Campaign,
    CampaignStatus,
    Channel,
    Criterion,
    Feedback,
    FeedbackSource,
    Question,
    Response,
)
from survey_app.services.reports.alerts import campaign_alerts
from survey_app.services.reports.counting import meets_bar, rate
from survey_app.services.reports.feedback_fields import OPEN_STATUSES, label_expr
from survey_app.services.reports.summary import campaign_summary, household_counts
from survey_app.services.survey.questionnaires import questions_of

EXAMPLES_PER_FIELD = 3


def _int(value) -> int:
    return int(value or 0)


def hamlet_figures(campaign: Campaign) -> list[dict]:
    """Per hamlet of the commune: households, returned, valid, overall question satisfied/answered, verdict."""
    # household counts fixed when the campaign opened, as the summary counts them
    households = {int(hamlet_id): n for hamlet_id, n in household_counts(campaign).items()}
    returned = {row.hamlet_id: (_int(row.returned), _int(row.valid)) for row in db.session.execute(
        select(Response.hamlet_id, func.count(Response.id).label("returned"),
               func.sum(case((Response.is_valid, 1), else_=0)).label("valid"))
        .where(Response.campaign_id == campaign.id).group_by(Response.hamlet_id))}
    overall_ids = select(Question.id).where(Question.questionnaire_id == campaign.questionnaire_id,
                                            Question.is_overall.is_(True))
    overall = {row.hamlet_id: (_int(row.satisfied), _int(row.answered)) for row in db.session.execute(
        select(Response.hamlet_id, func.sum(case((Answer.satisfied, 1), else_=0)).label("satisfied"),
               func.count(Answer.response_id).label("answered"))
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.campaign_id == campaign.id, Response.is_valid.is_(True),
               Answer.question_id.in_(list(db.session.execute(overall_ids).scalars()) or [-1]))
        .group_by(Response.hamlet_id))}
    hamlets = db.session.execute(
        select(AdminUnit.id, AdminUnit.name).where(
            or_(AdminUnit.parent_id == campaign.commune_id, AdminUnit.id.in_(list(returned) or [-1])))
        .order_by(AdminUnit.name)).all()
    rows = []
    for hamlet_id, name in hamlets:
        ret, valid = returned.get(hamlet_id, (0, 0))
        satisfied, answered = overall.get(hamlet_id, (0, 0))
        rows.append({"id": hamlet_id, "name": name, "households": _int(households.get(hamlet_id)),
                     "returned": ret, "valid": valid, "invalid": ret - valid,
                     "satisfied": satisfied, "answered": answered, "rate": rate(satisfied, answered),
                     "meets_threshold": meets_bar(satisfied, answered, campaign.threshold)})
    return rows


def channel_mix(campaign: Campaign) -> list[dict]:
    """Forms returned per channel, verified (household code, paper) and unverified (open mode), valid or not."""
    found = {(row.channel, bool(row.verified)): row for row in db.session.execute(
        select(Response.channel, Response.verified, func.count(Response.id).label("returned"),
               func.sum(case((Response.is_valid, 1), else_=0)).label("valid"))
        .where(Response.campaign_id == campaign.id).group_by(Response.channel, Response.verified))}
    rows = []
    for channel in Channel.ALL:
        verified, unverified = found.get((channel, True)), found.get((channel, False))
        rows.append({"channel": channel,
                     "verified": _int(verified and verified.returned),
                     "unverified": _int(unverified and unverified.returned),
                     "valid": _int(verified and verified.valid) + _int(unverified and unverified.valid)})
    return rows


def reasons_by_field(campaign: Campaign, examples: int = EXAMPLES_PER_FIELD) -> list[dict]:
    """Reasons for "chưa hài lòng" grouped by field (most first), with the first few distinct texts as examples."""
    label = label_expr()
    where = (Feedback.campaign_id == campaign.id, Feedback.source == FeedbackSource.REASON)
    counts = db.session.execute(
        select(label.label("field"), func.count(Feedback.id).label("n")).where(*where)
        .group_by(label).order_by(func.count(Feedback.id).desc(), label)).all()
    ranked = select(label.label("field"), Feedback.text,  # distinct texts, the earliest first
                    func.row_number().over(partition_by=label, order_by=func.min(Feedback.id)).label("rn")
                    ).where(*where).group_by(label, Feedback.text).subquery()
    quotes: dict[str, list[str]] = {}
    for field, text in db.session.execute(
            select(ranked.c.field, ranked.c.text).where(ranked.c.rn <= examples).order_by(ranked.c.field, ranked.c.rn)):
        quotes.setdefault(field, []).append(text)
    return [{"field": field, "count": _int(n), "examples": quotes.get(field, [])} for field, n in counts]


def _commune_units(commune_id: int):
    """The commune and its hamlets, as an id subquery (feedback is filed on either)."""
    return select(AdminUnit.id).where(or_(AdminUnit.id == commune_id, AdminUnit.parent_id == commune_id))


def complaints_by_field(campaign: Campaign) -> list[dict]:
    """Feedback of the commune during the campaign (reasons, other opinions, complaints) per field:
    total, still open, and the criteria of the campaign's criteria set that field belongs to."""
    label = label_expr()
    in_campaign = or_(Feedback.campaign_id == campaign.id, and_(
        Feedback.campaign_id.is_(None), Feedback.unit_id.in_(_commune_units(campaign.commune_id)),
        Feedback.created_at >= campaign.opens_on, Feedback.created_at < campaign.closes_on + timedelta(days=1)))
    rows = db.session.execute(
        select(label.label("field"), func.count(Feedback.id).label("total"),
               func.sum(case((Feedback.status.in_(OPEN_STATUSES), 1), else_=0)).label("open"),
               func.sum(case((Feedback.source == FeedbackSource.COMPLAINT, 1), else_=0)).label("complaints"))
        .where(in_campaign).group_by(label).order_by(func.count(Feedback.id).desc(), label)).all()
    criteria = criteria_of_fields(campaign)
    return [{"field": r.field, "total": _int(r.total), "open": _int(r.open), "complaints": _int(r.complaints),
             "criteria": criteria.get(r.field, [])} for r in rows]


def criteria_of_fields(campaign: Campaign) -> dict[str, list[int]]:
    """field key → criterion numbers of the campaign's criteria set (reference data, a few rows)."""
    rows = db.session.execute(select(Criterion.number, Criterion.fields).where(
        Criterion.criteria_set_id == campaign.questionnaire.criteria_set_id).order_by(Criterion.number)).all()
    mapping: dict[str, list[int]] = {}
    for number, fields in rows:
        for field in filter(None, (fields or "").split(",")):
            mapping.setdefault(field.strip(), []).append(number)
    return mapping


def field_by_hamlet(campaign: Campaign) -> dict:
    """Counts of the campaign's feedback per field × hamlet (the shaded table)."""
    label = label_expr()
    rows = db.session.execute(
        select(label.label("field"), Feedback.unit_id, func.count(Feedback.id))
        .where(Feedback.campaign_id == campaign.id).group_by(label, Feedback.unit_id)).all()
    cells = {(field, unit_id): _int(n) for field, unit_id, n in rows}
    return {"fields": sorted({f for f, _ in cells}), "cells": cells}


def turnout(campaign: Campaign) -> list[dict]:
    """Forms returned per day (Vietnam time) and the running total."""
    if db.engine.url.get_backend_name() == "sqlite":
        day = func.date(Response.submitted_at, "+7 hours")
    else:
        day = func.date(Response.submitted_at + timedelta(hours=7))
    rows = db.session.execute(select(day.label("day"), func.count(Response.id)).where(
        Response.campaign_id == campaign.id).group_by(day).order_by(day)).all()
    total, out = 0, []
    for d, n in rows:
        total += _int(n)
        out.append({"day": str(d), "returned": _int(n), "cumulative": total})
    return out


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The commune's latest earlier campaign (also one of a former commune merged into it)."""
    former = select(AdminUnit.id).where(AdminUnit.merged_into_id == campaign.commune_id)
    return db.session.execute(select(Campaign).where(
        or_(Campaign.commune_id == campaign.commune_id, Campaign.commune_id.in_(former)),
        Campaign.id != campaign.id, Campaign.closes_on < campaign.opens_on,
        Campaign.status.in_((CampaignStatus.CLOSED, CampaignStatus.PUBLISHED)),
    ).order_by(Campaign.closes_on.desc(), Campaign.id.desc()).limit(1)).scalar_one_or_none()


def compare(summary: dict, before: dict | None) -> dict | None:
    """Change against the previous campaign: overall, coverage, and questions matched by their field."""
    if before is None:
        return None

    def overall(s):
        q = next((q for q in s["questions"] if q["is_overall"]), None)
        return (q["satisfied"], q["satisfied"] + q["not_satisfied"]) if q else (0, 0)

    same_form = summary.get("questionnaire_id") == before.get("questionnaire_id")

    def key(q):  # the same form: question by question; another form: by the field both ask about
        return q["position"] if same_form else q.get("field")

    old_by_key = {key(q): q for q in before["questions"] if key(q) is not None}
    fields = []
    for q in summary["questions"]:
        old = old_by_key.get(key(q))
        if old is not None and q["rate"] is not None and old["rate"] is not None:
            fields.append({"position": q["position"], "short": q["short"], "before": old["rate"],
                           "now": q["rate"], "change": q["rate"] - old["rate"]})
    now_s, now_a = overall(summary)
    old_s, old_a = overall(before)
    now_rate, old_rate = rate(now_s, now_a), rate(old_s, old_a)
    return {"campaign_id": before["campaign_id"], "name": before.get("name"),
            "overall_before": old_rate, "overall_now": now_rate,
            "overall_change": None if now_rate is None or old_rate is None else now_rate - old_rate,
            "coverage_before": before["coverage"], "coverage_now": summary["coverage"], "questions": fields}


MIN_GROUP = 5  # no public figure for a group of fewer returned forms: it would reveal a household's answers


def questions_with_fields(summary: dict, questionnaire_id: int) -> dict:
    """The summary with each question's field key (to match questions across questionnaires)."""
    fields = {q.id: q.field for q in questions_of(questionnaire_id)}
    return {**summary, "questionnaire_id": questionnaire_id,
            "questions": [{**q, "field": fields.get(q["id"])} for q in summary["questions"]]}


def campaign_report(campaign: Campaign) -> dict:
    """Everything the staff report, the exports and the public page show about one campaign."""
    summary = questions_with_fields(campaign_summary(campaign), campaign.questionnaire_id)
    before = previous_campaign(campaign)
    before_summary = None
    if before is not None:
        before_summary = {**questions_with_fields(campaign_summary(before), before.questionnaire_id),
                          "name": before.name}
    return {
        "summary": summary, "hamlets": hamlet_figures(campaign), "channels": channel_mix(campaign),
        "reasons": reasons_by_field(campaign), "complaints": complaints_by_field(campaign),
        "field_hamlet": field_by_hamlet(campaign), "turnout": turnout(campaign),
        "previous": compare(summary, before_summary), "alerts": campaign_alerts(campaign, summary),
    }
