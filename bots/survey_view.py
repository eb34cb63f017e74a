"""What the engine knows of a household's survey: plain values loaded by `receive`, changed by copy."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType


@dataclass(frozen=True)
class Commune:
    id: int
    name: str
    code: str


@dataclass(frozen=True)
class SurveyView:
    """The questions and the draft (answers, other opinions, phase) of one household, or of a practice run."""

    campaign_id: int
    invitation_id: int | None  # None: a staff rehearsal that stores nothing
    commune_id: int
    commune: str
    organiser: str
    code: str
    closes_on: date | None
    questions: tuple = ()  # QuestionView
    answers: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    other: str = ""
    phase: str = "questions"
    started: bool = False

    @property
    def practice(self) -> bool:
        return self.invitation_id is None

    def question(self, question_id: int):
        return next(q for q in self.questions if q.id == question_id)

    def answer(self, question_id: int) -> tuple[bool | None, str]:
        return self.answers.get(question_id, (None, ""))

    def missing(self) -> list:
        return [q for q in self.questions if q.required and self.answer(q.id)[0] is None]

    def next_question(self, skipped=()):
        return next((q for q in self.questions if self.answer(q.id)[0] is None and q.id not in skipped), None)

    def answered_count(self) -> int:
        return sum(1 for satisfied, _ in self.answers.values() if satisfied is not None)

    def with_answer(self, question_id: int, satisfied: bool | None, reason: str) -> SurveyView:
        return replace(self, answers=MappingProxyType({**self.answers, question_id: (satisfied, reason)}),
                       started=True)

    def with_phase(self, phase: str) -> SurveyView:
        return replace(self, phase=phase, started=True)

    def with_other(self, text: str) -> SurveyView:
        return replace(self, other=text, started=True)

    def cleared(self) -> SurveyView:
        return replace(self, answers=MappingProxyType({}), other="", phase="questions")
