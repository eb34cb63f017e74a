"""Roll-ups of one campaign, computed in SQL (GROUP BY), never by looping over responses in Python."""
from __future__ import annotations

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import AdminUnit, Answer, Campaign, Household, Question, Response
from .counting import meets_bar, rate
from .questionnaires import questions_of


def _rate(satisfied: int, not_satisfied: int) -> float | None:
    return rate(satisfied, satisfied + not_satisfied)


def campaign_summary(campaign: Campaign) -> dict:
    """Forms returned/valid/invalid, coverage and per-question rates (fractions 0–1)."""
    returned, valid = db.session.execute(
        select(func.count(Response.id), func.coalesce(func.sum(case((Response.is_valid, 1), else_=0)), 0))
        .where(Response.campaign_id == campaign.id)
    ).one()
    households = db.session.execute(
        select(func.count(Household.id)).join(AdminUnit, Household.hamlet_id == AdminUnit.id)
        .where(AdminUnit.parent_id == campaign.commune_id, Household.active.is_(True))
    ).scalar_one()
    counts = {
        row.question_id: (row.satisfied, row.not_satisfied)
        for row in db.session.execute(
            select(Answer.question_id,
                   func.sum(case((Answer.satisfied, 1), else_=0)).label("satisfied"),
                   func.sum(case((Answer.satisfied, 0), else_=1)).label("not_satisfied"))
            .join(Response, Answer.response_id == Response.id)
            .where(Response.campaign_id == campaign.id, Response.is_valid.is_(True))
            .group_by(Answer.question_id)
        )
    }
    questions, overall_rate, overall_meets = [], None, False
    for q in questions_of(campaign.questionnaire_id):
        satisfied, not_satisfied = (int(x) for x in counts.get(q.id, (0, 0)))
        meets = meets_bar(satisfied, satisfied + not_satisfied, campaign.threshold)  # exact, never rounded
        if q.is_overall:
            overall_rate, overall_meets = _rate(satisfied, not_satisfied), meets
        questions.append({
            "id": q.id, "position": q.position, "criterion": q.criterion,
            "is_overall": q.is_overall, "short": q.short_vi, "satisfied": satisfied,
            "not_satisfied": not_satisfied, "rate": _rate(satisfied, not_satisfied),
            "meets_threshold": meets,
        })
    return {
        "campaign_id": campaign.id, "slug": campaign.slug, "status": campaign.status,
        "commune_code": campaign.commune.code, "commune": campaign.commune.name,
        "returned": int(returned), "valid": int(valid), "invalid": int(returned) - int(valid),
        "households": int(households), "coverage": rate(int(returned), int(households)),
        "threshold": campaign.threshold, "overall_rate": overall_rate,
        "meets_threshold": overall_meets,
        "questions": questions,
    }


def hamlet_breakdown(campaign: Campaign) -> list[dict]:
    """Per hamlet: households, forms returned and the overall-question rate (one GROUP BY each)."""
    hamlets = db.session.execute(
        select(AdminUnit.id, AdminUnit.name, func.count(Household.id))
        .outerjoin(Household, (Household.hamlet_id == AdminUnit.id) & Household.active.is_(True))
        .where(AdminUnit.parent_id == campaign.commune_id)
        .group_by(AdminUnit.id, AdminUnit.name).order_by(AdminUnit.name)
    ).all()
    returned = dict(db.session.execute(
        select(Response.hamlet_id, func.count(Response.id)).where(Response.campaign_id == campaign.id)
        .group_by(Response.hamlet_id)
    ).all())
    overall = dict(
        (row.hamlet_id, (int(row.satisfied), int(row.answered)))
        for row in db.session.execute(
            select(Response.hamlet_id, func.sum(case((Answer.satisfied, 1), else_=0)).label("satisfied"),
                   func.count(Answer.id).label("answered"))
            .join(Answer, Answer.response_id == Response.id).join(Question, Answer.question_id == Question.id)
            .where(Response.campaign_id == campaign.id, Response.is_valid.is_(True), Question.is_overall.is_(True))
            .group_by(Response.hamlet_id)
        )
    )
    rows = []
    for hamlet_id, name, households in hamlets:
        satisfied, answered = overall.get(hamlet_id, (0, 0))
        rows.append({"id": hamlet_id, "name": name, "households": households,
                     "returned": returned.get(hamlet_id, 0), "overall_rate": _rate(satisfied, answered - satisfied)})
    return rows
