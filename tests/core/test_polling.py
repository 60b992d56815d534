"""`run` polls the Bot API (here the double) with getUpdates and answers, then stops cleanly."""

from __future__ import annotations

import asyncio

from pydantic import SecretStr

from bot.app import FAKE_TOKEN
from bot.dev.botapi import BotApiDouble
from bot.runner import run_polling


async def test_long_polling_answers_and_stops(settings, tmp_path):
    """An update queued at the 'Telegram' side is fetched, answered in Spanish, and the
    runner shuts down when asked, without losing the reply."""
    async with BotApiDouble(FAKE_TOKEN, files_dir=tmp_path / "f") as double:
        double.add_private_chat(4242, "Lucía", language_code="es")
        polling = settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(FAKE_TOKEN),
                "telegram_base_url": double.base_url,
            }
        )
        stop = asyncio.Event()
        task = asyncio.create_task(run_polling(polling, stop))
        double.push_update(double.make_message_update(4242, "/start"))
        for _ in range(200):
            if any(e.chat_id == 4242 for e in double.sent):
                break
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, timeout=20)
    [reply] = [e for e in double.sent if e.chat_id == 4242]
    assert reply.text.startswith("¡Hola, Lucía!")
    assert double.counters["getUpdates"] >= 1
