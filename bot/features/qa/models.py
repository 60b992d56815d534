"""Staff-editable knowledge: FAQ answers per intent and the per-language lexicon."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import utcnow
from bot.db import Base


class FaqAnswer(Base):
    """The answer to one intent (apply, costs, …) in each language, with an English fallback."""

    __tablename__ = "faq_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    intent: Mapped[str] = mapped_column(String(32), unique=True)
    answer: Mapped[dict] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class LexiconEntry(Base):
    """A phrase that signals a value in a language: a theme synonym, an intent cue, a month…"""

    __tablename__ = "lexicon"
    __table_args__ = (
        UniqueConstraint("kind", "value", "locale", "phrase"),
        Index("ix_lexicon_kind", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # theme | intent | type | language | month …
    value: Mapped[str] = mapped_column(String(64))  # e.g. "water", "costs", "planned", "5"
    locale: Mapped[str] = mapped_column(String(8))  # en zh es ru ko, or "*" for any
    phrase: Mapped[str] = mapped_column(String(200))
