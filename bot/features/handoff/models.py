"""Questions handed over to a human in the liaison chat, and the answers relayed back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.db import Base

HANDOFF_STATES = ("offered", "queued", "forwarded", "answered", "dismissed")


class HandoffQuestion(Base):
    """A trainee's question for a person: offered, queued, forwarded, then answered."""

    __tablename__ = "handoff_questions"
    __table_args__ = (
        Index("ix_handoff_liaison_message", "liaison_chat_id", "liaison_message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16), default="offered")
    liaison_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    liaison_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    forwarded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    answer: Mapped[str | None] = mapped_column(Text)
