"""The engine's inputs and outputs: the conversation cursor, what receive() loaded, and the actions to apply."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from survey_app.errors import DomainError

from .survey_view import Commune, SurveyView


@dataclass(frozen=True)
class Context:
    now: datetime
    survey: SurveyView | None = None  # the household this conversation is answering for
    survey_problem: DomainError | None = None  # why that survey cannot go on (answered elsewhere, closed)
    found: SurveyView | DomainError | None = None  # what a code in this event names
    communes: tuple[Commune, ...] = ()  # communes with a campaign, for a complaint


@dataclass(frozen=True)
class Conversation:
    state: dict = field(default_factory=dict)
    language: str = "vi"
    opted_out: bool = False
    campaign_id: int | None = None
    invitation_id: int | None = None
    last_inbound_at: datetime | None = None


# Actions: what receive() does through the services, in order.
@dataclass(frozen=True)
class SaveAnswer:
    question_id: int
    satisfied: bool | None
    reason: str = ""


@dataclass(frozen=True)
class SaveOther:
    text: str


@dataclass(frozen=True)
class SetPhase:
    phase: str


@dataclass(frozen=True)
class ClearDraft:
    pass


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class AddComplaint:
    text: str
    commune_id: int
