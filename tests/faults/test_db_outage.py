"""PostgreSQL gone under load: users hear "temporarily unavailable", the bot recovers alone.

The database is cut through a TCP proxy (tests/faults/proxy.py) rather than by stopping the
machine's PostgreSQL, which other tests use at the same time; for the bot it is the same:
its connections die and new ones are refused until the proxy lets them through again.
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy.engine import make_url

from bot.core.outbox import OutboxMessage
from tests.faults.conftest import needs_pg
from tests.faults.helpers import Worker, people, probes, received, states, wait_for
from tests.faults.proxy import Proxy

UNAVAILABLE = "temporarily unavailable"
FOLLOW_UPS = 150


def last_text(double, chat: int) -> str:
    """The bot's last message in `chat` ("" if none)."""
    message = double.last_message(chat, from_bot=True) or {}
    return message.get("text") or ""


async def ask(double, user: int, text: str = "/start") -> None:
    """The user writes to the bot (picked up by the worker's long polling)."""
    if user not in double.state.users:
        double.add_private_chat(user, language_code="en")
    double.push_update(double.make_message_update(user, text))


@needs_pg
async def test_database_cut_under_load_then_back(database, double, tmp_path):
    """Cut for ~6 s mid-burst: clear answer, no crash, recovery, every follow-up delivered."""
    url = make_url(database)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    via_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    follow = await people(double, 8_000_000, FOLLOW_UPS)
    await probes(follow, "follow-up")
    worker = Worker(double, via_proxy, tmp_path / "bot.log", FAULT_LEASE="5")
    await worker.start()
    try:
        await wait_for(lambda: _sent_some(double), 20, step=0.05)
        proxy.cut()
        cut_at = time.monotonic()
        await ask(double, 8101)
        assert await wait_for(lambda: _said(double, 8101, UNAVAILABLE), 15)
        answered_in = time.monotonic() - cut_at
        await asyncio.sleep(max(0.0, 6 - (time.monotonic() - cut_at)))
        assert worker.alive()
        proxy.restore()
        back_at = time.monotonic()
        user = 8200
        while True:  # a new user every second until one gets a real answer
            await ask(double, user)
            if await wait_for(lambda u=user: _answered(double, u), 1.0, step=0.05):
                break
            assert time.monotonic() - back_at < 30, "the bot did not recover"
            user += 1
        recovered_in = time.monotonic() - back_at
        assert await wait_for(_all_sent, 40), await states(OutboxMessage)
        drained_in = time.monotonic() - back_at
    finally:
        code = await worker.stop()
        await proxy.stop()
    per_chat = received(double, "follow-up")
    lost = sum(1 for chat in follow if per_chat[chat] == 0)
    duplicates = sum(n - 1 for n in per_chat.values() if n > 1)
    log = (tmp_path / "bot.log").read_text()
    print(
        f"\ndatabase cut 6 s: 'unavailable' answered {answered_in:.1f} s after the cut; "
        f"recovered {recovered_in:.1f} s after restore; outbox drained {drained_in:.1f} s "
        f"after restore; lost {lost}; duplicates {duplicates}; 429s {double.counters['429']}"
    )
    assert code == 0, "the bot did not stop cleanly"
    assert lost == 0 and duplicates <= 1  # only a row sent just as the cut hit its mark
    assert "send budget database unavailable" in log
    assert "sharing resumed" in log


async def _sent_some(double) -> bool:
    return sum(received(double, "follow-up").values()) >= 20


async def _said(double, chat: int, fragment: str) -> bool:
    return fragment in last_text(double, chat)


async def _answered(double, chat: int) -> bool:
    text = last_text(double, chat)
    return bool(text) and UNAVAILABLE not in text


async def _all_sent() -> bool:
    return (await states(OutboxMessage))["sent"] == FOLLOW_UPS
