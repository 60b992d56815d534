"""Year statistics are computed from the stored rows and match the plan's own tables."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from statistics import fmean

from sqlalchemy import select, update

from bot import db
from bot.core.models import City, Person
from bot.features.applications.models import Application
from bot.features.followups.models import SurveyResponse
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


# ------------------------------------------------- figures derived independently from the file


def _raw() -> dict:
    path = Path(__file__).resolve().parents[3] / "bot" / "data" / "programme.json"
    return json.loads(path.read_text(encoding="utf-8"))


async def test_by_theme_matches_the_sample_file(sample):
    """Courses and trainees per theme equal what the file's course and result rows add up to."""
    raw = _raw()
    theme = {c["code"]: c["theme"] or "unspecified" for c in raw["courses"]}
    expected: dict[str, dict] = {}
    for result in raw["results"]:
        group = expected.setdefault(theme[result["course"]], {"courses": 0, "trainees": 0})
        group["courses"] += 1
        group["trainees"] += result["trainees"]
    data = (await year_stats(2017)).as_json()
    assert data["by_theme"] == expected
    assert sum(g["trainees"] for g in data["by_theme"].values()) == 174


async def test_cumulative_matches_the_sample_file(sample):
    """All years up to 2018: every course of the file, the results' trainees, places."""
    raw = _raw()
    places = [p for r in raw["results"] for p in r["places"]]
    expected = {
        "first_year": min(c["year"] for c in raw["courses"]),
        "courses": sum(1 for c in raw["courses"] if c["status"] != "cancelled"),
        "trainees": sum(r["trainees"] for r in raw["results"]),
        "countries": len({p["country"] for p in places}),
        "cities": len({p["city"] for p in places if p["city"]}),
    }
    assert (await year_stats(2018)).as_json()["cumulative"] == expected
    only_2017 = (await year_stats(2017)).as_json()["cumulative"]
    assert only_2017["courses"] == sum(1 for c in raw["courses"] if c["year"] == 2017)
    assert (await year_stats(2016)).as_json()["cumulative"]["courses"] == 0


async def test_satisfaction_per_course_and_survey_fallback(sample):
    """Recorded scores first; a course without one takes the mean of its surveys' "overall"."""
    raw = _raw()
    async with db.session_scope() as s:
        course_id = await s.scalar(select(Course.id).where(Course.code == "2017-05"))
        for telegram_id, scores, done in (
            (501, {"overall": 4, "lectures": 1}, True),
            (502, {"overall": 5}, True),
            (503, {"lectures": 2}, True),  # no overall item: not counted
            (504, {"overall": 1}, False),  # not completed: not counted
        ):
            person = Person(telegram_id=telegram_id, first_name="T")
            s.add(person)
            await s.flush()
            s.add(
                SurveyResponse(
                    person_id=person.id,
                    course_id=course_id,
                    scores=scores,
                    completed_at=datetime(2017, 6, 1, tzinfo=UTC) if done else None,
                )
            )
    data = (await year_stats(2017)).as_json()
    by_code = {c["code"]: c for c in data["by_course"]}
    assert (by_code["2017-05"]["satisfaction"], by_code["2017-05"]["satisfaction_source"]) == (
        4.5,
        "survey",
    )
    assert (by_code["2017-01"]["satisfaction"], by_code["2017-01"]["satisfaction_source"]) == (
        4.86,
        "recorded",
    )
    assert by_code["2017-13"]["satisfaction"] is None  # neither recorded nor surveyed
    recorded = [r["satisfaction"] for r in raw["results"] if r["satisfaction"] is not None]
    assert data["satisfaction_mean"] == round(fmean([*recorded, 4.5]), 2)


async def test_a_year_without_results_counts_accepted_applications(sample):
    """2018 has no result rows: accepted applications are its trainees, stated per course;
    a 2018 trainee from Ulaanbaatar (2017 too) makes a repeat city."""
    async with db.session_scope() as s:
        course_id = await s.scalar(select(Course.id).where(Course.code == "2018-07"))
        city = await s.scalar(select(City).where(City.key == "ulaanbaatar"))
        for telegram_id, status in ((601, "accepted"), (602, "accepted"), (603, "submitted")):
            person = Person(telegram_id=telegram_id, first_name="T", city_id=city.id)
            s.add(person)
            await s.flush()
            s.add(Application(course_id=course_id, person_id=person.id, status=status))
    data = (await year_stats(2018)).as_json()
    assert data["basis"] == "applications" and data["trainees"] == 2
    by_code = {c["code"]: c for c in data["by_course"]}
    assert (by_code["2018-07"]["basis"], by_code["2018-07"]["trainees"]) == ("applications", 2)
    assert (by_code["2018-01"]["basis"], by_code["2018-01"]["trainees"]) == ("plan", None)
    assert data["by_type"]["cooperative"] == {"courses": 7, "trainees": 2}
    assert data["by_country"] == {"MN": {"cities": 1, "courses": 1, "trainees": 2}}
    assert (data["countries"], data["cities"]) == (1, 1)
    assert data["repeat_cities"] == {"count": 1, "cities": ["ulaanbaatar"]}
    assert data["cumulative"]["trainees"] == 176


async def test_cancelled_courses_are_not_counted(sample):
    """A cancelled course leaves the year's and the cumulative figures."""
    async with db.session_scope() as s:
        await s.execute(update(Course).where(Course.code == "2017-13").values(status="cancelled"))
    data = (await year_stats(2017)).as_json()
    assert (data["courses"], data["trainees"]) == (13, 144)
    assert data["by_type"]["customised"] == {"courses": 1, "trainees": 10}
    assert data["cumulative"]["courses"] == 13
