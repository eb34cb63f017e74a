"""The chat survey as a pure function: (conversation, event, context) → (conversation, replies, actions).

No database, no network, no clock inside: `bots.conversation.receive` loads the context (the
household's draft, what a typed code names, the communes), runs `handle`, then applies the actions
through the survey services in one transaction with the replies. The conversation's `state` is a
cursor only (where we are, which question, how many misses); the answers live in the draft.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from survey_app.errors import DomainError

from . import parsing, texts
from .messages import Button, Event, EventKind, Reply
from .state import (  # noqa: F401  (re-exported: the engine's vocabulary)
    AddComplaint, ClearDraft, Context, Conversation, SaveAnswer, SaveOther, SetPhase, Submit,
)
from .complaints import Complaints
from .prompts import COMMUNE, IDLE, LANGUAGE, OTHER, QUESTION, REASON, RESUME, SUMMARY, Prompts  # noqa: F401
from .survey_view import SurveyView
from .texts import problem_text

EXPIRY = timedelta(days=7)  # a half-finished chat survey is closed after a week of silence
BREAK = timedelta(hours=12)  # after a night away, ask "Tiếp tục / Làm lại" before going on
IN_SURVEY = (LANGUAGE, QUESTION, REASON, OTHER, SUMMARY, RESUME)


def handle(conversation: Conversation, event: Event, context: Context):
    """One inbound event → (new conversation, replies, actions)."""
    turn = _Turn(conversation, context)
    turn.run(event)
    return turn.conversation, turn.replies, turn.actions


class _Turn(Prompts, Complaints):
    def __init__(self, conversation: Conversation, context: Context):
        self.conversation, self.context = conversation, context
        self.state = dict(conversation.state or {})
        self.replies: list[Reply] = []
        self.actions: list = []
        self.survey = context.survey
        self._ = texts.gettext_for(conversation.language)

    # --- bookkeeping -------------------------------------------------------------------------
    @property
    def at(self) -> str:
        return self.state.get("at", IDLE)

    def say(self, text: str, buttons: tuple[Button, ...] = ()) -> None:
        self.replies.append(Reply(text, tuple(buttons)))

    def go(self, at: str, **extra) -> None:
        keep = {k: self.state[k] for k in ("commune_id", "chose_language") if k in self.state}
        self.state = {**keep, "at": at, **extra}

    def set_language(self, language: str) -> None:
        self.conversation = replace(self.conversation, language=language)
        self._ = texts.gettext_for(language)

    def finish(self) -> None:
        self.conversation = replace(self.conversation, state=self.state)

    # --- the turn ------------------------------------------------------------------------------
    def run(self, event: Event) -> None:
        try:
            self._run(event)
        finally:
            self.finish()

    def _run(self, event: Event) -> None:
        text = parsing.nfc(event.text)
        if event.kind == EventKind.STOP:  # the platform says the resident left: nothing can be sent
            self._opt_out(reply=False)
            return
        if event.kind in (EventKind.TEXT, EventKind.BUTTON) and parsing.is_stop(text):
            self._opt_out(reply=True)
            return
        cmd = parsing.command(text) if event.kind == EventKind.TEXT else None
        starting = event.kind == EventKind.START or (cmd is not None and cmd[0] == "start")
        if self.conversation.opted_out:
            if not starting:
                return  # they asked for silence
            self.conversation = replace(self.conversation, opted_out=False)
            self.say(texts.welcome_back(self._))
        if starting:
            if event.language_code and not self.state.get("chose_language"):
                self.set_language("en" if event.language_code.lower().startswith("en") else "vi")
            self._start()
            return
        if cmd is not None and cmd[0] == "help" or parsing.is_help(text):
            self.say(texts.help_text(self._))
            self._prompt()
            return
        if self.at in IN_SURVEY and self._expired():
            self.say(texts.expired(self._))
            self._leave_survey()
            if isinstance(self.context.found, (SurveyView, DomainError)):
                self._start()
            return
        if self.at in IN_SURVEY and self.survey is None:
            self._survey_gone()
            return
        if event.kind == EventKind.ATTACHMENT:
            self.say(texts.attachment(self._))
            self._prompt()
            return
        payloads = {b.payload for b in self._buttons()}
        if event.kind == EventKind.BUTTON or text in payloads:
            if text in payloads:
                self._press(text)
            else:
                self.say(texts.stale(self._))
                self._prompt()
            return
        if self.at in (QUESTION, REASON, OTHER, SUMMARY) and self._after_break():
            self.go(RESUME)
            self._prompt()
            return
        if self.context.found is not None and self.at not in (REASON, OTHER):
            self._start()
            return
        self._typed(text)

    # --- start, stop, leave ----------------------------------------------------------------------
    def _opt_out(self, reply: bool) -> None:
        self.conversation = replace(self.conversation, opted_out=True, invitation_id=None, campaign_id=None)
        self.go(IDLE)
        self.actions.clear()
        if reply:
            self.say(texts.stopped(self._))

    def _start(self) -> None:
        found = self.context.found
        if found is None:
            if self.survey is not None and self.at in IN_SURVEY:
                self.go(RESUME)
                self._prompt()
                return
            self._leave_survey()
            self.say(texts.hello(self._))
            return
        if isinstance(found, DomainError):
            self._leave_survey()
            self.say(self._problem(found))
            return
        self.survey = found
        self.conversation = replace(self.conversation, campaign_id=found.campaign_id,
                                    invitation_id=found.invitation_id)
        self.state["commune_id"] = found.commune_id
        if found.started:
            self.go(RESUME, practice=found.practice)
            self._prompt()
            return
        self.say(texts.intro(self._, found.organiser, found.commune, found.code, len(found.questions)))
        self.go(LANGUAGE, practice=found.practice)
        self._prompt()

    def _leave_survey(self) -> None:
        self.conversation = replace(self.conversation, invitation_id=None, campaign_id=None)
        self.survey = None
        self.go(IDLE)

    def _survey_gone(self) -> None:
        problem = self.context.survey_problem
        self._leave_survey()
        self.say(self._problem(problem) if problem else texts.hello(self._))

    def _problem(self, error: DomainError) -> str:
        return problem_text(self._, error)

    def _expired(self) -> bool:
        last = self.conversation.last_inbound_at
        return last is not None and self.context.now - last > EXPIRY

    def _after_break(self) -> bool:
        last = self.conversation.last_inbound_at
        return last is not None and self.context.now - last > BREAK

    def _advance(self) -> None:
        """Go to what comes next for this household: the next unanswered question, other opinions, summary."""
        survey = self.survey
        if self.state.get("edit") or survey.phase == "review":
            self.go(SUMMARY, practice=self.state.get("practice", False))
            return self._prompt()
        following = survey.next_question(self.state.get("skipped", ()))
        if following is not None:
            self.go(QUESTION, q=following.id, practice=self.state.get("practice", False),
                    skipped=self.state.get("skipped", []))
            return self._prompt()
        if survey.phase == "questions":
            self._set_phase("other")
        self.go(OTHER, practice=self.state.get("practice", False))
        self._prompt()

    def _set_phase(self, phase: str) -> None:
        self.survey = self.survey.with_phase(phase)
        self.actions.append(SetPhase(phase))

    def _save(self, question_id: int, satisfied: bool | None, reason: str = "") -> None:
        self.survey = self.survey.with_answer(question_id, satisfied, reason)
        self.actions.append(SaveAnswer(question_id, satisfied, reason))

    # --- buttons (pressed, or their payload typed: Zalo sends a press as text) -----------------
    def _press(self, payload: str) -> None:
        kind, _, value = payload.partition(":")
        if kind == "lang":
            self.set_language(value)
            self.state["chose_language"] = True
            self._advance()
        elif kind[:1] == "q" and kind[1:].isdigit():
            self._answer_question(int(kind[1:]), value)
        elif kind[:1] == "r" and kind[1:].isdigit():
            self._after_reason()
        elif kind == "o":
            self._set_phase("review")
            self.go(SUMMARY, practice=self.state.get("practice", False))
            self._prompt()
        elif kind == "s":
            self._summary_choice(value)
        elif kind == "res":
            if value == "redo":
                self.survey = self.survey.cleared()
                self.actions.append(ClearDraft())
            self.state.pop("skipped", None)
            self._advance()
        elif kind == "cm":
            commune = next(c for c in self.context.communes if str(c.id) == value)
            self._file_complaint(self.state.get("pending", ""), commune)

    def _answer_question(self, question_id: int, value: str) -> None:
        if value == "skip":
            self.say(texts.skipped(self._))
            self.state["skipped"] = [*self.state.get("skipped", []), question_id]
            self.state.pop("edit", None)
            self._advance()
            return
        satisfied = value == "1"
        self._save(question_id, satisfied, "" if satisfied else self.survey.answer(question_id)[1])
        if satisfied:
            self._advance()
        else:
            self.go(REASON, q=question_id, practice=self.state.get("practice", False),
                    skipped=self.state.get("skipped", []), edit=self.state.get("edit", False))
            self._prompt()

    def _after_reason(self) -> None:
        self._advance()

    def _summary_choice(self, value: str) -> None:
        if value == "send":
            self.actions.append(Submit())
            self._leave_survey()
        elif value == "edit":
            self.say(texts.ask_edit(self._))
        else:  # "fill": ask the questions set aside
            self.state.pop("skipped", None)
            self.state.pop("edit", None)
            self._set_phase("questions")
            self._advance()

    # --- typed text --------------------------------------------------------------------------
    def _typed(self, text: str) -> None:
        at = self.at
        if at == QUESTION:
            satisfied = parsing.answer(text)
            if satisfied is None:
                return self._miss()
            return self._answer_question(self.state["q"], "1" if satisfied else "2")
        if at == REASON:
            if not parsing.is_skip(text):
                self._save(self.state["q"], False, text)
            return self._after_reason()
        if at == OTHER:
            self.actions.append(SaveOther("" if parsing.is_skip(text) else text))
            self.survey = self.survey.with_other("" if parsing.is_skip(text) else text)
            return self._press("o:skip")
        if at == SUMMARY:
            return self._summary_typed(text)
        if at == LANGUAGE:
            folded = parsing.fold(text)
            choice = "en" if folded in ("2", "en", "english", "tieng anh") else (
                "vi" if folded in ("1", "vi", "tieng viet", "viet") else None)
            return self._press(f"lang:{choice}") if choice else self._miss()
        if at == RESUME:
            folded = parsing.fold(text)
            if folded in parsing.CONTINUE or folded in parsing.RESTART:
                return self._press("res:go" if folded in parsing.CONTINUE else "res:redo")
            return self._miss()
        if at == COMMUNE:
            return self._commune_typed(text)
        self._complaint(text)

    def _summary_typed(self, text: str) -> None:
        n = parsing.number(text)
        target = next((q for q in self.survey.questions if q.position == n), None) if n else None
        if target is not None:
            self.go(QUESTION, q=target.id, edit=True, practice=self.state.get("practice", False))
            return self._prompt()
        if parsing.fold(text) in parsing.SEND and not self.survey.missing():
            return self._summary_choice("send")
        self._miss()

    def _miss(self) -> None:
        misses = self.state.get("misses", 0) + 1
        self.state["misses"] = misses
        if self.at == QUESTION:
            self.say(texts.reask(self._, misses >= 2))
        self._prompt()
