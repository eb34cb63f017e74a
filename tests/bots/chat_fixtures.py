"""Plain values for the pure engine's tests: a questionnaire, a household's survey, a context."""
from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType

from bots.engine import Context, Conversation, handle
from bots.messages import Event
from bots.survey_view import Commune, SurveyView
from survey_app.services.survey.questionnaires import QuestionView

NOW = datetime(2026, 11, 20, 3, 0)
QUESTIONS = tuple(QuestionView(100 + n, n, f"Câu hỏi số {n}?", f"Question number {n}?", f"Chủ đề {n}",
                               f"Topic {n}", n == 4, True, None, n) for n in range(1, 5))
COMMUNES = (Commune(7, "Xã Cẩm Xuyên", "18451"), Commune(8, "Xã Cẩm Bình", "18452"))


def survey(answers=None, phase="questions", other="") -> SurveyView:
    answers = answers or {}
    return SurveyView(campaign_id=1, invitation_id=9, commune_id=7, commune="Xã Cẩm Xuyên",
                      organiser="Ban Công tác Mặt trận Xã Cẩm Xuyên", code="K7QM-3XPA", closes_on=date(2026, 12, 31),
                      questions=QUESTIONS, answers=MappingProxyType(answers), other=other, phase=phase,
                      started=bool(answers) or phase != "questions")


class Chat:
    """Plays a resident against the engine, carrying the survey forward as receive() would."""

    def __init__(self, conversation=None, view=None, now=NOW, communes=COMMUNES):
        self.conversation = conversation or Conversation()
        self.view, self.now, self.communes = view, now, communes
        self.actions, self.replies = [], []

    def send(self, kind, text="", found=None, language_code=None, problem=None):
        context = Context(now=self.now, survey=self.view if self.conversation.invitation_id else None,
                          survey_problem=problem, found=found, communes=self.communes)
        self.conversation, self.replies, actions = handle(self.conversation, Event(kind, text, language_code),
                                                         context)
        self.conversation = Conversation(**{**self.conversation.__dict__, "last_inbound_at": self.now})
        self.actions += actions
        if isinstance(found, SurveyView):
            self.view = found
        for action in actions:  # what receive() would store, so the next turn sees it
            name = type(action).__name__
            if name == "SaveAnswer":
                self.view = self.view.with_answer(action.question_id, action.satisfied, action.reason)
            elif name == "SetPhase":
                self.view = self.view.with_phase(action.phase)
            elif name == "SaveOther":
                self.view = self.view.with_other(action.text)
            elif name == "ClearDraft":
                self.view = self.view.cleared()
        return self.replies

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def payloads(self) -> list[str]:
        return [b.payload for r in self.replies for b in r.buttons]

    @property
    def at(self) -> str:
        return self.conversation.state.get("at", "idle")
