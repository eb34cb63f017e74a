"""Drafts (bản nháp): every answer on every channel is saved server-side, then submitted in one go.

A dropped signal or a closed tab loses nothing, and a household can start on the phone browser and
finish in Telegram or Zalo (or the reverse): the draft is filed under the canonical invitation code
(or the browser token in open mode), whatever the channel. It keeps the answers, the other opinions
and the phase; the next question is worked out from the answers. `submit_response` deletes it in the
same transaction that stores the response.

Every function commits by default; `commit=False` only flushes, for a caller (the chat engine's
`receive`) that owns one transaction around several steps.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from survey_app.errors import DraftChanged
from survey_app.extensions import db
from survey_app.models import DraftPhase, Response, SurveyDraft
from survey_app.services.survey.flow import SurveyTarget, check_can_answer
from survey_app.services.survey.responses import AnswerInput, clean_text, submit_response
from survey_app.services.versioned import write_versioned

# On PostgreSQL a save needs at most two tries (the second one locked). SQLite ignores the lock: there every
# round of racing saves lets at least one through, so this bounds a burst of a dozen taps in flight.
SAVE_ATTEMPTS = 12


@dataclass
class Draft:
    """What the resident has answered so far. `answers` maps question id → (satisfied or None, reason)."""

    answers: dict[int, tuple[bool | None, str]] = field(default_factory=dict)
    other: str = ""
    hamlet_id: int | None = None
    phase: str = DraftPhase.QUESTIONS
    version: int = 0  # 0: nothing saved yet

    @property
    def started(self) -> bool:
        return self.version > 0

    def satisfied(self, question_id: int) -> bool | None:
        return self.answers.get(question_id, (None, ""))[0]

    def reason(self, question_id: int) -> str:
        return self.answers.get(question_id, (None, ""))[1]

    def missing(self, questions) -> list:
        return [q for q in questions if q.required and self.satisfied(q.id) is None]

    def next_question(self, questions, skipped=()):
        """The first question not answered yet (and not set aside), in the questionnaire's order."""
        return next((q for q in questions if self.satisfied(q.id) is None and q.id not in skipped), None)

    def answered_count(self) -> int:
        return sum(1 for satisfied, _ in self.answers.values() if satisfied is not None)


def _find(target: SurveyTarget, *, lock: bool = False) -> SurveyDraft | None:
    """The draft row, read once per transaction: the chat engine reads the draft to decide and then saves
    it in the same transaction (a second SELECT would return the same object from the identity map).

    `lock` reads it afresh with SELECT … FOR UPDATE: on PostgreSQL other saves of this draft then wait
    for this transaction (SQLite ignores it; its writers are serialised anyway)."""
    key = (target.campaign.id, target.draft_key)
    rows = _rows_of_this_transaction()
    if key not in rows or lock:
        stmt = select(SurveyDraft).where(SurveyDraft.campaign_id == key[0], SurveyDraft.draft_key == key[1])
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        row = db.session.execute(stmt).scalar_one_or_none()
        rows = _rows_of_this_transaction()  # the SELECT may have begun the transaction
        rows[key] = row
    return rows[key]


def _rows_of_this_transaction() -> dict:
    """Draft rows (or None) read or created in the session's current transaction, by (campaign, key).

    Kept in `session.info` beside the transaction they belong to: a commit or rollback starts a new
    transaction, and with it an empty cache. `forget_draft` drops a row deleted by a bulk DELETE."""
    session = db.session()  # the scoped session's Session of this request or thread
    transaction, info = session.get_transaction(), session.info
    if transaction is None or info.get("drafts_transaction") is not transaction:
        info["drafts_transaction"], info["drafts"] = transaction, {}
    return info["drafts"]


def remember_draft(target: SurveyTarget, row: SurveyDraft | None) -> None:
    """The caller read this target's draft row (or found none) with a query of its own, in the current
    transaction: `load_draft` and `save_draft` use it instead of reading it again."""
    _rows_of_this_transaction()[(target.campaign.id, target.draft_key)] = row


def forget_draft(campaign_id: int, draft_key: str) -> None:
    """The draft was deleted behind the ORM's back (a bulk DELETE on submit): read it afresh next time."""
    db.session().info.get("drafts", {}).pop((campaign_id, draft_key), None)


def load_draft(target: SurveyTarget) -> Draft:
    row = _find(target)
    if row is None:
        return Draft()
    data = row.data or {}
    answers = {int(qid): (a.get("satisfied"), a.get("reason") or "") for qid, a in data.get("answers", {}).items()}
    return Draft(answers=answers, other=data.get("other") or "", hamlet_id=data.get("hamlet_id"),
                 phase=row.phase, version=row.version)


def save_draft(target: SurveyTarget, *, answers: dict[int, tuple[bool | None, str]] | None = None,
               other: str | None = None, hamlet_id: int | None = None, phase: str | None = None,
               commit: bool = True) -> None:
    """Merge what one page or one chat message sent into the draft.

    Committing, it is one transaction, retried when tabs race to create the draft or to change it (the
    page's script saves every tap in the background, so several saves of one draft often overlap); a retry
    holds the draft's row lock, so on PostgreSQL it cannot lose the race again. When the draft vanished
    because the household's response was just stored, it raises AlreadyAnswered.
    """
    if phase is not None and phase not in DraftPhase.ALL:
        raise ValueError(f"unknown phase {phase!r}")
    if not commit:
        _merge(target, answers or {}, other, hamlet_id, phase)
        return
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            _merge(target, answers or {}, other, hamlet_id, phase, lock=attempt > 1)
            db.session.commit()
            return
        except (IntegrityError, StaleDataError):
            db.session.rollback()
            check_can_answer(target)  # a send won the race: say so instead of a 500
            if attempt == SAVE_ATTEMPTS:
                raise


def _merge(target, answers, other, hamlet_id, phase, *, lock: bool = False) -> None:
    row = _find(target, lock=lock)
    if row is None:
        row = SurveyDraft(campaign_id=target.campaign.id, draft_key=target.draft_key, data={},
                          phase=DraftPhase.QUESTIONS)
        db.session.add(row)
        _rows_of_this_transaction()[(target.campaign.id, target.draft_key)] = row
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
    write_versioned(row, data=data, **({"phase": phase} if phase is not None else {}))


def clear_draft(target: SurveyTarget, *, commit: bool = True) -> None:
    """"Làm lại": forget the answers so far (the draft row stays, emptied, so its version moves on)."""
    row = _find(target)
    if row is not None:
        row.data = {"hamlet_id": (row.data or {}).get("hamlet_id")}
        row.phase = DraftPhase.QUESTIONS
        db.session.flush()
    if commit:
        db.session.commit()


def submit_draft(target: SurveyTarget, *, channel: str, submission_key: str | None = None,
                 expected_version: int | None = None, chat_session_id: int | None = None,
                 commit: bool = True) -> Response:
    """Store the draft as the household's response through `submit_response` (raises its DomainErrors).

    `channel` is where the resident pressed "Gửi phiếu" (web, telegram, zalo). A household's web
    `submission_key` is the random key of the review form, so a resent form can be told from another
    person's answer; in open mode the key is the browser token (one answer per browser). With
    `expected_version` (the version the resident reviewed) a draft changed since raises DraftChanged.
    """
    draft = load_draft(target)
    if expected_version is not None and draft.version != expected_version:
        raise DraftChanged("the draft changed after it was reviewed")
    answers = {qid: AnswerInput(satisfied=satisfied, reason=reason or None)
               for qid, (satisfied, reason) in draft.answers.items() if satisfied is not None}
    common = dict(channel=channel, other_opinion=draft.other, chat_session_id=chat_session_id, commit=commit)
    if target.invitation is not None:
        response = submit_response(answers, code=target.invitation.code, invitation=target.invitation,
                                   submission_key=submission_key, **common)
    else:
        response = submit_response(answers, campaign_id=target.campaign.id, hamlet_id=draft.hamlet_id,
                                   submission_key=target.draft_key, **common)
    forget_draft(target.campaign.id, target.draft_key)  # submit_response deleted the row with a bulk DELETE
    return response
