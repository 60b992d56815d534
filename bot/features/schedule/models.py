"""Courses, their target and priority cities, and the recorded results of past years."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.clock import utcnow
from bot.core.models import City, Organisation
from bot.db import Base

COURSE_TYPES = ("planned", "cooperative", "customised")
THEMES = (
    "smart_city",
    "water",
    "e_government",
    "transport",
    "urban_management",
    "governance",
    "climate_change",
    "international_cooperation",
)


class Course(Base):
    """One training course; texts that staff type live in per-language JSON fields."""

    __tablename__ = "courses"
    __table_args__ = (Index("ix_courses_year_starts", "year", "starts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int]
    type: Mapped[str] = mapped_column(String(16))
    theme: Mapped[str | None] = mapped_column(String(32))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    audience: Mapped[dict] = mapped_column(default=dict)  # scope / organisation / countries
    starts: Mapped[date | None]
    ends: Mapped[date | None]
    seats: Mapped[int] = mapped_column(default=0)
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    # Last day applications are taken; None means until the day before the course starts.
    apply_until: Mapped[date | None]
    # The course's Telegram group chat (the programme's SNS group), linked by staff.
    group_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    title: Mapped[dict] = mapped_column(default=dict)
    target: Mapped[dict] = mapped_column(default=dict)
    description: Mapped[dict] = mapped_column(default=dict)
    venue: Mapped[dict] = mapped_column(default=dict)
    note: Mapped[dict] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    partner: Mapped[Organisation | None] = relationship(lazy="raise")
    cities: Mapped[list[CourseCity]] = relationship(
        lazy="raise", cascade="all, delete-orphan", back_populates="course"
    )


class CourseCity(Base):
    """A city a course is for (`target`) or gives priority to (`priority`)."""

    __tablename__ = "course_cities"
    __table_args__ = (UniqueConstraint("course_id", "city_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # target | priority

    course: Mapped[Course] = relationship(back_populates="cities", lazy="raise")
    city: Mapped[City] = relationship(lazy="raise")


class CourseResult(Base):
    """What a finished course recorded: trainees, budget, satisfaction (one row a course)."""

    __tablename__ = "course_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), unique=True
    )
    trainees: Mapped[int]
    budget_krw_thousand: Mapped[int | None]
    budget_note: Mapped[dict] = mapped_column(default=dict)
    satisfaction: Mapped[float | None] = mapped_column(Numeric(3, 2, asdecimal=False))

    places: Mapped[list[ResultPlace]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ResultPlace.position"
    )


class ResultPlace(Base):
    """A country/city entry of a result row, exactly as the table records it."""

    __tablename__ = "result_places"
    __table_args__ = (UniqueConstraint("result_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("course_results.id", ondelete="CASCADE"))
    position: Mapped[int]
    country: Mapped[str] = mapped_column(String(2))  # the country as recorded, flaws kept
    country_recorded: Mapped[str] = mapped_column(String(100))
    country_recorded_ko: Mapped[str | None] = mapped_column(String(100))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="SET NULL"))


class CourseSession(Base):
    """One item of a course's week: a lecture, site visit, presentation or cultural event."""

    __tablename__ = "course_sessions"
    __table_args__ = (Index("ix_course_sessions_course_starts", "course_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    kind: Mapped[str] = mapped_column(String(16))  # lecture | site_visit | presentation | …
    title: Mapped[dict] = mapped_column(default=dict)
    place: Mapped[dict] = mapped_column(default=dict)
    speaker: Mapped[dict] = mapped_column(default=dict)
    is_sample: Mapped[bool] = mapped_column(default=False)  # invented for the demo, not the plan
