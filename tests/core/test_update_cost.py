"""What one update costs the database, and the reference data copy staying fresh."""

from datetime import datetime

from sqlalchemy import text, update

from bot import clock
from bot.core import refdata
from bot.db import get_engine, session_scope
from bot.features.schedule.models import Course
from bot.features.schedule.service import load_catalogue

T0 = datetime.fromisoformat("2018-01-05T10:00:00+09:00")
USER = 4242


async def _warm(conv) -> None:
    clock.freeze(T0)
    await conv.send(USER, "/start", lang="en")
    await conv.send(USER, "When is the water course?")
    await conv.send(USER, "/courses")


async def test_a_plain_question_costs_at_most_two_statements(conv, sample, count_queries):
    await _warm(conv)
    with count_queries() as sql:
        sent = await conv.send(USER, "Who pays for the flight?")
    assert sent and sent[-1].text
    assert len(sql) <= 2, sql


async def test_a_button_press_costs_at_most_three_statements(conv, sample, count_queries):
    await _warm(conv)
    with count_queries() as sql:
        sent = await conv.press(USER, "By month")
    assert any(e.method == "editMessageText" for e in sent)
    assert len(sql) <= 3, sql
    with count_queries() as sql:
        sent = await conv.press(USER, "1")
    assert any(e.method == "editMessageText" for e in sent)
    assert len(sql) <= 3, sql


async def _title(conv) -> str:
    sent = await conv.send(USER, "/courses")
    return "\n".join(e.text or "" for e in sent)


async def test_a_write_by_another_process_shows_at_the_next_update(conv, sample):
    """An import from the command line or a second instance: only the counter tells."""
    await _warm(conv)
    catalogue = await load_catalogue()
    course = next(c for c in catalogue.courses if c.year == 2018)
    # Raw SQL on a connection of its own: no session of this process sees the write.
    async with get_engine().begin() as conn:
        await conn.execute(
            update(Course)
            .where(Course.id == course.id)
            .values(title={**course.title, "en": "Renamed elsewhere"})
        )
        await conn.execute(text("UPDATE reference_version SET n = n + 1"))
    sent = await conv.press(USER, "By month")
    sent += await conv.press(USER, f"crs:m:{course.year}:{course.starts.month}")
    assert "Renamed elsewhere" in "\n".join(e.text or "" for e in sent)


async def test_a_write_in_this_process_shows_at_once(sample):
    """A staff edit is seen by the very next read, even within the same update."""
    before = await load_catalogue()
    async with session_scope() as session:
        version = await refdata.current(session)
    refdata.seen(version)  # as the update's context would
    course = before.courses[0]
    async with session_scope() as session:
        row = await session.get(Course, course.id)
        row.title = {**row.title, "en": "Edited here"}
    after = await load_catalogue()
    assert after.by_code(course.code).title["en"] == "Edited here"
    assert await load_catalogue() is after  # and cached again
    async with session_scope() as session:
        assert await refdata.current(session) == version + 1


async def test_applying_and_answering_the_form_stay_cheap(conv, sample, count_queries):
    """Starting a draft: context, one read, the insert, pausing other forms; an answer: 3."""
    await _warm(conv)
    await conv.send(USER, "/apply")
    with count_queries() as sql:
        sent = await conv.press(USER, "ap:new:2018-05")
    assert any("1/" in (e.text or "") for e in sent)
    assert len(sql) <= 4, sql
    with count_queries() as sql:
        sent = await conv.send(USER, "John Smith")
    assert sent and "2/" in sent[-1].text
    assert len(sql) <= 3, sql
