"""Year statistics, computed from rows (never from stored totals).

Trainees of a course are its result row's count; a course without one (a year still running)
counts its accepted applications; a course with neither reports only its planned seats. The
arithmetic lives in figures.py; here the rows are read and staff permission is checked.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import audit
from bot.core.authz import require_staff
from bot.core.models import City, Person
from bot.core.outbox import OutboxMessage
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.followups.api import POSTCARD_RETURN
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course, CourseResult, ResultPlace
from bot.features.stats.figures import (
    APPLICATIONS,
    PLAN,
    RESULTS,
    CourseRow,
    Funnel,
    TypeFigures,
    YearStats,
    build,
)

__all__ = [
    "TypeFigures",
    "YearStats",
    "latest_year",
    "stats_for",
    "stats_years",
    "year_stats",
]

APPLIED = ("done", "in_progress")  # an action counts as applied at home once it is under way
MIN_YEAR, MAX_YEAR = 1900, 2999


async def _course_rows(session: AsyncSession, year: int) -> list[CourseRow]:
    """Every course held or planned up to `year`, with its trainees, places and satisfaction."""
    found = await session.execute(
        select(Course, CourseResult)
        .outerjoin(CourseResult, CourseResult.course_id == Course.id)
        .where(Course.year <= year, Course.status != "cancelled")
        .order_by(Course.year, Course.code)
    )
    rows: dict[int, CourseRow] = {}
    for course, result in found:
        rows[course.id] = CourseRow(
            id=course.id,
            code=course.code,
            year=course.year,
            type=course.type,
            theme=course.theme,
            seats=course.seats or 0,
            title=dict(course.title or {}),
            basis=RESULTS if result is not None else PLAN,
            trainees=result.trainees if result is not None else None,
            recorded_satisfaction=result.satisfaction if result is not None else None,
        )
    places = await session.execute(
        select(CourseResult.course_id, ResultPlace.country, ResultPlace.city_id)
        .join(ResultPlace, ResultPlace.result_id == CourseResult.id)
        .order_by(CourseResult.course_id, ResultPlace.position)
    )
    for course_id, country, city_id in places:
        if course_id in rows:
            rows[course_id].places.append((country, city_id))
    await _add_applicants(session, rows)
    return list(rows.values())


async def _add_applicants(session: AsyncSession, rows: dict[int, CourseRow]) -> None:
    """Courses without a result row count their accepted applicants (and their places)."""
    pending = [r.id for r in rows.values() if r.basis == PLAN]
    if not pending:
        return
    found = await session.execute(
        select(Application.course_id, Person.country, Person.city_id, City.country)
        .join(Person, Person.id == Application.person_id)
        .outerjoin(City, City.id == Person.city_id)
        .where(Application.course_id.in_(pending), Application.status == "accepted")
    )
    for course_id, country, city_id, city_country in found:
        row = rows[course_id]
        row.basis, row.trainees = APPLICATIONS, (row.trainees or 0) + 1
        country = country or city_country  # the form's country, else the city's
        if country:
            row.places.append((country, city_id))
            row.country_trainees[country] += 1


async def _survey_scores(session: AsyncSession, rows: list[CourseRow], year: int) -> None:
    """The "overall" answers of completed surveys, for courses without a recorded score."""
    wanted = {r.id: r for r in rows if r.year == year and r.recorded_satisfaction is None}
    if not wanted:
        return
    found = await session.execute(
        select(SurveyResponse.course_id, SurveyResponse.scores).where(
            SurveyResponse.course_id.in_(wanted), SurveyResponse.completed_at.is_not(None)
        )
    )
    for course_id, scores in found:
        overall = (scores or {}).get("overall")
        if isinstance(overall, int | float) and not isinstance(overall, bool):
            wanted[course_id].survey_scores.append(float(overall))


async def _funnel(session: AsyncSession, course_ids: set[int]) -> Funnel:
    """Postcards written → returned → evaluations answered → applied at home."""
    if not course_ids:
        return Funnel()
    cards = await session.execute(
        select(Postcard.state, Postcard.actions).where(Postcard.course_id.in_(course_ids))
    )
    # The same rule as the scheduler: a final postcard, or one with actions, gets returned.
    written = sum(1 for state, actions in cards if state == "final" or actions)
    keys = await session.scalars(
        select(OutboxMessage.key).where(
            OutboxMessage.kind == POSTCARD_RETURN, OutboxMessage.state == "sent"
        )
    )
    # Keys are `postcard_return:<person>:<course>`; parsing them avoids dialect-specific SQL.
    returned = sum(1 for k in keys if k and k.rsplit(":", 1)[-1] in {str(i) for i in course_ids})
    answered = list(
        await session.scalars(
            select(Evaluation.results).where(
                Evaluation.course_id.in_(course_ids), Evaluation.completed_at.is_not(None)
            )
        )
    )
    applied = sum(
        1
        for results in answered
        if any(isinstance(r, dict) and r.get("status") in APPLIED for r in results or [])
    )
    return Funnel(written, returned, len(answered), applied)


async def _city_keys(session: AsyncSession, rows: list[CourseRow]) -> dict[int, tuple]:
    ids = {city for r in rows for _, city in r.places if city is not None}
    if not ids:
        return {}
    found = await session.execute(
        select(City.id, City.key, City.name, City.name_ko, City.names).where(City.id.in_(ids))
    )
    return {
        i: (key, {"en": name, **({"ko": ko} if ko else {}), **(names or {})})
        for i, key, name, ko, names in found
    }


async def year_stats(year: int) -> YearStats:
    """Compute a year's figures from course, result, application and follow-up rows."""
    async with session_scope() as session:
        rows = await _course_rows(session, year)
        await _survey_scores(session, rows, year)
        funnel = await _funnel(session, {r.id for r in rows if r.year == year})
        cities = await _city_keys(session, rows)
    return build(year, rows, funnel, cities)


async def stats_years() -> list[int]:
    """The years that have at least one course, oldest first."""
    async with session_scope() as session:
        years = await session.scalars(
            select(Course.year)
            .where(Course.status != "cancelled")
            .group_by(Course.year)
            .order_by(Course.year)
        )
        return list(years)


async def stats_for(actor: UserCtx, year: int) -> tuple[YearStats, list[int]]:
    """A staff member's view of a year (audited) and the years they can switch to."""
    require_staff(actor)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError("year out of range")
    stats = await year_stats(year)
    async with session_scope() as session:
        audit.record(session, actor.person_id, "stats.view", "year", year)
    return stats, await stats_years()


async def latest_year() -> int | None:
    """The most recent year with trainees (results or accepted applications), else with courses."""
    async with session_scope() as session:
        recorded = await session.scalar(
            select(func.max(Course.year)).join(CourseResult, CourseResult.course_id == Course.id)
        )
        enrolled = await session.scalar(
            select(func.max(Course.year))
            .join(Application, Application.course_id == Course.id)
            .where(Application.status == "accepted", Course.status != "cancelled")
        )
        latest = await session.scalar(
            select(func.max(Course.year)).where(Course.status != "cancelled")
        )
    return max(recorded or 0, enrolled or 0) or latest
