"""Tables every feature shares: organisations, cities, people, roles and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.clock import utcnow
from bot.db import Base


class Organisation(Base):
    """A partner organisation (WeGO, CITYNET, a Seoul department, the Center itself)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="network")
    name: Mapped[dict] = mapped_column(default=dict)  # per-language names, "en" required
    aliases: Mapped[list] = mapped_column(default=list)


class City(Base):
    """A city as the programme records it; two spellings of one city stay two rows."""

    __tablename__ = "cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ko: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    timezone: Mapped[str] = mapped_column(String(64))  # IANA zone, for 10:00-local delivery
    names: Mapped[dict] = mapped_column(default=dict)
    aliases: Mapped[list] = mapped_column(default=list)


class Person(Base):
    """Anyone who talks to the bot: trainee, liaison officer or staff."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str | None] = mapped_column(String(200))
    last_name: Mapped[str | None] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    full_name: Mapped[str | None] = mapped_column(String(300))  # as in passport, any script
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    locale_confirmed: Mapped[bool] = mapped_column(default=False)
    timezone: Mapped[str | None] = mapped_column(String(64))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="SET NULL"))
    country: Mapped[str | None] = mapped_column(String(2))
    organisation: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    consent_at: Mapped[datetime | None]
    blocked_at: Mapped[datetime | None]  # the user blocked the bot (403): never retried
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]  # personal data erased; the row stays for statistics

    city: Mapped[City | None] = relationship(lazy="raise")
    roles: Mapped[list[PersonRole]] = relationship(
        back_populates="person",
        lazy="raise",
        cascade="all, delete-orphan",
        foreign_keys="PersonRole.person_id",
    )


class PersonRole(Base):
    """A role held by a person, optionally scoped to an organisation or a course."""

    __tablename__ = "person_roles"
    __table_args__ = (UniqueConstraint("person_id", "role", "organisation_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # staff | liaison | trainee
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(
        back_populates="roles", lazy="raise", foreign_keys=[person_id]
    )


class AuditEntry(Base):
    """One privileged action: who did what to which row, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
