"""Callbacks features run when the Application stops (release claims, flush state)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram.ext import Application

log = logging.getLogger(__name__)
StopCallback = Callable[[Application], Awaitable[None]]


def on_stop(app: Application, callback: StopCallback) -> None:
    """Run `callback(app)` when the Application stops (polling, webhook or tests)."""
    app.bot_data.on_stop.append(callback)


async def run_stop_callbacks(app: Application) -> None:
    """PTB's post_stop hook: run every registered callback; one failing does not stop others."""
    for callback in app.bot_data.on_stop:
        try:
            await callback(app)
        except Exception:
            log.exception("stop callback %r failed", callback)
