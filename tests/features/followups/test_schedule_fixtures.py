"""Helpers the follow-up tests share: courses, trainees, postcards written straight into the DB."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot import db
from bot.core.models import City, Person
from bot.core.outbox import OutboxMessage
from bot.core.people import UserCtx
from bot.features.applications.models import Application
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course

KYIV_COURSE = "T-KYIV"
TRAINEE = UserCtx(0, 1, "Trainee", "en", True, None, frozenset())
ACTIONS = [
    {"text": "Open data portal for transport", "target": "2018-10"},
    {"text": "Smart bus stops pilot", "target": "2019-03"},
]


async def add_staff(telegram_id: int = 9001) -> UserCtx:
    """A staff member (a real person row, so audit entries can name them)."""
    async with db.session_scope() as s:
        person = Person(telegram_id=telegram_id, first_name="Staff", locale="ko")
        s.add(person)
        await s.flush()
        return UserCtx(person.id, telegram_id, "Staff", "ko", True, None, frozenset({"staff"}))


async def add_course(
    code: str = KYIV_COURSE, starts: date = date(2018, 5, 27), ends: date = date(2018, 6, 3)
) -> int:
    """A one-week course (the 2018 Kyiv smart-city course by default); returns its id."""
    async with db.session_scope() as s:
        course = Course(
            code=code,
            year=starts.year,
            type="cooperative",
            starts=starts,
            ends=ends,
            seats=13,
            title={"en": "Smart City", "ru": "Умный город", "ko": "스마트시티"},
        )
        s.add(course)
        await s.flush()
        return course.id


async def add_trainee(
    telegram_id: int,
    course_id: int,
    *,
    locale: str = "en",
    city: tuple[str, str] | None = None,
    timezone: str | None = None,
    postcard: str | None = "final",
    actions: list | None = None,
    name: str | None = None,
    blocked: datetime | None = None,
) -> int:
    """An accepted trainee with (unless postcard=None) a postcard; returns the person id."""
    async with db.session_scope() as s:
        city_id = None
        if city is not None:
            found = await s.scalar(select(City).where(City.key == city[0]))
            if found is None:
                found = City(key=city[0], name=city[0].title(), country="UA", timezone=city[1])
                s.add(found)
                await s.flush()
            city_id = found.id
        person = Person(
            telegram_id=telegram_id,
            first_name=name or f"T{telegram_id}",
            full_name=name,
            locale=locale,
            timezone=timezone,
            city_id=city_id,
            blocked_at=blocked,
        )
        s.add(person)
        await s.flush()
        s.add(Application(course_id=course_id, person_id=person.id, status="accepted"))
        if postcard is not None:
            s.add(
                Postcard(
                    person_id=person.id,
                    course_id=course_id,
                    inspired_by="TOPIS traffic centre",
                    actions=ACTIONS if actions is None else actions,
                    state=postcard,
                    locale=locale,
                )
            )
        return person.id


async def complete_evaluation(
    person_id: int, course_id: int, *, volunteer: bool = False, at: datetime | None = None
) -> None:
    """The trainee answered the evaluation."""
    async with db.session_scope() as s:
        s.add(
            Evaluation(
                person_id=person_id,
                course_id=course_id,
                rating=4,
                volunteer=volunteer,
                completed_at=at or datetime(2018, 10, 4, tzinfo=UTC),
            )
        )


async def complete_survey(person_id: int, course_id: int, scores: dict) -> None:
    """The trainee answered the course survey."""
    async with db.session_scope() as s:
        s.add(
            SurveyResponse(
                person_id=person_id,
                course_id=course_id,
                scores=scores,
                completed_at=datetime(2018, 6, 3, 6, tzinfo=UTC),
            )
        )


async def outbox(*where) -> list[OutboxMessage]:
    """Outbox rows, oldest first."""
    async with db.session_scope() as s:
        rows = await s.scalars(select(OutboxMessage).where(*where).order_by(OutboxMessage.id))
        return list(rows)
