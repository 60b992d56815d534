"""Which course a person is on: their accepted application to a course running that day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, select

from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.schedule.models import Course, CourseSession


async def course_for_day(day: date, person_id: int | None = None) -> str | None:
    """Their accepted course running on `day`, else any course running then with a programme."""
    async with session_scope() as session:
        running = and_(Course.starts <= day, Course.ends >= day)
        if person_id is not None:
            code = await session.scalar(
                select(Course.code)
                .join(Application, Application.course_id == Course.id)
                .where(
                    Application.person_id == person_id, Application.status == "accepted", running
                )
            )
            if code:
                return code
        return await session.scalar(
            select(Course.code)
            .join(CourseSession, CourseSession.course_id == Course.id)
            .where(running)
            .order_by(Course.starts)
            .limit(1)
        )
