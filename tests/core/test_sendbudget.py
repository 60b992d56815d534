"""The send budget shared through PostgreSQL by several instances of the bot."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time

import pytest
from telegram.ext import ExtBot

from bot.app import FAKE_TOKEN
from bot.config import Settings
from bot.core.ratelimit import FloodControl, for_settings
from bot.core.sendbudget import SharedBudget
from bot.dev.botapi import BotApiDouble
from tests.conftest import PG_URL

needs_pg = pytest.mark.skipif(
    not PG_URL, reason="the shared send budget lives in PostgreSQL (set TEST_DATABASE_URL)"
)


@pytest.fixture
async def double(tmp_path):
    """A Bot API double enforcing Telegram's flood limits (429 above 30/s)."""
    double = BotApiDouble(FAKE_TOKEN, files_dir=tmp_path / "files", enforce_limits=True)
    await double.start()
    yield double
    await double.stop()


def instance(double: BotApiDouble, url: str | None, retries: int = 0) -> ExtBot:
    """One bot instance: its own limiter, sharing the budget through `url` if given."""
    budget = SharedBudget(url) if url else None
    limiter = FloodControl(max_retries=retries, budget=budget)
    return ExtBot(FAKE_TOKEN, base_url=double.base_url, rate_limiter=limiter)


async def burst(bot: ExtBot, chats: list[int]) -> int:
    """Send one message to each chat at once; returns how many failed."""
    results = await asyncio.gather(
        *(bot.send_message(c, "hi") for c in chats), return_exceptions=True
    )
    return sum(1 for r in results if isinstance(r, Exception))


@needs_pg
async def test_two_instances_share_thirty_per_second(database, double):
    """Two instances, 60 sends each at once: ≤ 30 in any second, nothing lost.

    The double shares this test's event loop, so a stalled loop can bunch arrivals there
    (Telegram is not on our loop): one 429 is tolerated here; the two-process test in
    tests/faults allows none.
    """
    chats = list(range(7000, 7120))
    for chat in chats:
        double.add_private_chat(chat)
    first, second = instance(double, database, 1), instance(double, database, 1)
    async with first, second:
        started = time.monotonic()
        failed = await asyncio.gather(burst(first, chats[:60]), burst(second, chats[60:]))
        elapsed = time.monotonic() - started
    assert failed == [0, 0]
    assert double.counters["429"] <= 1
    assert double.max_per_window() <= 31
    assert len({e.chat_id for e in double.sent}) == 120
    assert elapsed >= 3.8  # 120 sends at < 30/s
    assert first.rate_limiter.budget.stats.bookings >= 60


async def test_two_local_instances_overrun_the_limit(database, double):
    """Why the budget is needed: two instances pacing themselves alone get 429s."""
    chats = list(range(7200, 7280))
    for chat in chats:
        double.add_private_chat(chat)
    first, second = instance(double, None), instance(double, None)
    async with first, second:
        failed = await asyncio.gather(burst(first, chats[:40]), burst(second, chats[40:]))
    assert double.counters["429"] > 0 and sum(failed) > 0


@needs_pg
async def test_paid_slots_are_booked_in_chunks(database, double):
    """300 paid sends at once take a few database round trips, not 300."""
    chats = list(range(7300, 7600))
    for chat in chats:
        double.add_private_chat(chat)
    bot = instance(double, database)
    async with bot:
        results = await asyncio.gather(
            *(bot.send_message(c, "paid", allow_paid_broadcast=True) for c in chats)
        )
        stats = bot.rate_limiter.budget.stats
    assert len(results) == 300 and double.counters["429"] == 0
    assert stats.slots >= 300 and stats.bookings <= 300 / 5


@needs_pg
async def test_a_429_pauses_every_instance(database):
    """One instance's pause moves the other's next slot past retry_after."""
    first, second = SharedBudget(database), SharedBudget(database)
    await first.initialize()
    await second.initialize()
    try:
        await second.slot(False)
        await first.pause(1.0)
        start = await second.slot(False)
        assert start - time.monotonic() >= 0.9
    finally:
        await first.shutdown()
        await second.shutdown()


async def test_unreachable_database_falls_back_to_a_share_of_the_budget(caplog):
    """No database: slots keep coming at half the pace (two instances), logged once."""
    url = "postgresql+asyncpg://postgres@127.0.0.1:9/nowhere"  # port 9: nothing listens
    budget = SharedBudget(url, timeout=0.5)
    with caplog.at_level(logging.WARNING, "bot.core.sendbudget"):
        await budget.initialize()
        slots = [await budget.slot(False) for _ in range(10)]
    await budget.shutdown()
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    assert budget.offline and budget.stats.fallbacks == 1
    assert min(gaps) >= 2 / 30  # 1/2 of the 30/s budget (with the margin: a bit less)
    assert sum("unavailable" in r.getMessage() for r in caplog.records) == 1


def test_send_budget_setting_picks_the_limiter(tmp_path):
    """auto: shared on PostgreSQL, local on SQLite; local: always local."""
    pg = "postgresql+asyncpg://postgres@127.0.0.1/x"
    sqlite = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"

    def made(url: str, mode: str) -> FloodControl:
        return for_settings(Settings(_env_file=None, database_url=url, send_budget=mode))

    assert made(pg, "auto").budget is not None
    assert made(pg, "database").budget is not None
    assert made(pg, "local").budget is None
    assert made(sqlite, "auto").budget is None
    assert made(sqlite, "database").budget is None
