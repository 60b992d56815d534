"""Helpers the review tests share: applications written straight into the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import db
from bot.core.models import Person
from bot.core.people import UserCtx
from bot.features.applications.models import Application
from bot.features.schedule.models import Course

T0 = datetime(2018, 4, 2, 1, 0, tzinfo=UTC)
WATER = "2018-08"  # priority (strategic) cities: parana, hai_duong; 13 seats
STAFF = UserCtx(0, 9001, "Staff", "ko", True, None, frozenset({"staff"}))


def answers(name: str, **kw) -> dict:
    """Form answers as the trainee side writes them."""
    base = {
        "full_name": name,
        "country": "MN",
        "city": "Ulaanbaatar",
        "city_key": "ulaanbaatar",
        "organisation": "City Hall",
        "position": "Officer",
        "seniority": "working",
        "email": "a@example.org",
        "phone": "+97611111111",
        "language": "en",
        "motivation": "To learn.",
        "consent": True,
    }
    return {**base, **kw}


async def add_application(
    telegram_id: int,
    name: str,
    *,
    course: str = WATER,
    minutes: int = 0,
    status: str = "submitted",
    locale: str = "en",
    **kw,
) -> int:
    """A submitted application (and its person) of `course`; returns its id."""
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None:
            person = Person(telegram_id=telegram_id, first_name=name.split()[0], locale=locale)
            s.add(person)
            await s.flush()
        course_id = await s.scalar(select(Course.id).where(Course.code == course))
        app = Application(
            course_id=course_id,
            person_id=person.id,
            status=status,
            answers=answers(name, **kw),
            submitted_at=None if status == "draft" else T0 + timedelta(minutes=minutes),
        )
        s.add(app)
        await s.flush()
        return app.id


async def staff_actor() -> UserCtx:
    """The staff member as a UserCtx with a real person row (for audit and decided_by)."""
    from bot.core.people import touch_person

    return await touch_person(9001, first_name="Staff", admin_ids=frozenset({9001}))


async def set_seats(code: str, seats: int) -> None:
    """Change a course's number of seats."""
    async with db.session_scope() as s:
        course = await s.scalar(select(Course).where(Course.code == code))
        course.seats = seats


async def app_row(app_id: int) -> Application:
    """The application as stored now."""
    async with db.session_scope() as s:
        return await s.get(Application, app_id)
