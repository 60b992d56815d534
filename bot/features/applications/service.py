"""Trainee side of applications: start, answer, edit, submit, list and withdraw.

Every function owns its transaction and checks that the application belongs to the person
(so forged or replayed button data changes nothing) and returns dataclasses, never rows.
The form itself (answering, editing, pausing) is the form engine's, declared in answering.py;
a draft's `step` is the field awaiting an answer or "summary" (bot/core/forms/steps.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from bot.clock import utcnow
from bot.core.audit import record
from bot.core.forms import engine
from bot.core.models import City, Person
from bot.db import session_scope
from bot.features.applications import form, rules
from bot.features.applications.answering import FORM
from bot.features.applications.cities import city_row
from bot.features.applications.models import Application
from bot.features.applications.views import AppView as AppView
from bot.features.applications.views import view
from bot.features.schedule.api import CourseView, load_catalogue
from bot.features.schedule.models import Course


@dataclass(frozen=True)
class Begin:
    """The outcome of Apply: a draft to fill in, or why not."""

    outcome: str  # started | resumed | unknown | closed | past | no_dates | applied | full
    app: AppView | None = None
    title: dict | None = None  # the course title, for saying which course is refused


@dataclass(frozen=True)
class Submitted:
    """The outcome of Submit."""

    outcome: str  # submitted | waitlisted | already | incomplete | closed | past | no_dates
    app: AppView
    missing: tuple[str, ...] = ()


async def owned(session, person_id: int, app_id: int) -> tuple[Application, Course] | None:
    """The application and its course, when the application is the person's."""
    app = await session.get(Application, app_id)
    if app is None or app.person_id != person_id:
        return None
    return app, await session.get(Course, app.course_id)


def _accepted_query(course_id: int):
    return (
        select(func.count())
        .where(Application.course_id == course_id, Application.status == "accepted")
        .scalar_subquery()
    )


async def _accepted(session, course_id: int) -> int:
    return int(await session.scalar(select(_accepted_query(course_id))) or 0)


async def open_courses(today: date) -> list[CourseView]:
    """Courses taking applications on `today`, in catalogue order."""
    catalogue = await load_catalogue()
    return [c for c in catalogue.courses if rules.course_window(c, today) == "open"]


async def begin(person_id: int, code: str, today: date, *, waitlist: bool = False) -> Begin:
    """Apply to a course: a new or resumed draft, or the reason it is refused."""
    course = (await load_catalogue()).by_code(code)
    if course is None:
        return Begin("unknown")
    async with session_scope() as session:
        # One statement for the person's application to this course and the seats taken.
        mine = select(Application.id).where(
            Application.course_id == course.id, Application.person_id == person_id
        )
        found, accepted = (
            await session.execute(select(mine.scalar_subquery(), _accepted_query(course.id)))
        ).one()
        existing = await session.get(Application, found) if found else None
        if existing is not None and existing.status != "draft":
            return Begin("applied", view(existing, course), course.title)
        state = rules.window(course.status, course.starts, course.apply_until, today)
        if state != "open":
            return Begin(state, title=course.title)
        if existing is None and not waitlist and rules.is_full(int(accepted or 0), course.seats):
            return Begin("full", title=course.title)
        if existing is not None:
            await engine.take_up(session, FORM, existing)
            await session.flush()
            return Begin("resumed", view(existing, course), course.title)
        app = Application(course_id=course.id, person_id=person_id, answers={})
        session.add(app)
        await engine.take_up(session, FORM, app)
        await session.flush()
        return Begin("started", view(app, course), course.title)


async def drafts(person_id: int) -> list[AppView]:
    """The person's drafts, newest first."""
    return [a for a in await list_for(person_id) if a.status == "draft"][::-1]


async def submit(person_id: int, app_id: int, today: date) -> Submitted | None:
    """File the draft once (a second press says it is already filed); copy the profile."""
    async with session_scope() as session:
        found = await owned(session, person_id, app_id)
        if found is None:
            return None
        app, course = found
        if app.status != "draft":
            return Submitted("already", view(app, course))
        gaps = form.missing(app.answers or {})
        if gaps:
            return Submitted("incomplete", view(app, course), tuple(gaps))
        state = rules.window(course.status, course.starts, course.apply_until, today)
        if state != "open":
            return Submitted(state, view(app, course))
        full = rules.is_full(await _accepted(session, course.id), course.seats)
        app.status = "waitlisted" if full else "submitted"
        app.submitted_at, app.step = utcnow(), None
        await _copy_profile(session, person_id, app.answers)
        record(session, person_id, "application.submit", "application", app.id, status=app.status)
        await session.flush()
        return Submitted(app.status, view(app, course))


async def _copy_profile(session, person_id: int, answers: dict) -> None:
    person = await session.get(Person, person_id)
    for key in ("full_name", "country", "organisation", "position", "email", "phone"):
        setattr(person, key, answers.get(key))
    if answers.get("city_key"):
        person.city_id = await session.scalar(
            select(City.id).where(City.key == answers["city_key"])
        )
    elif answers.get("geonameid"):
        person.city_id = await city_row(session, answers)
    person.consent_at = utcnow()


async def list_for(person_id: int) -> list[AppView]:
    """All the person's applications, oldest first."""
    async with session_scope() as session:
        rows = await session.execute(
            select(Application, Course)
            .join(Course, Course.id == Application.course_id)
            .where(Application.person_id == person_id)
            .order_by(Application.id)
        )
        return [view(app, course) for app, course in rows]


async def get(person_id: int, app_id: int) -> AppView | None:
    """One of the person's applications; None if it is not theirs."""
    async with session_scope() as session:
        found = await owned(session, person_id, app_id)
        return view(*found) if found else None


async def withdraw(person_id: int, app_id: int) -> tuple[AppView, bool] | None:
    """Withdraw; (the application, whether it had been accepted), or None if not allowed."""
    async with session_scope() as session:
        found = await owned(session, person_id, app_id)
        if found is None or not rules.can_withdraw(found[0].status):
            return None
        app, course = found
        was_accepted = app.status == "accepted"
        previous = app.status
        app.status, app.withdrawn_at = "withdrawn", utcnow()
        record(session, person_id, "application.withdraw", "application", app.id, was=previous)
        await session.flush()
        return view(app, course), was_accepted
