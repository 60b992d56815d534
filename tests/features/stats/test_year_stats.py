"""Year statistics are computed from the stored rows and match the plan's own tables."""

from __future__ import annotations

from sqlalchemy import select, update

from bot import db
from bot.features.schedule.models import Course, CourseResult
from bot.features.stats.service import year_stats


async def test_2017_figures_equal_the_plan_table(sample):
    """14 courses, 174 trainees, 25 countries, 58 cities; 7-81, 5-53, 2-40 by type."""
    data = (await year_stats(2017)).as_json()
    assert (data["courses"], data["trainees"], data["countries"], data["cities"]) == (
        14,
        174,
        25,
        58,
    )
    assert data["by_type"] == {
        "planned": {"courses": 7, "trainees": 81},
        "cooperative": {"courses": 5, "trainees": 53},
        "customised": {"courses": 2, "trainees": 40},
    }
    assert data["basis"] == "results"
    assert 4.7 < data["satisfaction_mean"] < 4.9


async def test_2018_gives_planned_seats(sample):
    """A planned year reports courses and seats: 14 courses, 195 seats."""
    data = (await year_stats(2018)).as_json()
    assert data["basis"] == "plan"
    assert (data["courses"], data["seats"]) == (14, 195)
    assert data["by_type"]["customised"] == {"courses": 2, "seats": 45}


async def test_figures_follow_the_rows_not_stored_totals(sample):
    """Changing a result row changes the statistics: nothing is a stored total."""
    async with db.session_scope() as s:
        course_id = await s.scalar(select(Course.id).where(Course.code == "2017-01"))
        await s.execute(
            update(CourseResult).where(CourseResult.course_id == course_id).values(trainees=19)
        )
    data = (await year_stats(2017)).as_json()
    assert data["trainees"] == 184
    assert data["by_type"]["planned"]["trainees"] == 91


async def test_empty_year(database):
    """A year without courses is all zeros, not an error."""
    data = (await year_stats(1999)).as_json()
    assert data["courses"] == 0 and data["satisfaction_mean"] is None
