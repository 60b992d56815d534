"""The engine after crashes and restarts: leases, reclaimed rows, the resume job."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from bot import clock
from bot.clock import utcnow
from bot.features.broadcasts import engine
from bot.features.broadcasts.engine_store import LEASE_SECONDS
from tests.features.broadcasts.test_engine_fixtures import (
    broadcast,
    deliveries,
    make_broadcast,
    received,
)


async def test_crash_mid_way_then_restart_reaches_everyone(conv):
    """Killed mid-send: after the lease the rows it held go out again, counted as possible
    duplicates; nobody is missed and real duplicates stay within that count."""
    chats = [8000 + i for i in range(40)]
    bid = await make_broadcast(conv, chats)
    clock.freeze(utcnow())
    conv.double.gate.close(after=10)  # sends in flight when the process dies
    task = asyncio.create_task(engine.run_broadcast(conv.app, bid, concurrency=4))
    await asyncio.wait_for(conv.double.gate.wait_held(), 10)
    task.cancel()  # the process dies: no outcome written after this point
    with contextlib.suppress(asyncio.CancelledError):
        await task
    conv.double.gate.open()
    states = await deliveries(bid)
    assert "sending" in states.values() and "pending" in states.values()
    held = sum(1 for s in states.values() if s == "sending")
    # Before the lease expires a new runner leaves the held rows alone.
    clock.freeze(utcnow() + timedelta(seconds=LEASE_SECONDS + 1))
    report = await engine.run_broadcast(conv.app, bid)
    assert report.state == "done" and report.remaining == 0 and report.sent == 40
    assert report.possible_duplicates == held
    got = received(conv, chats)
    assert set(got) == set(chats)
    duplicated = sum(n - 1 for n in got.values())
    assert duplicated <= report.possible_duplicates


async def test_rows_under_a_live_lease_are_waited_for_not_taken(conv, monkeypatch):
    """A restarted runner does not finish while another runner's lease is still running."""
    from bot.features.broadcasts import engine_store

    monkeypatch.setattr(engine_store, "LEASE_SECONDS", 1)
    chats = [8100 + i for i in range(6)]
    bid = await make_broadcast(conv, chats)
    # Another (dead) process claimed two rows a moment ago.
    await engine_store.claim(bid, "elsewhere", utcnow(), 2)
    report = await asyncio.wait_for(engine.run_broadcast(conv.app, bid), 15)
    assert report.sent == 6 and report.possible_duplicates == 2
    assert received(conv, chats) == dict.fromkeys(chats, 1)


async def test_resume_restarts_a_sending_broadcast_without_a_runner(conv):
    """After a restart, one resume pass picks up the broadcast left in "sending"."""
    chats = [8200 + i for i in range(5)]
    bid = await make_broadcast(conv, chats)
    assert await engine.resume(conv.app) == [bid]
    assert await engine.resume(conv.app) == []  # already has a runner in this process
    report = await asyncio.wait_for(engine.runners(conv.app)[bid], 10)
    assert report.state == "done" and received(conv, chats) == dict.fromkeys(chats, 1)


async def test_a_due_scheduled_broadcast_fires_exactly_once(conv):
    """Two resume passes at once: one materialisation, one runner, one message each."""
    chats = [8300 + i for i in range(4)]
    bid = await make_broadcast(
        conv, chats, state="scheduled", locale="ru", audience={"languages": ["ru"]},
        scheduled_at=utcnow() - timedelta(minutes=1), progress=False,
    )  # fmt: skip
    await asyncio.gather(engine.resume(conv.app), engine.resume(conv.app))
    runner = engine.runners(conv.app)[bid]
    report = await asyncio.wait_for(runner, 10)
    await engine.resume(conv.app)
    assert report.state == "done" and report.sent == 4
    assert len(await deliveries(bid)) == 4
    assert received(conv, chats) == dict.fromkeys(chats, 1)
    row = await broadcast(bid)
    assert row.state == "done" and row.progress_message_id is not None
