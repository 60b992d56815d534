"""The action-plan postcard a trainee writes to their future self during the course."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.db import Base


class Postcard(Base):
    """One trainee's plan for one course: inspiration, up to three actions, obstacles, support."""

    __tablename__ = "postcards"
    __table_args__ = (UniqueConstraint("person_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    inspired_by: Mapped[str | None] = mapped_column(Text)  # the Seoul policy that inspired them
    actions: Mapped[list] = mapped_column(default=list)  # [{"text": str, "target": "YYYY-MM"}]
    obstacles: Mapped[str | None] = mapped_column(Text)
    support: Mapped[str | None] = mapped_column(Text)  # support wanted from Seoul
    locale: Mapped[str] = mapped_column(String(8), default="en")
    step: Mapped[str | None] = mapped_column(String(32))  # the form step to resume at
    state: Mapped[str] = mapped_column(String(16), default="draft")  # draft | final
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
