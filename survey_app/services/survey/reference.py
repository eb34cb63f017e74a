"""Criteria sets and questionnaires are data (survey_app/data), loaded idempotently."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import CriteriaSet, Criterion, Question, Questionnaire

DATA_DIR = Path(__file__).resolve().parents[2] / "data"  # survey_app/data


def ensure_reference_data() -> dict[str, int]:
    """Add the criteria sets and default questionnaires that are not in the database yet.

    A questionnaire is never rewritten once stored: campaigns may already point at its questions.
    A changed form gets a new key (a new version).
    """
    added = {"criteria_sets": 0, "questionnaires": 0}
    for spec in json.loads((DATA_DIR / "criteria_sets.json").read_text(encoding="utf-8")):
        if _by_key(CriteriaSet, spec["key"]) is None:
            _add_criteria_set(spec)
            added["criteria_sets"] += 1
    db.session.flush()
    for path in sorted((DATA_DIR / "questionnaires").glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if _by_key(Questionnaire, spec["key"]) is None:
            _add_questionnaire(spec)
            added["questionnaires"] += 1
    db.session.commit()
    return added


def _by_key(model, key: str):
    return db.session.execute(select(model).where(model.key == key)).scalar_one_or_none()


def _add_criteria_set(spec: dict) -> None:
    criteria_set = CriteriaSet(key=spec["key"], name=spec["name"], legal_basis=spec.get("legal_basis"))
    criteria_set.criteria = [Criterion(number=n, name=name, fields=fields) for n, name, fields in spec["criteria"]]
    db.session.add(criteria_set)


def _add_questionnaire(spec: dict) -> None:
    criteria_set = _by_key(CriteriaSet, spec["criteria_set"])
    by_number = {c.number: c for c in criteria_set.criteria}
    questionnaire = Questionnaire(
        key=spec["key"], title_vi=spec["title_vi"], title_en=spec["title_en"],
        intro_vi=spec.get("intro_vi", ""), intro_en=spec.get("intro_en", ""), criteria_set=criteria_set,
    )
    for position, q in enumerate(spec["questions"], start=1):
        criterion = by_number.get(q.get("criterion"))
        questionnaire.questions.append(Question(
            position=position, text_vi=q["vi"], text_en=q["en"], short_vi=q["short_vi"], short_en=q["short_en"],
            criterion=criterion, field=q.get("field") or (criterion.fields.split(",")[0] if criterion else None),
            is_overall=bool(q.get("overall")), required=q.get("required", True),
        ))
    db.session.add(questionnaire)


def questionnaire_by_key(key: str) -> Questionnaire | None:
    return _by_key(Questionnaire, key)
