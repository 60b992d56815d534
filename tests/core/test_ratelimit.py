"""The shared flood-control budget against the Bot API double with Telegram's limits on."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram.error import RetryAfter

from bot.app import FAKE_TOKEN
from bot.core.ratelimit import FloodControl, is_sending
from bot.dev.botapi import BotApiDouble
from bot.dev.harness import conversation


@pytest.fixture
async def limited(settings, tmp_path):
    """The real Application talking to a double that answers 429 above Telegram's limits."""
    double = BotApiDouble(FAKE_TOKEN, files_dir=tmp_path / "files", enforce_limits=True)
    await double.start()
    try:
        async with conversation(settings, double=double) as conv:
            yield conv
    finally:
        await double.stop()


async def test_ninety_chats_stay_under_thirty_per_second(limited):
    """90 sends at once to distinct chats: spread over ≥ 2.8 s, not one 429."""
    chats = [5000 + i for i in range(90)]
    for chat in chats:
        limited.double.add_private_chat(chat)
    started = time.monotonic()
    await asyncio.gather(*(limited.app.bot.send_message(c, "hello") for c in chats))
    elapsed = time.monotonic() - started
    assert limited.double.counters["429"] == 0
    assert limited.double.counters["sendMessage"] == 90
    assert elapsed >= 2.8


async def test_one_private_chat_gets_a_short_burst_then_one_per_second(limited):
    """Five messages to one person: three at once, then about one a second, no 429."""
    limited.double.add_private_chat(5100)
    started = time.monotonic()
    await asyncio.gather(*(limited.app.bot.send_message(5100, str(i)) for i in range(5)))
    assert time.monotonic() - started >= 1.9
    assert limited.double.counters["429"] == 0


async def test_retry_after_pauses_every_send_and_retries(limited):
    """A 429 on one chat holds the other chats too, then the request goes out once."""
    bot, double = limited.app.bot, limited.double
    for chat in (5200, 5201):
        double.add_private_chat(chat)
    double.inject_fault(chat_id=5200, status=429, retry_after=1)
    started = time.monotonic()
    first = asyncio.create_task(bot.send_message(5200, "first"))
    await asyncio.sleep(0.2)  # the 429 has been answered; the pause is on
    await bot.send_message(5201, "second")
    second_done = time.monotonic() - started
    await first
    assert second_done >= 1.0  # held by another chat's 429
    assert double.counters["429"] == 1 and double.counters["sendMessage"] == 3
    assert sorted(e.chat_id for e in double.sent) == [5200, 5201]
    assert bot.rate_limiter.stats.retry_afters == 1


async def test_gives_up_after_its_retries(limited):
    """Past its retries the caller sees RetryAfter (the outbox then reschedules the row)."""
    limited.double.add_private_chat(5300)
    limited.double.inject_fault(chat_id=5300, status=429, retry_after=1, count=2)
    with pytest.raises(RetryAfter):
        await limited.app.bot.send_message(5300, "x", rate_limit_args=1)
    assert limited.double.counters["429"] == 2


async def test_methods_that_send_nothing_are_not_held(limited):
    """During a pause getMe still answers at once; sendChatAction is not a send."""
    limiter = limited.app.bot.rate_limiter
    limiter.pause(5)
    started = time.monotonic()
    await limited.app.bot.get_me()
    assert time.monotonic() - started < 1.0
    assert not is_sending("sendChatAction") and not is_sending("answerCallbackQuery")
    assert is_sending("sendPhoto") and is_sending("editMessageText")


async def test_group_window():
    """At most N messages per group in any window (a 1 s window here, 60 s in production)."""
    limiter = FloodControl(group_per_minute=2, group_window=1.0)
    stamps: list[float] = []

    async def call() -> bool:
        stamps.append(time.monotonic())
        return True

    started = time.monotonic()
    for _ in range(4):
        await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": -42}, None)
    assert stamps[2] - started >= 1.0 and stamps[1] - started < 0.5
