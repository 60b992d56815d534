"""The bundled programme imports completely and idempotently, flaws kept."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot import db
from bot.core.models import City
from bot.features.schedule.importer import import_programme, load_sample
from bot.features.schedule.models import Course, ResultPlace


async def test_import_twice_changes_nothing(database):
    """The second import reports no change and row counts stay the same."""
    first = await import_programme(load_sample())
    assert first.created["courses"] == 28
    second = await import_programme(load_sample())
    assert not second.changed
    async with db.session_scope() as s:
        assert await s.scalar(select(func.count()).select_from(Course)) == 28


async def test_changed_row_updates_its_course(sample):
    """A corrected date in the data file updates that course only."""
    data = load_sample()
    wego = next(c for c in data["courses"] if c["code"] == "2018-03")
    assert wego["ends"] == "2018-04-25"  # as printed in the plan
    wego["ends"] = "2018-03-25"
    report = await import_programme(data)
    assert report.updated == {"courses": 1}
    async with db.session_scope() as s:
        ends = await s.scalar(select(Course.ends).where(Course.code == "2018-03"))
    assert ends == date(2018, 3, 25)


async def test_flaws_of_the_2017_table_are_kept(sample):
    """Quito is recorded under Ethiopia; Shanghai stands twice under two Korean spellings."""
    async with db.session_scope() as s:
        rows = (
            await s.execute(
                select(City.name, City.name_ko, ResultPlace.country).join(
                    ResultPlace, ResultPlace.city_id == City.id
                )
            )
        ).all()
    assert ("Quito", "ET") in {(name, country) for name, _, country in rows}
    shanghai = {ko for name, ko, _ in rows if name == "Shanghai"}
    assert shanghai == {"상해", "상하이"}


async def test_titles_in_every_language(sample):
    """Every course has a title in en, zh, es, ru and ko."""
    async with db.session_scope() as s:
        titles = list(await s.scalars(select(Course.title)))
    assert all(set(t) >= {"en", "zh", "es", "ru", "ko"} and all(t.values()) for t in titles)
