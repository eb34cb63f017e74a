"""Criteria sets (bộ tiêu chí) and questionnaires (phiếu) as versioned data."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class CriteriaSet(db.Model):
    __tablename__ = "criteria_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str | None] = mapped_column(String(200))

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="criteria_set", order_by="Criterion.number"
    )


class Criterion(db.Model):
    __tablename__ = "criterion"
    __table_args__ = (UniqueConstraint("criteria_set_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_set.id"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    # Complaint-field labels this criterion maps to (comma separated keys of nlp.LABELS).
    fields: Mapped[str] = mapped_column(String(200), default="")

    criteria_set: Mapped[CriteriaSet] = relationship(back_populates="criteria")


class Questionnaire(db.Model):
    __tablename__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title_vi: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    intro_vi: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_set.id"))

    criteria_set: Mapped[CriteriaSet] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="questionnaire", order_by="Question.position"
    )

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" else self.title_vi


class Question(db.Model):
    """One "hài lòng / chưa hài lòng" question, optionally tied to a criterion."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("questionnaire_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    position: Mapped[int]
    text_vi: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    short_vi: Mapped[str] = mapped_column(String(120))
    short_en: Mapped[str] = mapped_column(String(120))
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("criterion.id"))
    field: Mapped[str | None] = mapped_column(String(40))
    is_overall: Mapped[bool] = mapped_column(default=False)
    required: Mapped[bool] = mapped_column(default=True)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")
    criterion: Mapped[Criterion | None] = relationship()

    def text(self, locale: str) -> str:
        return self.text_en if locale == "en" else self.text_vi

    def short(self, locale: str) -> str:
        return self.short_en if locale == "en" else self.short_vi
