"""Running the Application against Telegram (long polling here, webhooks in bot.web.server),
with PTB's whole lifecycle and a clean shutdown on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import Update
from telegram.ext import Application

from bot import db
from bot.app import build_application
from bot.config import Settings

log = logging.getLogger(__name__)


def stop_on_signals(stop: asyncio.Event) -> None:
    """Set `stop` on SIGINT or SIGTERM (where the loop supports signal handlers)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)


@asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:
    """Initialise and start `app` with its post_init; on exit stop it, letting queued updates
    finish, then run post_stop (features release claimed rows) and shut down.

    PTB calls the post_* hooks only from its own run_polling/run_webhook, which own the event
    loop and the signals; we drive the Application ourselves, so we call them here.
    """
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        try:
            yield app
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()  # processes what is already in the update queue first
            if app.post_stop:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


async def run_polling(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Poll Telegram until SIGINT/SIGTERM (or `stop` is set), then finish in-flight updates."""
    db.init_db(settings.db_url)
    app = build_application(settings)
    if stop is None:
        stop = asyncio.Event()
        stop_on_signals(stop)
    async with running(app):
        assert app.updater is not None
        # start_polling deletes a webhook left by webhook mode (getUpdates would get 409).
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        log.info("liaison-bot running as @%s; press Ctrl+C to stop", app.bot.username)
        await stop.wait()
        log.info("stopping: finishing in-flight updates")
