"""Builders for the counting tests: communes, small questionnaires and campaigns made through the services."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from survey_app.extensions import db
from survey_app.models import AdminUnit, Household, Question, Questionnaire, UnitLevel
from survey_app.services.clock import today_in_vietnam
from survey_app.services.survey.reference import questionnaire_by_key

_serial = itertools.count(1)


def make_commune(households_per_hamlet, *, division_type="xã", valid_from=date(2020, 1, 1), code=None,
                 valid_to=None, parent=None) -> AdminUnit:
    """A commune with one hamlet per entry of `households_per_hamlet`, each with that many households."""
    n = next(_serial)
    code = code or f"9{n:04d}"
    prefix = {"xã": "Xã", "phường": "Phường", "đặc khu": "Đặc khu"}[division_type]
    commune = AdminUnit(level=UnitLevel.COMMUNE, code=code, name=f"{prefix} Thử {n}", division_type=division_type,
                        valid_from=valid_from, valid_to=valid_to, parent=parent)
    db.session.add(commune)
    for i, count in enumerate(households_per_hamlet, start=1):
        hamlet = AdminUnit(level=UnitLevel.HAMLET, code=f"{code}-{i:02d}", name=f"Thôn {i:02d}", parent=commune,
                           division_type="thôn", valid_from=valid_from)
        db.session.add(hamlet)
        db.session.add_all(Household(hamlet=hamlet, number=str(k)) for k in range(1, count + 1))
    db.session.commit()
    return commune


def add_households(hamlet: AdminUnit, count: int) -> None:
    """A later household import (numbers continue after the existing ones)."""
    start = len(db.session.execute(db.select(Household.id).where(Household.hamlet_id == hamlet.id)).all())
    db.session.add_all(Household(hamlet=hamlet, number=f"late-{start + k}") for k in range(1, count + 1))
    db.session.commit()


def small_questionnaire(topics: int = 3) -> Questionnaire:
    """`topics` questions and an overall one, on the 2026–2030 criteria (test data, its own key)."""
    base = questionnaire_by_key("xa-ntm-2026-2030-v2")
    n = next(_serial)
    questionnaire = Questionnaire(key=f"test-{n}", title_vi="Phiếu thử", title_en="Test form",
                                  criteria_set=base.criteria_set)
    for position in range(1, topics + 2):
        overall = position == topics + 1
        questionnaire.questions.append(Question(
            position=position, text_vi=f"Câu {position}?", text_en=f"Question {position}?",
            short_vi="Đánh giá chung" if overall else f"Việc số {position}",
            short_en="Overall" if overall else f"Topic {position}", is_overall=overall,
            criterion=None if overall else base.criteria_set.criteria[position - 1]))
    db.session.add(questionnaire)
    db.session.commit()
    return questionnaire


def open_dates():
    today = today_in_vietnam()
    return today - timedelta(days=2), today + timedelta(days=20)
