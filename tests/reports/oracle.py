"""An independent computation of every report figure: raw rows read once, counted in plain Python."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from fractions import Fraction

from sqlalchemy import text

from survey_app.extensions import db


def rows(sql: str, **params) -> list:
    return db.session.execute(text(sql), params).all()


def campaign_figures(campaign_id: int) -> dict:
    (commune_id, threshold, questionnaire_id, opens, closes), = rows(
        "SELECT commune_id, threshold, questionnaire_id, opens_on, closes_on FROM campaign WHERE id = :c",
        c=campaign_id)
    hamlets = {r.id: r.name for r in rows("SELECT id, name FROM admin_unit WHERE parent_id = :p", p=commune_id)}
    households = Counter(r.hamlet_id for r in rows("SELECT hamlet_id, active FROM household") if
                         r.hamlet_id in hamlets and r.active)
    responses = rows("SELECT id, hamlet_id, channel, is_valid, verified, submitted_at FROM response "
                     "WHERE campaign_id = :c", c=campaign_id)
    valid_ids = {r.id for r in responses if r.is_valid}
    questions = rows("SELECT id, is_overall FROM question WHERE questionnaire_id = :q", q=questionnaire_id)
    overall_ids = {q.id for q in questions if q.is_overall}
    response_hamlet = {r.id: r.hamlet_id for r in responses}
    per_question = defaultdict(lambda: [0, 0])
    per_hamlet = defaultdict(lambda: [0, 0])
    for a in rows("SELECT response_id, question_id, satisfied FROM answer"):
        if a.response_id in valid_ids:
            per_question[a.question_id][0 if a.satisfied else 1] += 1
            if a.question_id in overall_ids:
                per_hamlet[response_hamlet[a.response_id]][0 if a.satisfied else 1] += 1
    channels = Counter((r.channel, bool(r.verified)) for r in responses)
    days = Counter(str((r.submitted_at if not isinstance(r.submitted_at, str) else
                        __import__("datetime").datetime.fromisoformat(r.submitted_at)) + timedelta(hours=7))[:10]
                   for r in responses)
    feedback = rows("SELECT f.id, f.text, f.source, f.unit_id, f.campaign_id, f.status, f.created_at, "
                    "COALESCE(f.confirmed_label, f.predicted_label, 'can_xem_xet') AS label FROM feedback f")
    reasons = Counter(f.label for f in feedback if f.campaign_id == campaign_id and f.source == "reason")
    distinct_reasons = Counter(label for label, _ in {(f.label, f.text) for f in feedback
                                                      if f.campaign_id == campaign_id and f.source == "reason"})
    units = set(hamlets) | {commune_id}

    def in_campaign(f):
        created = str(f.created_at)[:10]
        return f.campaign_id == campaign_id or (
            f.campaign_id is None and f.unit_id in units and str(opens) <= created <= str(closes))

    complaints = Counter(f.label for f in feedback if in_campaign(f))
    open_complaints = Counter(f.label for f in feedback if in_campaign(f) and f.status in ("new", "in_progress"))
    return {
        "threshold": Fraction(str(threshold)), "households": sum(households.values()),
        "households_by_hamlet": dict(households), "returned": len(responses), "valid": len(valid_ids),
        "by_hamlet": {h: (sum(1 for r in responses if r.hamlet_id == h),
                          sum(1 for r in responses if r.hamlet_id == h and r.is_valid)) for h in hamlets},
        "overall_by_hamlet": {h: tuple(v) for h, v in per_hamlet.items()},
        "questions": {q: tuple(v) for q, v in per_question.items()}, "overall_ids": overall_ids,
        "channels": dict(channels), "days": dict(days), "reasons": dict(reasons),
        "distinct_reasons": dict(distinct_reasons),
        "complaints": dict(complaints), "open_complaints": dict(open_complaints),
    }
