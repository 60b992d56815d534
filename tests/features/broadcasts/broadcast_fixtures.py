"""Helpers the broadcast tests share: people, applications and roles written directly."""

from __future__ import annotations

from sqlalchemy import select

from bot import db
from bot.clock import utcnow
from bot.core.models import City, Organisation, Person, PersonRole
from bot.core.people import UserCtx, touch_person
from bot.features.applications.models import Application
from bot.features.schedule.models import Course

CITYNET_COURSE = "2018-04"  # partner CITYNET
OTHER_COURSE = "2018-01"  # partner University of Seoul


async def person(
    telegram_id: int,
    locale: str = "en",
    *,
    country: str | None = None,
    city_key: str | None = None,
    blocked: bool = False,
) -> int:
    """A person row; returns its id."""
    async with db.session_scope() as s:
        city_id = None
        if city_key:
            city_id = await s.scalar(select(City.id).where(City.key == city_key))
        row = Person(
            telegram_id=telegram_id,
            first_name=f"P{telegram_id}",
            locale=locale,
            country=country,
            city_id=city_id,
            blocked_at=utcnow() if blocked else None,
        )
        s.add(row)
        await s.flush()
        return row.id


async def apply(person_id: int, code: str, status: str = "accepted") -> None:
    """An application of the person to course `code` in `status`."""
    async with db.session_scope() as s:
        course_id = await s.scalar(select(Course.id).where(Course.code == code))
        s.add(Application(course_id=course_id, person_id=person_id, status=status))


async def make_liaison(telegram_id: int, org: str = "CITYNET", locale: str = "en") -> UserCtx:
    """A liaison officer of `org` (a PersonRole row), as the bot would load them."""
    ctx = await touch_person(telegram_id, first_name="Liaison", language_code=locale)
    async with db.session_scope() as s:
        org_id = await s.scalar(select(Organisation.id).where(Organisation.code == org))
        s.add(PersonRole(person_id=ctx.person_id, role="liaison", organisation_id=org_id))
    return await touch_person(telegram_id, first_name="Liaison", language_code=locale)


async def staff() -> UserCtx:
    """The staff member of the test settings (ADMIN_IDS)."""
    return await touch_person(9001, first_name="Staff", admin_ids=frozenset({9001}))


async def course_id(code: str) -> int:
    """A course's id by code."""
    async with db.session_scope() as s:
        return await s.scalar(select(Course.id).where(Course.code == code))


async def set_group(code: str, chat_id: int) -> None:
    """Link a course to its group chat."""
    async with db.session_scope() as s:
        course = await s.scalar(select(Course).where(Course.code == code))
        course.group_chat_id = chat_id
