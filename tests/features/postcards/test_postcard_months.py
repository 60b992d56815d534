"""Target months typed as people write them in English, Chinese, Spanish and Russian."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from babel.dates import format_skeleton
from sqlalchemy import select

from bot import clock, db
from bot.core.models import Person
from bot.features.applications.models import Application
from bot.features.postcards.form import read_month
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course

KYIV = "2018-07"  # 27 May – 3 June 2018
IN_COURSE = datetime(2018, 5, 30, 1, 0, tzinfo=UTC)
TODAY = date(2018, 5, 30)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("dec 2018", "2018-12"),
        ("Dec. 2018", "2018-12"),
        ("December 2018", "2018-12"),
        ("Sept 2018", "2018-09"),
        ("diciembre 2018", "2018-12"),
        ("diciembre de 2018", "2018-12"),
        ("dic. 2018", "2018-12"),
        ("setiembre 2018", "2018-09"),
        ("декабрь 2018", "2018-12"),
        ("декабря 2018", "2018-12"),
        ("декабря 2018 года", "2018-12"),
        ("дек 2018", "2018-12"),
        ("сент. 2018 г.", "2018-09"),
        ("2019年12月", "2019-12"),
        ("2019年十二月", "2019-12"),
        ("２０１９年１２月", "2019-12"),
        ("2019년 3월", "2019-03"),
        ("12/2018", "2018-12"),
        ("12.2018", "2018-12"),
        ("2018/12", "2018-12"),
        ("2019-3", "2019-03"),
        ("2019-03", "2019-03"),
        ("diciembre", "2018-12"),  # no year: the next December
        ("marzo", "2019-03"),  # March has passed this year: next year's
        ("mayo", "2018-05"),  # this month counts
        # Not months, or out of range (before this month, more than five years ahead).
        ("12", None),
        ("dec 18", None),
        ("ma 2018", None),
        ("13/2018", None),
        ("hello 2018", None),
        ("dec 2018 2019", None),
        ("April 2018", None),
        ("2024-01", None),
        ("2023-12", "2023-12"),
    ],
)
def test_months_as_people_write_them(typed, expected):
    assert read_month(typed, TODAY) == expected


async def _enrol(uid: int, locale: str) -> None:
    async with db.session_scope() as s:
        person = Person(telegram_id=uid, locale=locale, locale_confirmed=True, first_name="A")
        s.add(person)
        await s.flush()
        course = await s.scalar(select(Course).where(Course.code == KYIV))
        answers = {"full_name": "Ana Gómez", "city": "Bogotá"}
        s.add(
            Application(
                course_id=course.id, person_id=person.id, status="accepted", answers=answers
            )
        )


@pytest.mark.parametrize(
    ("locale", "typed", "stored"),
    [
        ("es", "diciembre de 2018", "2018-12"),
        ("zh", "2019年十二月", "2019-12"),
        ("en", "dec 2018", "2018-12"),
        ("ru", "декабря 2018", "2018-12"),
    ],
)
async def test_the_month_question_shows_an_example_in_the_readers_language(
    sample, conv, locale, typed, stored
):
    """The question and the refusal give a month as the reader writes it (Babel), not
    YYYY-MM; a month typed that way is taken."""
    await _enrol(7701, locale)
    clock.freeze(IN_COURSE)
    await conv.send(7701, "/postcard", lang=locale)
    await conv.send(7701, "TOPIS")
    [question] = await conv.send(7701, "Piloto")
    example = format_skeleton("yMMMM", date(2018, 11, 1), locale=locale)
    assert example in question.text and "YYYY" not in question.text
    [problem, _again] = await conv.send(7701, "pronto")
    assert example in problem.text and "YYYY" not in problem.text
    await conv.send(7701, typed)
    async with db.session_scope() as s:
        card = await s.scalar(select(Postcard))
    assert card.actions[0]["target"] == stored and card.step == "more"
