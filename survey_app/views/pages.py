"""How the web survey groups questions into pages, and where each step of it lives.

Only the web has pages: a chat asks one question per message. The draft keeps the phase and the
answers; the page a resident returns to is worked out from them here.
"""
from __future__ import annotations

from flask import url_for

from survey_app.services.survey.questionnaires import QuestionView

from ..models import DraftPhase

PAGE_SIZE = 3  # questions per page: few enough to read on a small phone at 200 % text zoom


def pages_of(target) -> list[list[QuestionView]]:
    """Questions grouped in pages of PAGE_SIZE; a last lone question joins the page before it."""
    qs = target.questions
    pages = [list(qs[i:i + PAGE_SIZE]) for i in range(0, len(qs), PAGE_SIZE)]
    if len(pages) > 1 and len(pages[-1]) == 1:
        pages[-2].extend(pages.pop())
    return pages


def page_of(target, question_id: int) -> int:
    """The page number (from 1) that shows this question."""
    for n, questions in enumerate(pages_of(target), start=1):
        if any(q.id == question_id for q in questions):
            return n
    return 1


def resume_url(target, draft) -> str | None:
    """Where a resident who stopped picks up again (None before anything was saved)."""
    if not draft.started:
        return None
    if draft.phase == DraftPhase.REVIEW:
        return url_for(".review")
    following = draft.next_question(target.questions)
    if draft.phase == DraftPhase.OTHER or following is None:
        return url_for(".other")
    return url_for(".page", n=page_of(target, following.id))


def step_total(target) -> int:
    """Steps a progress bar counts: every question, the other opinions, the review."""
    return len(target.questions) + 2
