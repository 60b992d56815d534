"""Delivering follow-ups through the Bot API double: restarts, concurrency, 403, 429, nudges."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot import clock
from bot.core.models import Person
from bot.core.outbox import OutboxMessage
from bot.core.outbox_dispatch import dispatch
from bot.features.followups.schedule import schedule_followups
from bot.features.followups.tick import run_tick
from tests.features.followups.test_schedule_fixtures import (
    add_course,
    add_trainee,
    complete_evaluation,
    outbox,
)

AFTER = datetime(2018, 6, 4, 0, 0, tzinfo=UTC)
EVALUATION_DUE = datetime(2018, 10, 3, 1, 0, tzinfo=UTC)  # 10:00 Seoul, 4 months after
EVALUATION_KINDS = {"evaluation", "evaluation_nudge_1", "evaluation_nudge_2"}


def _senders(conv):
    return conv.app.bot_data.outbox_senders


def _to(conv, mark, chat_id):
    return [e for e in conv.double.events_since(mark) if e.chat_id == chat_id]


async def _trainee(conv, telegram_id, course, **kw):
    conv.user(telegram_id, f"T{telegram_id}", kw.get("locale", "en"))
    return await add_trainee(telegram_id, course, **kw)


async def test_overdue_followups_go_out_once_after_a_restart(conv):
    """Rows due months ago: the first tick sends each once, in the trainee's language."""
    course = await add_course()
    await _trainee(conv, 3001, course, locale="ru")
    await schedule_followups(AFTER)
    late = datetime(2018, 12, 1, 3, 0, tzinfo=UTC)
    clock.freeze(late)
    mark = conv.double.seq
    first = await run_tick(conv.app.bot, _senders(conv), late)
    assert sorted((line.kind, line.state) for line in first.lines) == [
        ("evaluation", "sent"),
        ("postcard_return", "sent"),
        ("survey", "sent"),
    ]
    events = _to(conv, mark, 3001)
    assert len(events) == 3
    survey, card, invitation = events
    assert survey.buttons[0][0]["data"] == f"sv:go:{course}"
    assert "Два месяца назад" in (card.text or "") or card.method == "sendPhoto"
    assert invitation.buttons[0][0]["data"] == f"ev:go:{course}"
    assert "Умный город" in invitation.text
    again = await run_tick(conv.app.bot, _senders(conv), late + timedelta(minutes=1))
    assert again.lines == [] and _to(conv, mark, 3001) == events


async def test_two_dispatchers_send_each_row_once(conv):
    """Two workers racing over the same due rows (SKIP LOCKED on PostgreSQL): one send each."""
    course = await add_course()
    people = [3010 + i for i in range(6)]
    for telegram_id in people:
        await _trainee(conv, telegram_id, course)
    await schedule_followups(AFTER)
    now = datetime(2018, 8, 10, tzinfo=UTC)
    clock.freeze(now)
    mark = conv.double.seq
    a, b = await asyncio.gather(
        dispatch(conv.app.bot, _senders(conv), now=now),
        dispatch(conv.app.bot, _senders(conv), now=now),
    )
    sent = [r.outbox_id for r in a + b if r.state == "sent"]
    assert len(sent) == len(set(sent)) == 12  # survey + postcard return, per trainee
    events = [e for e in conv.double.events_since(mark) if e.chat_id in people]
    assert len(events) == 12
    assert sorted(e.chat_id for e in events) == sorted(people * 2)


async def test_blocked_trainee_is_marked_and_not_retried(conv):
    """403: the row is 'blocked', the person too; later ticks neither retry nor schedule more."""
    course = await add_course()
    person_id = await _trainee(conv, 3020, course)
    await schedule_followups(AFTER)
    conv.double.block(3020)
    now = datetime(2018, 8, 3, 2, 0, tzinfo=UTC)
    clock.freeze(now)
    result = await run_tick(conv.app.bot, _senders(conv), now)
    assert {(line.kind, line.state) for line in result.lines} == {
        ("survey", "blocked"),
        ("postcard_return", "blocked"),
    }
    [person] = [p for p in await _people() if p.id == person_id]
    assert person.blocked_at == now
    later = await run_tick(conv.app.bot, _senders(conv), now + timedelta(days=1))
    assert later.lines == []
    rows = await outbox(OutboxMessage.kind == "postcard_return")
    assert [(r.state, r.attempts) for r in rows] == [("blocked", 0)]


async def _people():
    from sqlalchemy import select

    from bot import db

    async with db.session_scope() as s:
        return list(await s.scalars(select(Person)))


@pytest.mark.flood_control  # the limiter's own retries come before the outbox's
async def test_flood_limit_is_retried_later_and_sent_once(conv):
    """429 beyond PTB's own retries: the row waits retry_after, then goes out exactly once."""
    course = await add_course(ends=datetime(2018, 6, 3).date())
    await _trainee(conv, 3030, course, postcard=None)
    during = datetime(2018, 6, 3, 5, 0, tzinfo=UTC)  # 14:00 Seoul on the last day
    clock.freeze(during)
    # AIORateLimiter retries a 429 three times by itself; the fourth reaches the outbox.
    conv.double.inject_fault(chat_id=3030, status=429, retry_after=1, count=4)
    mark = conv.double.seq
    [line] = (await run_tick(conv.app.bot, _senders(conv), during)).lines
    assert (line.kind, line.state) == ("survey", "pending")
    [row] = await outbox()
    assert row.due_at == during + timedelta(seconds=1) and row.attempts == 0
    assert _to(conv, mark, 3030) == []
    soon = during + timedelta(milliseconds=500)
    assert (await run_tick(conv.app.bot, _senders(conv), soon)).lines == []
    [line] = (await run_tick(conv.app.bot, _senders(conv), during + timedelta(seconds=2))).lines
    assert line.state == "sent"
    assert len(_to(conv, mark, 3030)) == 1
    assert (await run_tick(conv.app.bot, _senders(conv), during + timedelta(hours=1))).lines == []


async def _evaluation_ticks(conv):
    """Ticks at +4 months, +7, +14 and +21 days: the evaluation kinds each one sent."""
    sent = []
    for days in (0, 7, 14, 21):
        now = EVALUATION_DUE + timedelta(days=days)
        clock.freeze(now)
        result = await run_tick(conv.app.bot, _senders(conv), now)
        sent.append(sorted(x.kind for x in result.lines if x.kind in EVALUATION_KINDS))
    return sent


async def test_silent_trainee_gets_exactly_two_reminders(conv):
    """No answer: the evaluation, a reminder a week later, a last one a week after, then quiet."""
    course = await add_course()
    await _trainee(conv, 3040, course, locale="es")
    await schedule_followups(AFTER)
    mark = conv.double.seq
    assert await _evaluation_ticks(conv) == [
        ["evaluation"],
        ["evaluation_nudge_1"],
        ["evaluation_nudge_2"],
        [],
    ]
    nudges = await outbox(OutboxMessage.kind.like("evaluation_nudge_%"))
    assert [r.due_at for r in nudges] == [
        EVALUATION_DUE + timedelta(days=7),
        EVALUATION_DUE + timedelta(days=14),
    ]
    buttons = [e.buttons[0][0] for e in _to(conv, mark, 3040) if e.buttons]
    reminders = [b for b in buttons if b["data"].startswith("ev:")]
    assert [b["data"] for b in reminders] == [f"ev:go:{course}"] * 3
    assert {b["text"] for b in reminders} == {"Comenzar"}


async def test_trainee_who_answered_gets_no_reminder(conv):
    """The evaluation answered after the invitation: both reminders are cancelled, not sent."""
    course = await add_course()
    person_id = await _trainee(conv, 3050, course)
    await schedule_followups(AFTER)
    clock.freeze(EVALUATION_DUE)
    await run_tick(conv.app.bot, _senders(conv), EVALUATION_DUE)
    await complete_evaluation(person_id, course, at=EVALUATION_DUE + timedelta(days=1))
    mark = conv.double.seq
    for days in (7, 14, 21):
        await run_tick(conv.app.bot, _senders(conv), EVALUATION_DUE + timedelta(days=days))
    assert _to(conv, mark, 3050) == []
    nudges = await outbox(OutboxMessage.kind.like("evaluation_nudge_%"))
    assert [r.state for r in nudges] == ["cancelled", "cancelled"]
