"""One repeating job delivers every outbox kind that features registered a sender for."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram.ext import Application, ContextTypes

from bot.core.outbox_dispatch import DispatchResult, Sender, dispatch

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 30


def add_sender(app: Application, kind: str, sender: Sender) -> None:
    """Declare how outbox rows of `kind` are delivered."""
    app.bot_data.setdefault("outbox_senders", {})[kind] = sender


async def dispatch_now(app: Application, ids: Iterable[int] | None = None) -> list[DispatchResult]:
    """Deliver due rows now (only `ids` if given) with every registered sender."""
    return await dispatch(app.bot, app.bot_data.get("outbox_senders", {}), ids=ids)


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        await dispatch_now(context.application)
    except Exception:
        # A database hiccup must not kill the repeating job; the next run tries again.
        log.exception("outbox dispatch failed")


def register(app: Application) -> None:
    """Start the repeating delivery job (rows live in the database, not in the job store)."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(_tick, interval=INTERVAL_SECONDS, first=10, name="outbox")
