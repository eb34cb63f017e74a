"""Drafts (bản nháp): every step of the web survey is saved server-side, then submitted in one go.

A dropped signal or a closed tab loses nothing: the next visit reads the draft back. The draft is
filed under the canonical invitation code, or under the browser token in open mode, and
`submit_response` deletes it in the same transaction that stores the response.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Channel, Response, SurveyDraft
from .responses import AnswerInput, clean_text, submit_response
from .survey_flow import SurveyTarget


@dataclass
class Draft:
    """What the resident has answered so far. `answers` maps question id → (satisfied or None, reason)."""

    answers: dict[int, tuple[bool | None, str]] = field(default_factory=dict)
    other: str = ""
    hamlet_id: int | None = None
    step: int = 0

    def satisfied(self, question_id: int) -> bool | None:
        return self.answers.get(question_id, (None, ""))[0]

    def reason(self, question_id: int) -> str:
        return self.answers.get(question_id, (None, ""))[1]

    def missing(self, questions) -> list:
        return [q for q in questions if q.required and self.satisfied(q.id) is None]

    def answered_count(self) -> int:
        return sum(1 for satisfied, _ in self.answers.values() if satisfied is not None)


def _find(target: SurveyTarget) -> SurveyDraft | None:
    return db.session.execute(select(SurveyDraft).where(
        SurveyDraft.campaign_id == target.campaign.id, SurveyDraft.draft_key == target.draft_key)
    ).scalar_one_or_none()


def load_draft(target: SurveyTarget) -> Draft:
    row = _find(target)
    if row is None:
        return Draft()
    data = row.data or {}
    answers = {int(qid): (a.get("satisfied"), a.get("reason") or "") for qid, a in data.get("answers", {}).items()}
    return Draft(answers=answers, other=data.get("other") or "", hamlet_id=data.get("hamlet_id"), step=row.step)


def save_draft(target: SurveyTarget, *, answers: dict[int, tuple[bool | None, str]] | None = None,
               other: str | None = None, hamlet_id: int | None = None, step: int | None = None) -> None:
    """Merge what one page sent into the draft; one transaction (retried once if two tabs race to create it)."""
    for attempt in (1, 2):
        try:
            _merge(target, answers or {}, other, hamlet_id, step)
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise


def _merge(target, answers, other, hamlet_id, step) -> None:
    row = _find(target)
    if row is None:
        row = SurveyDraft(campaign_id=target.campaign.id, draft_key=target.draft_key, data={}, step=0)
        db.session.add(row)
    data = dict(row.data or {})
    known = {q.id for q in target.questions}
    saved = dict(data.get("answers", {}))
    for qid, (satisfied, reason) in answers.items():
        if qid in known:
            saved[str(qid)] = {"satisfied": satisfied, "reason": clean_text(reason) or ""}
    data["answers"] = saved
    if other is not None:
        data["other"] = clean_text(other) or ""
    if hamlet_id is not None:
        data["hamlet_id"] = hamlet_id
    row.data = data  # a new dict, so SQLAlchemy sees the JSON change
    if step is not None:
        row.step = step
    db.session.flush()


def submit_draft(target: SurveyTarget, submission_key: str | None = None) -> Response:
    """Store the draft as the household's response through `submit_response` (raises its DomainErrors).

    A household's `submission_key` is the random key of the review form, so a resent form can be told
    from another person's answer; in open mode the key is the browser token (one answer per browser).
    """
    draft = load_draft(target)
    answers = {qid: AnswerInput(satisfied=satisfied, reason=reason or None)
               for qid, (satisfied, reason) in draft.answers.items() if satisfied is not None}
    if target.invitation is not None:
        return submit_response(answers, channel=Channel.WEB, code=target.invitation.code,
                               invitation=target.invitation, submission_key=submission_key,
                               other_opinion=draft.other)
    return submit_response(answers, channel=Channel.WEB, campaign_id=target.campaign.id,
                           hamlet_id=draft.hamlet_id, submission_key=target.draft_key,
                           other_opinion=draft.other)
