"""Free-text feedback (reasons, other opinions, complaints) and the classifier's versions."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow


class FeedbackSource:
    REASON = "reason"  # lý do chưa hài lòng
    OTHER = "other"  # ý kiến khác
    COMPLAINT = "complaint"  # sent to a bot at any time

    ALL = (REASON, OTHER, COMPLAINT)


class FeedbackStatus:
    NEW = "new"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"

    ALL = (NEW, IN_PROGRESS, RESOLVED, REJECTED)


class Feedback(db.Model):
    __tablename__ = "feedback"
    # The queue always filters by commune or province first, newest first.
    __table_args__ = (Index("ix_feedback_commune_created", "commune_id", "created_at"),
                      Index("ix_feedback_province_created", "province_id", "created_at"),
                      # counts per field of a whole province come from this index alone
                      Index("ix_feedback_province_label", "province_id", "predicted_label", "confirmed_label"))

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    # Scope kept on the row (filled by add_feedback), so every staff query filters in SQL.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"))
    province_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"))
    # Lower-case text without diacritics: "duong" finds "Đường" on SQLite and PostgreSQL alike.
    text_folded: Mapped[str | None] = mapped_column(Text)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    chat_session_id: Mapped[int | None] = mapped_column(ForeignKey("chat_session.id"))

    predicted_label: Mapped[str | None] = mapped_column(String(40), index=True)
    confidence: Mapped[float | None]
    top3: Mapped[list | None] = mapped_column(JSON)
    model_version: Mapped[str | None] = mapped_column(String(60))
    confirmed_label: Mapped[str | None] = mapped_column(String(40))

    status: Mapped[str] = mapped_column(String(16), default=FeedbackStatus.NEW, index=True)
    due_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    replies: Mapped[list[FeedbackReply]] = relationship(back_populates="feedback")

    @property
    def label(self) -> str | None:
        """Staff's confirmed field wins over the classifier's guess."""
        return self.confirmed_label or self.predicted_label


class FeedbackReply(db.Model):
    __tablename__ = "feedback_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    outbound_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_message.id"))

    feedback: Mapped[Feedback] = relationship(back_populates="replies")


class ModelVersion(db.Model):
    """A trained classifier artefact (file under the models directory) with its metrics."""

    __tablename__ = "model_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(60), unique=True)
    path: Mapped[str] = mapped_column(String(500))
    metrics: Mapped[dict] = mapped_column(JSON, default=dict)
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_current: Mapped[bool] = mapped_column(default=False)
