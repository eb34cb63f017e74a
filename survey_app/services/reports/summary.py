"""Roll-ups of one campaign, computed in SQL (GROUP BY), never by looping over responses in Python.

Every verdict is decided on whole numbers (`counting.meets_bar`); rates are exact fractions 0–1 for JSON.
Households are the ones fixed when the campaign opened; once published, the frozen figures are served.
"""
from __future__ import annotations

from flask import has_request_context
from sqlalchemy import case, func, select

from survey_app.extensions import db
from survey_app.i18n import current_locale
from survey_app.models import AdminUnit, Answer, Campaign, Household, InvitationCode, Question, Response, VerdictRule
from survey_app.services.reports.counting import meets_bar, rate
from survey_app.services.survey.questionnaires import questions_of


def _sum_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def live_household_counts(campaign: Campaign) -> dict[str, int]:
    """Active households per hamlet of the campaign's commune, now: {hamlet_id (str): n}."""
    rows = db.session.execute(
        select(Household.hamlet_id, func.count(Household.id)).join(AdminUnit, Household.hamlet_id == AdminUnit.id)
        .where(AdminUnit.parent_id == campaign.commune_id, Household.active.is_(True))
        .group_by(Household.hamlet_id)
    ).all()
    return {str(hamlet_id): int(n) for hamlet_id, n in rows}


def opening_household_counts(campaign: Campaign) -> dict[str, int]:
    """The households a campaign counts from its opening, per hamlet: {hamlet_id (str): n}.

    Every household that is active or holds a code of this campaign: a household given a code while the
    campaign was a draft and made inactive since can still answer, so it is counted too (otherwise returned
    forms could outnumber the households and coverage pass 100 %).
    """
    holds_code = InvitationCode.id.is_not(None)
    rows = db.session.execute(
        select(Household.hamlet_id, func.count(Household.id))
        .join(AdminUnit, Household.hamlet_id == AdminUnit.id)
        .outerjoin(InvitationCode, (InvitationCode.household_id == Household.id)
                   & (InvitationCode.campaign_id == campaign.id))
        .where(AdminUnit.parent_id == campaign.commune_id, Household.active.is_(True) | holds_code)
        .group_by(Household.hamlet_id)
    ).all()
    return {str(hamlet_id): int(n) for hamlet_id, n in rows}


def household_counts(campaign: Campaign) -> dict[str, int]:
    """The households the campaign counts: fixed when it opened (plus those given a code since), live for a draft."""
    return campaign.household_counts if campaign.household_counts is not None else live_household_counts(campaign)


def campaign_summary(campaign: Campaign, locale: str | None = None) -> dict:
    """Forms issued/returned/valid/invalid, coverage, per-question rates and the verdict.

    Published campaigns serve the figures frozen at publication (`frozen` is then true).
    """
    if campaign.frozen_figures is not None:
        summary = dict(campaign.frozen_figures["summary"], status=campaign.status, frozen=True)
        summary["questions"] = [dict(q) for q in summary["questions"]]
    else:
        summary = compute_summary(campaign)
    return localise(summary, locale)


def localise(summary: dict, locale: str | None) -> dict:
    """Question names in the reader's language ("short"); both stay available as short_vi/short_en."""
    lang = locale or _request_locale()
    for q in summary["questions"]:
        q["short"] = q["short_en"] if lang == "en" else q["short_vi"]
    return summary


def _request_locale() -> str:
    if not has_request_context():
        return "vi"
    return current_locale()


def compute_summary(campaign: Campaign) -> dict:
    """The live figures (what publish freezes)."""
    returned, valid, verified = (int(x) for x in db.session.execute(
        select(func.count(Response.id), _sum_if(Response.is_valid), _sum_if(Response.verified))
        .where(Response.campaign_id == campaign.id)
    ).one())
    codes = db.session.execute(
        select(func.count(InvitationCode.id)).where(InvitationCode.campaign_id == campaign.id)).scalar_one()
    households = sum(household_counts(campaign).values())
    counts = {
        row.question_id: (int(row.satisfied), int(row.answered))
        for row in db.session.execute(
            select(Answer.question_id, _sum_if(Answer.satisfied.is_(True)).label("satisfied"),
                   func.count(Answer.id).label("answered"))
            .join(Response, Answer.response_id == Response.id)
            .where(Response.campaign_id == campaign.id, Response.is_valid.is_(True))
            .group_by(Answer.question_id)
        )
    }
    questions = [_question_figures(q, *counts.get(q.id, (0, 0)), valid, campaign.threshold)
                 for q in questions_of(campaign.questionnaire_id)]
    overall = next((q for q in questions if q["is_overall"]), None)
    if campaign.verdict_rule == VerdictRule.EVERY_QUESTION:
        verdict = bool(questions) and all(q["meets_threshold"] for q in questions)
    else:
        verdict = overall is not None and overall["meets_threshold"]
    return {
        "campaign_id": campaign.id, "slug": campaign.slug, "status": campaign.status, "mode": campaign.mode,
        "commune_code": campaign.commune.code, "commune": campaign.commune.name,
        "issued": int(codes) + (campaign.forms_issued or 0), "codes_issued": int(codes),
        "forms_issued": campaign.forms_issued or 0,
        "returned": returned, "valid": valid, "invalid": returned - valid,
        "verified_returned": verified, "unverified_returned": returned - verified,
        "households": households, "coverage": rate(returned, households),
        "verified_coverage": rate(verified, households),
        "coverage_exceeds_households": returned > households,
        "min_coverage": campaign.min_coverage, "coverage_met": meets_bar(returned, households, campaign.min_coverage),
        "threshold": campaign.threshold, "verdict_rule": campaign.verdict_rule,
        "overall_satisfied": overall["satisfied"] if overall else 0,
        "overall_answered": overall["answered"] if overall else 0,
        "overall_rate": overall["rate"] if overall else None,
        "meets_threshold": verdict,
        "questions_under_bar": [q["id"] for q in questions if not q["meets_threshold"]],
        "frozen": False,
        "questions": questions,
    }


def _question_figures(q, satisfied: int, answered: int, valid: int, threshold) -> dict:
    return {
        "id": q.id, "position": q.position, "criterion": q.criterion, "is_overall": q.is_overall,
        "short_vi": q.short_vi, "short_en": q.short_en,
        "satisfied": satisfied, "not_satisfied": answered - satisfied, "answered": answered,
        "blank": valid - answered, "rate": rate(satisfied, answered),
        "meets_threshold": meets_bar(satisfied, answered, threshold),  # exact, never rounded
    }


def hamlet_breakdown(campaign: Campaign) -> list[dict]:
    """Per hamlet: households (as fixed), forms returned and the overall question's counts and rate."""
    if campaign.frozen_figures is not None:
        return [dict(h) for h in campaign.frozen_figures["hamlets"]]
    households = household_counts(campaign)
    hamlets = db.session.execute(
        select(AdminUnit.id, AdminUnit.name).where(AdminUnit.parent_id == campaign.commune_id)
        .order_by(AdminUnit.name)
    ).all()
    returned = dict(db.session.execute(
        select(Response.hamlet_id, func.count(Response.id)).where(Response.campaign_id == campaign.id)
        .group_by(Response.hamlet_id)
    ).all())
    overall = {
        row.hamlet_id: (int(row.satisfied), int(row.answered))
        for row in db.session.execute(
            select(Response.hamlet_id, _sum_if(Answer.satisfied.is_(True)).label("satisfied"),
                   func.count(Answer.id).label("answered"))
            .join(Answer, Answer.response_id == Response.id).join(Question, Answer.question_id == Question.id)
            .where(Response.campaign_id == campaign.id, Response.is_valid.is_(True), Question.is_overall.is_(True))
            .group_by(Response.hamlet_id)
        )
    }
    rows = []
    for hamlet_id, name in hamlets:
        satisfied, answered = overall.get(hamlet_id, (0, 0))
        rows.append({"id": hamlet_id, "name": name, "households": households.get(str(hamlet_id), 0),
                     "returned": int(returned.get(hamlet_id, 0)), "overall_satisfied": satisfied,
                     "overall_answered": answered, "overall_rate": rate(satisfied, answered)})
    return rows
