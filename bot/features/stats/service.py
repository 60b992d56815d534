"""Year statistics, computed from rows (never from stored totals)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from bot.db import session_scope
from bot.features.schedule.models import COURSE_TYPES, Course, CourseResult, ResultPlace


@dataclass
class TypeFigures:
    """Courses and trainees (or planned seats) of one course type."""

    courses: int = 0
    trainees: int = 0
    seats: int = 0


@dataclass
class YearStats:
    """The figures the training team reports for a year."""

    year: int
    basis: str  # "results" when trainees were recorded, "plan" for a planned year
    courses: int
    trainees: int
    seats: int
    countries: int
    cities: int
    by_type: dict[str, TypeFigures] = field(default_factory=dict)
    satisfaction_mean: float | None = None

    def as_json(self) -> dict:
        """A JSON-ready dict; a planned year reports seats instead of trainees per type."""
        data = asdict(self)
        key = "trainees" if self.basis == "results" else "seats"
        data["by_type"] = {
            t: {"courses": f.courses, key: getattr(f, key)} for t, f in self.by_type.items()
        }
        return data


async def year_stats(year: int) -> YearStats:
    """Compute a year's figures from course, result and place rows."""
    async with session_scope() as session:
        rows = (
            await session.execute(
                select(Course.type, Course.seats, CourseResult.trainees, CourseResult.satisfaction)
                .outerjoin(CourseResult, CourseResult.course_id == Course.id)
                .where(Course.year == year, Course.status != "cancelled")
            )
        ).all()
        places = (
            await session.execute(
                select(ResultPlace.country, ResultPlace.city_id)
                .join(CourseResult, CourseResult.id == ResultPlace.result_id)
                .join(Course, Course.id == CourseResult.course_id)
                .where(Course.year == year, Course.status != "cancelled")
            )
        ).all()
    by_type = {t: TypeFigures() for t in COURSE_TYPES}
    scores = []
    for ctype, seats, trainees, satisfaction in rows:
        fig = by_type.setdefault(ctype, TypeFigures())
        fig.courses += 1
        fig.seats += seats or 0
        fig.trainees += trainees or 0
        if satisfaction is not None:
            scores.append(float(satisfaction))
    trainees = sum(f.trainees for f in by_type.values())
    return YearStats(
        year=year,
        basis="results" if trainees else "plan",
        courses=len(rows),
        trainees=trainees,
        seats=sum(f.seats for f in by_type.values()),
        countries=len({country for country, _ in places}),
        cities=len({city for _, city in places if city is not None}),
        by_type=by_type,
        satisfaction_mean=round(sum(scores) / len(scores), 2) if scores else None,
    )
