"""Paper forms (phiếu giấy) typed in by commune staff: one key per answer, through submit_response.

Keys: 1 = hài lòng, 2 = chưa hài lòng, 0 or nothing = bỏ trống (left blank on the paper).
A form the committee declares invalid (phiếu không hợp lệ: torn, two ticks on one question, not the
household's) is stored as returned but not valid, without answers, so it counts in "thu về" only.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from survey_app.errors import DomainError, UnknownCode
from survey_app.models import Campaign, Channel, InvitationCode, Response
from survey_app.services.campaigns.codes import find_code
from survey_app.services.staff.audit import record
from survey_app.services.survey.responses import AnswerInput, answered_error, clean_text, submit_response

KEYS = {"1": True, "2": False, "0": None, "": None}


class PaperKeyError(DomainError):
    """Some answer boxes hold a key other than 1, 2 or 0; nothing was stored."""

    code = "paper_keys"

    def __init__(self, bad_question_ids: list[int]):
        super().__init__(f"unexpected keys for questions {bad_question_ids}")
        self.bad_question_ids = bad_question_ids


@dataclass(frozen=True)
class PaperHousehold:
    invitation: InvitationCode
    hamlet: str
    number: str
    head_name: str | None


def household_for(campaign: Campaign, typed_code: str) -> PaperHousehold:
    """The household a typed code names, if it belongs to this campaign; AlreadyAnswered (with channel and
    time) when its form is in already. A code of another campaign or commune is unknown here."""
    invitation = find_code(typed_code)
    if invitation is None or invitation.campaign_id != campaign.id:
        raise UnknownCode(typed_code)
    if invitation.used_at is not None:
        raise answered_error(code=invitation.code)
    household = invitation.household
    return PaperHousehold(invitation, household.hamlet.name, household.number, household.head_name)


def parse_keys(question_ids: Sequence[int], keys: Mapping[int, str],
               reasons: Mapping[int, str]) -> dict[int, AnswerInput]:
    """{question id: AnswerInput} for the boxes holding 1 or 2; blanks and 0 are left out."""
    bad = [qid for qid in question_ids if (keys.get(qid) or "").strip() not in KEYS]
    if bad:
        raise PaperKeyError(bad)
    answers = {}
    for qid in question_ids:
        satisfied = KEYS[(keys.get(qid) or "").strip()]
        if satisfied is not None:
            answers[qid] = AnswerInput(satisfied=satisfied, reason=None if satisfied else clean_text(reasons.get(qid)))
    return answers


def enter_paper_form(campaign: Campaign, typed_code: str, answers: Mapping[int, AnswerInput], *,
                     other_opinion: str | None, invalid: bool, staff_user_id: int) -> Response:
    """Store one household's paper form (channel "paper") with its audit row, in one transaction."""
    target = household_for(campaign, typed_code)
    record(staff_user_id, "paper.enter", "campaign", campaign.id, code=target.invitation.code,
           valid=not invalid, answered=len(answers) if not invalid else 0)
    # submit_response commits the audit row with the response, or rolls both back.
    return submit_response(
        {} if invalid else answers, channel=Channel.PAPER, invitation=target.invitation,
        other_opinion=other_opinion, entered_by_id=staff_user_id, valid=not invalid, allow_blanks=not invalid,
    )
