"""Helpers the staff review and the waiting list share: priority, seat lock."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import City, Person
from bot.core.outbox import OutboxMessage
from bot.features.applications.models import Application
from bot.features.schedule.models import Course, CourseCity

NOTICE = "application_notice"


def written_name(app: Application, person: Person) -> str:
    """The applicant's name as written on the form, else from Telegram."""
    name = (app.answers or {}).get("full_name") or " ".join(
        p for p in (person.first_name, person.last_name) if p
    )
    return name.strip() or str(person.telegram_id)


def latin_name(app: Application) -> str:
    """The passport's Latin spelling given for a name in another script, else ""."""
    return (app.answers or {}).get("name_latin") or ""


def display_name(app: Application, person: Person) -> str:
    """The applicant's name for staff, with the passport's Latin spelling when the name is
    in another script: "Айгуль Асанова (Aigul Asanova)"."""
    name, latin = written_name(app, person), latin_name(app)
    return f"{name} ({latin})" if latin else name


def priority_key(app: Application, strategic: bool) -> tuple:
    """Selection priority: senior officials, then strategic cities, then order of submission."""
    senior = (app.answers or {}).get("seniority") == "senior"
    return (not senior, not strategic, app.submitted_at or app.created_at, app.id)


async def lock_course(session: AsyncSession, course_id: int) -> None:
    """Serialise seat-changing transactions of one course (PostgreSQL row lock, SQLite writer).

    A no-op UPDATE rather than SELECT … FOR UPDATE because SQLite ignores FOR UPDATE; without
    it two staff accepting different applicants for the last seat would both succeed.
    """
    await session.execute(
        update(Course)
        .where(Course.id == course_id)
        .values(seats=Course.seats, updated_at=Course.updated_at)
        .execution_options(synchronize_session=False)
    )


async def ranked(session: AsyncSession, course_id: int) -> list[tuple[Application, Person, bool]]:
    """The course's non-draft applications in priority order, with their strategic flag."""
    priority = set(
        await session.scalars(
            select(City.key)
            .join(CourseCity, CourseCity.city_id == City.id)
            .where(CourseCity.course_id == course_id, CourseCity.role == "priority")
        )
    )
    rows = await session.execute(
        select(Application, Person)
        .join(Person, Person.id == Application.person_id)
        .where(Application.course_id == course_id, Application.status != "draft")
    )
    items = [(a, p, (a.answers or {}).get("city_key") in priority) for a, p in rows]
    return sorted(items, key=lambda item: priority_key(item[0], item[2]))


async def accepted_count(session: AsyncSession, course_id: int) -> int:
    """How many seats of the course are taken."""
    query = select(func.count()).where(
        Application.course_id == course_id, Application.status == "accepted"
    )
    return int(await session.scalar(query) or 0)


def notice(app: Application, person: Person, event: str, note: str | None = None) -> OutboxMessage:
    """An outbox row telling the trainee about `event`, rendered in their language when sent."""
    payload: dict = {"application_id": app.id, "event": event}
    if note:
        payload["note"] = note
    return OutboxMessage(
        kind=NOTICE, chat_id=person.telegram_id, person_id=person.id, payload=payload
    )
