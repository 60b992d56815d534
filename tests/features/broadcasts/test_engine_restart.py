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


async def test_a_stop_during_a_slow_write_loses_no_outcome(conv, monkeypatch):
    """Stopping while the periodic write is still in the database: the outcomes it carried
    are written by the final write, so no sent row stays "sending" (and is sent again)."""
    from bot.features.broadcasts import engine_store

    chats = [8300 + i for i in range(30)]
    bid = await make_broadcast(conv, chats)
    real_record, entered = engine_store.record, asyncio.Event()

    async def slow_first_write(owner, outcomes, now):
        if outcomes and not entered.is_set():
            entered.set()
            await asyncio.Event().wait()  # a database that does not answer in time
        await real_record(owner, outcomes, now)

    monkeypatch.setattr(engine_store, "record", slow_first_write)
    monkeypatch.setattr(engine, "FLUSH_SECONDS", 0.01)
    conv.double.gate.close(after=5)
    task = asyncio.create_task(engine.run_broadcast(conv.app, bid, concurrency=4))
    await asyncio.wait_for(entered.wait(), 10)  # the writer holds five outcomes
    conv.app.bot_data.broadcasts_stopping = True  # what SIGTERM's stop callback sets
    conv.double.gate.open()
    await asyncio.wait_for(task, 10)
    states = await deliveries(bid)
    assert "sending" not in states.values()
    sent = {chat for chat, n in received(conv, chats).items() if n}
    assert sum(1 for s in states.values() if s == "sent") == len(sent) >= 5
