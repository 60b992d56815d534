"""Applications to courses; an accepted application is an enrolment."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.db import Base

STATUSES = (
    "draft",
    "submitted",
    "under_review",
    "accepted",
    "waitlisted",
    "declined",
    "withdrawn",
)


class Application(Base):
    """One person's application to one course, from draft to decision."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("course_id", "person_id"),
        Index("ix_applications_course_status", "course_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    answers: Mapped[dict] = mapped_column(default=dict)  # form answers, saved at each step
    step: Mapped[str | None] = mapped_column(String(32))  # the form step to resume at
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None]
    # A waitlisted applicant offered a freed seat has until then to take it.
    offer_expires_at: Mapped[datetime | None]
    offer_state: Mapped[str | None] = mapped_column(String(16))  # offered | lapsed | declined
    version: Mapped[int] = mapped_column(default=1)  # optimistic lock for concurrent staff

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}
