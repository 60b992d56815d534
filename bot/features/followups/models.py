"""Answers to the follow-ups: the 4-month field-application evaluation and the course survey."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.db import Base


class Evaluation(Base):
    """How far a trainee got with each action of their postcard, 4 months after the course."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("person_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    # [{"action": index, "status": done|in_progress|not_started|dropped, "evidence": str}]
    results: Mapped[list] = mapped_column(default=list)
    rating: Mapped[int | None]  # 1–5: how useful the course was at work
    comment: Mapped[str | None] = mapped_column(Text)
    volunteer: Mapped[bool | None]  # offered to present their case at the forum
    step: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class SurveyResponse(Base):
    """The satisfaction survey on the last course day: 1–5 per item and a comment."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("person_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    scores: Mapped[dict] = mapped_column(default=dict)  # {"overall": 5, "lectures": 4, …}
    comment: Mapped[str | None] = mapped_column(Text)
    step: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
