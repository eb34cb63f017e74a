"""Questionnaires are immutable once stored, so each process keeps their questions as plain values.

Every survey page and every submission needs the questions; reading them once per process instead of
once per request takes a query and a dozen ORM objects off the hot path. A changed form is a new
questionnaire (a new key and id), never an edit, so the cache cannot go stale.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Criterion, Question


@dataclass(frozen=True)
class QuestionView:
    id: int
    position: int
    text_vi: str
    text_en: str
    short_vi: str
    short_en: str
    is_overall: bool
    required: bool
    field: str | None
    criterion: int | None  # the criterion's number in its set

    def text(self, locale: str) -> str:
        return self.text_en if locale == "en" else self.text_vi

    def short(self, locale: str) -> str:
        return self.short_en if locale == "en" else self.short_vi


_lock = threading.Lock()
_cache: dict[tuple[str, int], tuple[QuestionView, ...]] = {}


def questions_of(questionnaire_id: int) -> tuple[QuestionView, ...]:
    """The questionnaire's questions in order (cached per database and process)."""
    key = (db.engine.url.render_as_string(hide_password=True), questionnaire_id)
    cached = _cache.get(key)
    if cached is None:
        rows = db.session.execute(
            select(Question, Criterion.number).outerjoin(Criterion, Question.criterion_id == Criterion.id)
            .where(Question.questionnaire_id == questionnaire_id).order_by(Question.position)
        ).all()
        cached = tuple(QuestionView(q.id, q.position, q.text_vi, q.text_en, q.short_vi, q.short_en, q.is_overall,
                                    q.required, q.field, number) for q, number in rows)
        with _lock:
            _cache[key] = cached
    return cached


def forget() -> None:
    """Drop the cache (tests that rebuild a database under the same URL)."""
    with _lock:
        _cache.clear()
