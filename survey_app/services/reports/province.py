"""Province roll-up: every commune's latest campaign (or those of a period) in a handful of GROUP BYs.

Communes hang under the province directly (since 1 July 2025) or under a legacy district (before);
a former commune merged into another keeps its own campaigns and is shown with its successor's name.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, or_, select, text
from sqlalchemy.orm import aliased

from survey_app.extensions import db
from survey_app.models import (
    AdminUnit,
    Answer,
    Campaign,
    CampaignStatus,
    Household,
    Question,
    Response,
    UnitLevel,
    VerdictRule,
)
from survey_app.services.reports.counting import meets_bar, rate

LOW_COVERAGE = 0.70
BUCKETS = ((0, 80), (80, 85), (85, 90), (90, 95), (95, 101))  # percent bands of the overall rate


def find_province(code: str) -> AdminUnit | None:
    return db.session.execute(select(AdminUnit).where(
        AdminUnit.level == UnitLevel.PROVINCE, AdminUnit.code == code).order_by(AdminUnit.valid_from.desc())
    ).scalars().first()


def _communes_of(province_id: int):
    """Commune ids of the province: directly under it, or under one of its legacy districts."""
    districts = select(AdminUnit.id).where(AdminUnit.parent_id == province_id, AdminUnit.level == UnitLevel.DISTRICT)
    return select(AdminUnit.id).where(AdminUnit.level == UnitLevel.COMMUNE, or_(
        AdminUnit.parent_id == province_id, AdminUnit.parent_id.in_(districts)))


def chosen_campaigns(province_id: int, start: date | None = None, end: date | None = None):
    """Per commune the latest non-draft campaign; with a period, the latest one opened within it.

    Without a period only current communes count; a period also brings in former communes."""
    commune = aliased(AdminUnit)
    where = [Campaign.commune_id.in_(_communes_of(province_id)), Campaign.status != CampaignStatus.DRAFT]
    if start or end:
        where += [Campaign.opens_on >= (start or date.min), Campaign.opens_on <= (end or date.max)]
    else:
        where.append(commune.valid_to.is_(None))
    ranked = (select(Campaign.id, func.row_number().over(
        partition_by=Campaign.commune_id, order_by=(Campaign.closes_on.desc(), Campaign.id.desc())).label("rn"))
        .join(commune, Campaign.commune_id == commune.id).where(*where).subquery())
    return select(ranked.c.id).where(ranked.c.rn == 1)


def province_rollup(province: AdminUnit, start: date | None = None, end: date | None = None) -> list[dict]:
    """One row per commune: campaign, households, returned, valid, coverage, overall rate and verdict.

    A published campaign's figures are the ones frozen at publication (what the public page shows); the
    others are counted now. The chosen campaigns and their questions are read first (a few hundred ids), so
    the big GROUP BYs see plain id lists the planner can estimate and serve from the report indexes."""
    if db.engine.url.get_backend_name() == "postgresql":
        # The overall-question join hashes ~1M responses: let it do so in memory, for this transaction only.
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))
    chosen = list(db.session.execute(chosen_campaigns(province.id, start, end)).scalars())
    commune, parent, successor = aliased(AdminUnit), aliased(AdminUnit), aliased(AdminUnit)
    campaigns = db.session.execute(
        select(Campaign.id, Campaign.name, Campaign.status, Campaign.threshold, Campaign.opens_on,
               Campaign.closes_on, Campaign.questionnaire_id, Campaign.verdict_rule, Campaign.min_coverage,
               Campaign.household_counts, Campaign.frozen_figures, commune.id.label("commune_id"), commune.code,
               commune.name.label("commune"), parent.level.label("parent_level"), parent.name.label("district"),
               successor.name.label("merged_into"))
        .join(commune, Campaign.commune_id == commune.id).join(parent, commune.parent_id == parent.id)
        .outerjoin(successor, commune.merged_into_id == successor.id)
        .where(Campaign.id.in_(chosen or [-1]))).all()
    live = _live_figures([c for c in campaigns if c.frozen_figures is None])
    rows = []
    for c in campaigns:
        if c.frozen_figures is not None:
            s = c.frozen_figures["summary"]
            hh, returned, valid = s["households"], s["returned"], s["valid"]
            satisfied, answered, meets = s["overall_satisfied"], s["overall_answered"], s["meets_threshold"]
        else:
            hh, returned, valid, satisfied, answered, meets = live[c.id]
        rows.append({
            "campaign_id": c.id, "campaign": c.name, "status": c.status, "threshold": c.threshold,
            "opens_on": c.opens_on, "closes_on": c.closes_on, "commune_id": c.commune_id,
            "commune_code": c.code, "commune": c.commune, "merged_into": c.merged_into,
            "district": c.district if c.parent_level == UnitLevel.DISTRICT else None,
            "households": hh, "returned": returned, "valid": valid, "invalid": returned - valid,
            "coverage": rate(returned, hh), "satisfied": satisfied, "answered": answered,
            "overall_rate": rate(satisfied, answered), "meets_threshold": meets, "frozen": c.frozen_figures is not None,
            "verdict_rule": c.verdict_rule, "min_coverage": c.min_coverage,
            "coverage_met": meets_bar(returned, hh, c.min_coverage),
        })
    return rows


def _live_figures(campaigns: list) -> dict[int, tuple]:
    """campaign id → (households, returned, valid, overall satisfied, overall answered, verdict), counted now."""
    ids = [c.id for c in campaigns] or [-1]
    questions = db.session.execute(select(Question.id, Question.questionnaire_id, Question.is_overall).where(
        Question.questionnaire_id.in_({c.questionnaire_id for c in campaigns} or {-1}))).all()
    overall_ids = [q.id for q in questions if q.is_overall] or [-1]
    hamlet = aliased(AdminUnit)
    per_hamlet = (select(Household.hamlet_id, func.count(Household.id).label("n"))
                  .where(Household.active.is_(True), Household.hamlet_id.in_(
                      select(AdminUnit.id).where(AdminUnit.parent_id.in_({c.commune_id for c in campaigns} or {-1}))))
                  .group_by(Household.hamlet_id).subquery())
    live_households = dict(db.session.execute(
        select(hamlet.parent_id, func.sum(per_hamlet.c.n)).join(hamlet, per_hamlet.c.hamlet_id == hamlet.id)
        .group_by(hamlet.parent_id)).all())
    forms = {r.campaign_id: r for r in db.session.execute(
        select(Response.campaign_id, func.count(Response.id).label("returned"),
               func.sum(case((Response.is_valid, 1), else_=0)).label("valid"))
        .where(Response.campaign_id.in_(ids)).group_by(Response.campaign_id))}
    overall = {r.campaign_id: r for r in db.session.execute(
        select(Response.campaign_id, func.sum(case((Answer.satisfied, 1), else_=0)).label("satisfied"),
               func.count(Answer.response_id).label("answered"))
        .join(Answer, Answer.response_id == Response.id)
        .where(Answer.question_id.in_(overall_ids), Response.campaign_id.in_(ids), Response.is_valid.is_(True))
        .group_by(Response.campaign_id))}
    every = _every_question_verdicts([c for c in campaigns if c.verdict_rule == VerdictRule.EVERY_QUESTION],
                                     questions)
    out = {}
    for c in campaigns:
        f, o = forms.get(c.id), overall.get(c.id)
        returned, valid = (int(f.returned), int(f.valid or 0)) if f else (0, 0)
        satisfied, answered = (int(o.satisfied or 0), int(o.answered)) if o else (0, 0)
        hh = (sum(c.household_counts.values()) if c.household_counts is not None
              else int(live_households.get(c.commune_id, 0)))
        meets = every[c.id] if c.id in every else meets_bar(satisfied, answered, c.threshold)
        out[c.id] = (hh, returned, valid, satisfied, answered, meets)
    return out


def _every_question_verdicts(campaigns: list, questions: list) -> dict[int, bool]:
    """For campaigns judged question by question: does every question reach the bar (one GROUP BY)?"""
    if not campaigns:
        return {}
    counts = {(r.campaign_id, r.question_id): (int(r.satisfied or 0), int(r.answered)) for r in db.session.execute(
        select(Response.campaign_id, Answer.question_id, func.sum(case((Answer.satisfied, 1), else_=0)).label(
            "satisfied"), func.count(Answer.response_id).label("answered"))
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.campaign_id.in_([c.id for c in campaigns]), Response.is_valid.is_(True))
        .group_by(Response.campaign_id, Answer.question_id))}
    return {c.id: all(meets_bar(*counts.get((c.id, q.id), (0, 0)), c.threshold)
                      for q in questions if q.questionnaire_id == c.questionnaire_id) for c in campaigns}


SORTS = {
    "attention": lambda r: (r["meets_threshold"] and r["coverage_met"], r["overall_rate"] or 0, r["commune"]),
    "name": lambda r: (r["district"] or "", r["commune"]),
    "rate": lambda r: (r["overall_rate"] is None, -(r["overall_rate"] or 0), r["commune"]),
    "coverage": lambda r: (r["coverage"] is None, -(r["coverage"] or 0), r["commune"]),
}


def sort_rows(rows: list[dict], key: str) -> list[dict]:
    """Communes under the bar or with low coverage first by default; by name, rate or coverage on request."""
    return sorted(rows, key=SORTS.get(key, SORTS["attention"]))


def distribution(rows: list[dict]) -> list[dict]:
    """How many communes fall in each band of the overall rate (exact: satisfied×100 vs band × answered)."""
    out = []
    for low, high in BUCKETS:
        n = sum(1 for r in rows if r["answered"] and r["satisfied"] * 100 >= low * r["answered"]
                and r["satisfied"] * 100 < high * r["answered"])
        out.append({"low": low, "high": min(high, 100), "communes": n})
    return out


def totals(rows: list[dict]) -> dict:
    """Province totals over the listed communes."""
    keys = ("households", "returned", "valid", "invalid", "satisfied", "answered")
    total = {k: sum(r[k] for r in rows) for k in keys}
    total["communes"] = len(rows)
    total["meeting"] = sum(1 for r in rows if r["meets_threshold"])
    total["coverage"] = rate(total["returned"], total["households"])
    total["overall_rate"] = rate(total["satisfied"], total["answered"])
    return total
