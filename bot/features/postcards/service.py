"""Postcards: who may write one, opening and saving the card, and the card to render.

Every function owns its transaction, checks that the card belongs to the person and that its
window is open (so forged, replayed or late button data changes nothing) and returns
dataclasses, never rows. Answering the form is the form engine's, declared in answering.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.clock import programme_zone
from bot.core.forms import engine
from bot.core.forms.steps import SUMMARY
from bot.core.models import City, Person
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.postcards.answering import FORM, Env, missing
from bot.features.postcards.models import Postcard
from bot.features.postcards.views import (
    GRACE_DAYS,
    CardView,
    PlanAction,
    card_view,
    plan_actions,
    window,
)
from bot.features.schedule.models import Course
from bot.i18n import pick


@dataclass(frozen=True)
class PostcardCard:
    """Everything needed to draw a postcard, now or months later (followups render it too)."""

    person_id: int
    course_id: int
    course_code: str
    course_title: dict  # per-language titles; see title()
    starts: date | None
    ends: date | None
    name: str  # the signature: the name as in the passport when known
    city: str | None  # their city, as they wrote it or as the programme names it
    inspired_by: str
    actions: tuple[PlanAction, ...]
    obstacles: str
    support: str | None
    locale: str  # the language the card was written in
    written_on: date  # Seoul date of the last change
    final: bool  # False while still a draft

    def title(self, locale: str | None = None) -> str:
        """The course title in a locale (falls back to English)."""
        return pick(self.course_title, locale or self.locale)


@dataclass(frozen=True)
class CourseRef:
    """A course someone may write a postcard for."""

    id: int
    title: dict
    starts: date
    ends: date

    def t(self, locale: str | None = None) -> str:
        """The title in a locale."""
        return pick(self.title, locale)


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may write a postcard today, and for which courses."""

    outcome: str  # ok | upcoming | closed | none
    courses: tuple[CourseRef, ...] = ()
    opens_on: date | None = None  # upcoming: the first course day
    closed_on: date | None = None  # closed: the last day it was possible


@dataclass(frozen=True)
class Opened:
    """The outcome of opening a card: the card, or refused for that course."""

    outcome: str  # started | resumed | final | refused
    card: CardView | None = None


async def _enrolled(session, person_id: int) -> list[Course]:
    rows = await session.scalars(
        select(Course)
        .join(Application, Application.course_id == Course.id)
        .where(Application.person_id == person_id, Application.status == "accepted")
        .order_by(Course.starts, Course.id)
    )
    return list(rows)


async def eligibility(person_id: int, today: date) -> Eligibility:
    """The courses the person may write a postcard for today, or when/why not."""
    async with session_scope() as session:
        courses = await _enrolled(session, person_id)
    states = [(window(c.starts, c.ends, today), c) for c in courses]
    open_ = [CourseRef(c.id, dict(c.title), c.starts, c.ends) for w, c in states if w == "open"]
    if open_:
        return Eligibility("ok", tuple(open_))
    upcoming = [c.starts for s, c in states if s == "upcoming" and c.starts]
    if upcoming:
        return Eligibility("upcoming", opens_on=min(upcoming))
    closed = [c.ends + timedelta(days=GRACE_DAYS) for s, c in states if s == "closed"]
    if closed:
        return Eligibility("closed", closed_on=max(closed))
    return Eligibility("none")


async def open_card(person_id: int, course_id: int, today: date, locale: str) -> Opened:
    """Start, resume or reopen (a saved card, at its summary) the card for one course."""
    async with session_scope() as session:
        enrolled = {c.id: c for c in await _enrolled(session, person_id)}
        course = enrolled.get(course_id)
        if course is None or window(course.starts, course.ends, today) != "open":
            return Opened("refused")
        card = await session.scalar(
            select(Postcard).where(
                Postcard.person_id == person_id, Postcard.course_id == course_id
            )
        )
        step, outcome = None, "resumed"
        if card is None:
            card = Postcard(person_id=person_id, course_id=course_id, actions=[])
            session.add(card)
            outcome = "started"
        elif card.state == "final":
            step, outcome = SUMMARY, "final"
        await engine.take_up(session, FORM, card, step)
        card.locale = locale
        await session.flush()
        return Opened(outcome, card_view(card, course))


async def save(person_id: int, card_id: int, today: date) -> Opened | None:
    """Save the card as final ("saved"), or go to what is missing ("incomplete")."""
    async with session_scope() as session:
        turn = await engine.owned(session, FORM, person_id, card_id, Env(today))
        if turn is None:
            return None
        card, course = turn.row, turn.ctx
        gap = missing(card)
        card.step = gap
        if gap is None:
            card.state = "final"
        await session.flush()
        return Opened("saved" if gap is None else "incomplete", card_view(card, course))


async def card_for(person_id: int, course_id: int) -> PostcardCard | None:
    """The person's postcard for a course, ready to render; None when they wrote none."""
    async with session_scope() as session:
        card = await session.scalar(
            select(Postcard).where(
                Postcard.person_id == person_id, Postcard.course_id == course_id
            )
        )
        if card is None:
            return None
        course = await session.get(Course, course_id)
        person = await session.get(Person, person_id)
        answers = (
            await session.scalar(
                select(Application.answers).where(
                    Application.person_id == person_id, Application.course_id == course_id
                )
            )
            or {}
        )
        city = answers.get("city")
        if not city and person.city_id:
            row = await session.get(City, person.city_id)
            city = (row.names or {}).get(card.locale) or row.name
        written = card.updated_at or card.created_at
    name = answers.get("full_name") or person.full_name
    name = name or " ".join(x for x in (person.first_name, person.last_name) if x)
    return PostcardCard(
        person_id=person_id,
        course_id=course_id,
        course_code=course.code,
        course_title=dict(course.title or {}),
        starts=course.starts,
        ends=course.ends,
        name=name,
        city=city,
        inspired_by=card.inspired_by or "",
        actions=plan_actions(card),
        obstacles=card.obstacles or "",
        support=card.support,
        locale=card.locale,
        written_on=_seoul_date(written),
        final=card.state == "final",
    )


def _seoul_date(value: datetime) -> date:
    # SQLite hands back naive UTC datetimes, PostgreSQL aware ones.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(programme_zone()).date()
