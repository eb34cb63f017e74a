"""Responses (phiếu trả lời), their answers, and drafts saved while a resident answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .questionnaire import Question


class Channel:
    WEB = "web"
    TELEGRAM = "telegram"
    ZALO = "zalo"
    PAPER = "paper"

    ALL = (WEB, TELEGRAM, ZALO, PAPER)


class Response(db.Model):
    """One per household per campaign, guaranteed by the database, whatever the channel."""

    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("campaign_id", "household_id"),
        UniqueConstraint("campaign_id", "submission_key"),
        # Reports: counts per campaign from the index alone (migration 0009_reports).
        Index("ix_response_campaign_valid", "campaign_id", "is_valid", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    # Null only in open mode, where no household is known.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    invitation_code_id: Mapped[int | None] = mapped_column(ForeignKey("invitation_code.id"))
    # Open mode: one answer per browser (cookie token); also makes client retries idempotent.
    submission_key: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    is_valid: Mapped[bool] = mapped_column(default=True)
    verified: Mapped[bool] = mapped_column(default=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    answers: Mapped[list[Answer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        # Reports: one question's answers across responses from the index alone (migration 0009_reports).
        Index("ix_answer_question_response", "question_id", "response_id", "satisfied"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    satisfied: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class DraftPhase:
    """Where a household is in the survey, whatever the channel: the next question comes from the answers."""

    QUESTIONS = "questions"
    OTHER = "other"  # ý kiến khác
    REVIEW = "review"  # xem lại, then send

    ALL = (QUESTIONS, OTHER, REVIEW)


class SurveyDraft(db.Model):
    """Answers saved as the resident goes, on any channel, so a dropped signal or closed tab loses nothing.

    `version` counts saves (an optimistic lock): the review carries it, so what is sent is what was reviewed.
    """

    __tablename__ = "survey_draft"
    __table_args__ = (UniqueConstraint("campaign_id", "draft_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    # The canonical invitation code, or a browser token in open mode.
    draft_key: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    phase: Mapped[str] = mapped_column(String(16), default=DraftPhase.QUESTIONS, server_default=DraftPhase.QUESTIONS)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}
