"""One repeating job delivers every outbox kind that features registered a sender for."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from telegram.ext import Application

from bot.core import lifecycle
from bot.core.context import BotContext
from bot.core.outbox_dispatch import DispatchResult, Sender, dispatch, release

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 30
FIRST_SECONDS = 10  # after start-up, so the bot answers users first
BATCH = 50


def add_sender(app: Application, kind: str, sender: Sender) -> None:
    """Declare how outbox rows of `kind` are delivered."""
    app.bot_data.outbox_senders[kind] = sender


async def dispatch_now(app: Application, ids: Iterable[int] | None = None) -> list[DispatchResult]:
    """Deliver due rows now (only `ids` if given) with every registered sender."""
    return await dispatch(app.bot, app.bot_data.outbox_senders, ids=ids, stopping=_stopping(app))


def _stopping(app: Application):
    was_running = app.running
    # Application.stop() waits for this job: a shutdown must not wait for a whole batch.
    return lambda: was_running and not app.running


async def _tick(context: BotContext) -> None:
    app = context.application
    stopping = _stopping(app)
    started = time.monotonic()
    try:
        # Drain a burst (hundreds of rows due at once) in one run, batch after batch, but
        # leave before the next run is due; other instances claim batches meanwhile.
        while not stopping() and time.monotonic() - started < INTERVAL_SECONDS:
            results = await dispatch(
                app.bot, app.bot_data.outbox_senders, limit=BATCH, stopping=stopping
            )
            if len(results) < BATCH:
                break
    except Exception:
        # A database hiccup must not kill the repeating job; the next run tries again.
        log.exception("outbox dispatch failed")


async def _release(app: Application) -> None:
    released = await release()
    if released:
        log.info("outbox: handed %d claimed rows back for other instances", released)


def register(app: Application) -> None:
    """Start the repeating delivery job (rows live in the database, not in the job store)."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            _tick, interval=INTERVAL_SECONDS, first=FIRST_SECONDS, name="outbox"
        )
    lifecycle.on_stop(app, _release)
