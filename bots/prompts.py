"""What the engine asks at each point of the conversation, with the buttons that answer it."""
from __future__ import annotations

from . import texts
from .messages import Button

IDLE, LANGUAGE, QUESTION, REASON, OTHER, SUMMARY, RESUME, COMMUNE = (
    "idle", "language", "question", "reason", "other", "summary", "resume", "commune")


class Prompts:
    """Mixed into the engine's turn: `_buttons` are the payloads valid now, `_prompt` asks (again)."""

    def _buttons(self) -> tuple[Button, ...]:
        at, _ = self.at, self._
        if at == LANGUAGE:
            return texts.LANGUAGE_BUTTONS
        if at == QUESTION:
            return texts.answer_buttons(_, self.state["q"], self.state.get("misses", 0) >= 2)
        if at == REASON:
            return texts.buttons_skip(_, f"r{self.state['q']}:skip")
        if at == OTHER:
            return texts.buttons_no_other(_)
        if at == SUMMARY:
            return texts.summary_buttons(_, len(self.survey.missing()) if self.survey else 0)
        if at == RESUME:
            return texts.resume_buttons(_)
        if at == COMMUNE:
            return tuple(Button(c.name, f"cm:{c.id}") for c in self.context.communes[:10])
        return ()

    def _prompt(self) -> None:
        """Ask (again) what the conversation is waiting for."""
        at, _, survey = self.at, self._, self.survey
        if at == LANGUAGE:
            self.say(texts.CHOOSE_LANGUAGE, self._buttons())
        elif at == QUESTION:
            q = survey.question(self.state["q"])
            self.say(texts.question(_, q.position, len(survey.questions), q.text(self.conversation.language)),
                     self._buttons())
        elif at == REASON:
            self.say(texts.ask_reason(_), self._buttons())
        elif at == OTHER:
            self.say(texts.ask_other(_), self._buttons())
        elif at == SUMMARY:
            lang = self.conversation.language
            lines = [texts.summary_line(_, q.position, q.short(lang), *survey.answer(q.id))
                     for q in survey.questions]
            *first, last = texts.chunks(texts.summary(_, lines, survey.other, len(survey.missing())))
            for part in first:
                self.say(part)
            self.say(last, self._buttons())
        elif at == RESUME:
            self.say(texts.resume(_, survey.answered_count(), len(survey.questions)), self._buttons())
        elif at == COMMUNE:
            self.say(texts.ask_commune(_), self._buttons())
        else:
            self.say(texts.hello(_))
