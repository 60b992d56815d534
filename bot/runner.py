"""Running the Application against Telegram with long polling, with a clean shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram import Update

from bot import db
from bot.app import build_application
from bot.config import Settings

log = logging.getLogger(__name__)


async def run_polling(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Poll Telegram until SIGINT/SIGTERM (or `stop` is set), then finish in-flight updates."""
    db.init_db(settings.db_url)
    app = build_application(settings)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        me = app.bot.username
        log.info("liaison-bot running as @%s; press Ctrl+C to stop", me)
        await stop.wait()
        log.info("stopping: finishing in-flight updates")
        await app.updater.stop()
        await app.stop()
