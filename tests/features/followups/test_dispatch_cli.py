"""`python -m bot tick` as an operator runs it: fresh starts, the chat double's state on disk."""

from __future__ import annotations

import asyncio
import json

from bot import db
from tests.features.followups.test_schedule_fixtures import add_course


async def _seed(url: str) -> None:
    """The chat user 1001 took the Kyiv-like course and wrote a postcard."""
    from sqlalchemy import select

    from bot.core.models import Person
    from bot.features.applications.models import Application
    from bot.features.postcards.models import Postcard

    db.init_db(url)
    try:
        course = await add_course(code="T-CLI")
        async with db.session_scope() as s:
            person = await s.scalar(select(Person).where(Person.telegram_id == 1001))
            s.add(Application(course_id=course, person_id=person.id, status="accepted"))
            s.add(
                Postcard(
                    person_id=person.id,
                    course_id=course,
                    actions=[{"text": "Open data portal", "target": "2018-10"}],
                    state="final",
                )
            )
    finally:
        await db.dispose_db()


def test_tick_sends_due_followups_once_and_the_button_works(cli, empty_url):
    """tick --json: postcard return and evaluation, once; then the trainee presses Start."""
    assert cli("migrate").returncode == 0
    assert cli("chat", "--as", "1001", "--lang", "en", "/start").returncode == 0
    asyncio.run(_seed(empty_url))
    out = cli("tick", "--now", "2018-10-03T12:00", "--json")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(x["kind"], x["state"], x["chat_id"]) for x in lines] == [
        ("postcard_return", "sent", 1001),
        ("evaluation", "sent", 1001),
    ]
    assert lines[0]["due_at"] == "2018-08-03T01:00:00+00:00"
    assert set(lines[0]) == {"outbox_id", "kind", "chat_id", "person_id", "state", "due_at"}
    again = cli("tick", "--now", "2018-10-03T12:05", "--json")
    assert again.returncode == 0 and again.stdout == ""
    pressed = cli("chat", "--as", "1001", "--json", "--press", "Start")
    assert pressed.returncode == 0, pressed.stderr
    assert pressed.stdout.strip()
    plain = cli("tick", "--now", "2018-10-10T12:00")
    assert plain.returncode == 0, plain.stderr
    # Started but not finished: the first reminder goes out, printed as `chat` prints it.
    assert "evaluation_nudge_1 → 1001: sent" in plain.stdout
    assert "[sendMessage → 1001]" in plain.stdout and "[Start]" in plain.stdout
