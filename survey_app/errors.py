"""Domain errors raised by services; every channel turns them into its own friendly message."""
from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """Base class: a request that the rules of the survey refuse."""

    code = "domain_error"


class UnknownCode(DomainError):
    code = "unknown_code"


class TooManyGuesses(DomainError):
    """Too many wrong codes from one chat (or one staff account rehearsing): wait before the next try."""

    code = "too_many_guesses"

    def __init__(self, wait_seconds: int):
        super().__init__(f"too many wrong codes; wait {wait_seconds} s")
        self.wait_seconds = wait_seconds


class RealCodeInRehearsal(DomainError):
    """A real household's code typed on the staff rehearsal page: staff never answer for a household there."""

    code = "real_code_in_rehearsal"


class CampaignNotOpen(DomainError):
    """The campaign is not accepting answers (draft, not yet open, closed or published)."""

    code = "campaign_not_open"

    def __init__(self, status: str, opens_on=None, closes_on=None, not_started: bool = False):
        super().__init__(f"campaign is {status}")
        self.status = status
        self.opens_on = opens_on
        self.closes_on = closes_on
        self.not_started = not_started  # "chưa đến đợt": every channel gives the start date instead

    @classmethod
    def for_campaign(cls, campaign, today) -> CampaignNotOpen:
        """Why `campaign` refuses answers on `today`: not started yet (a draft, or before it opens), or over."""
        not_started = campaign.status == "draft" or (campaign.opens_on is not None and campaign.opens_on > today)
        return cls(campaign.status, campaign.opens_on, campaign.closes_on, not_started=not_started)


class AlreadyAnswered(DomainError):
    code = "already_answered"

    def __init__(self, answered_at: datetime | None = None, channel: str | None = None):
        super().__init__("this household has already answered")
        self.answered_at = answered_at
        self.channel = channel


class IncompleteAnswers(DomainError):
    code = "incomplete"

    def __init__(self, missing_question_ids: list[int]):
        super().__init__(f"questions not answered: {missing_question_ids}")
        self.missing_question_ids = missing_question_ids


class DraftChanged(DomainError):
    """The draft was changed (another phone, another channel) after the resident reviewed it: review again."""

    code = "draft_changed"


class InvalidAnswers(DomainError):
    code = "invalid_answers"


class ImportRowError(DomainError):
    """A file import found bad rows; nothing was imported."""

    code = "import_errors"

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors
