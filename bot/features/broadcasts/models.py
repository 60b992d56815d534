"""Broadcasts and one delivery row per recipient, written before the first send."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.db import Base

BROADCAST_STATES = ("draft", "scheduled", "sending", "done", "cancelled")
DELIVERY_STATES = ("pending", "sending", "sent", "failed", "blocked", "skipped")


class Broadcast(Base):
    """An announcement by a liaison officer or staff member to an audience."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    audience: Mapped[dict] = mapped_column(default=dict)  # the filters chosen in the wizard
    texts: Mapped[dict] = mapped_column(default=dict)  # per language; the sender's is required
    sender_locale: Mapped[str] = mapped_column(String(8), default="en")
    attachment: Mapped[dict] = mapped_column(default=dict)  # {"kind": photo|document, "file_id"}
    include_groups: Mapped[bool] = mapped_column(default=False)
    paid: Mapped[bool] = mapped_column(default=False)  # allow_paid_broadcast (staff setting)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    step: Mapped[str | None] = mapped_column(String(32))  # the wizard step to resume at
    scheduled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)


class BroadcastDelivery(Base):
    """One recipient of a broadcast and what happened to their message."""

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "chat_id"),
        Index("ix_broadcast_deliveries_state", "broadcast_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    locale: Mapped[str] = mapped_column(String(8), default="en")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)  # retry time after a failure
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
