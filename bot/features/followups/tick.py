"""One follow-up pass: schedule, then deliver everything due (the job and `python -m bot tick`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from telegram import Bot
from telegram.ext import Application

from bot.clock import utcnow
from bot.core.context import BotContext
from bot.core.outbox import OutboxMessage
from bot.core.outbox_dispatch import DispatchResult, Sender, dispatch
from bot.db import session_scope
from bot.features.followups.schedule import schedule_followups

log = logging.getLogger(__name__)
SCHEDULE_INTERVAL_SECONDS = 600
BATCH = 100


@dataclass(frozen=True)
class TickLine:
    """One outbox row handled by a pass, as `tick` prints it."""

    outbox_id: int
    kind: str
    chat_id: int
    person_id: int | None
    state: str
    due_at: str

    def as_json(self) -> dict:
        """The JSON object of one `tick --json` line."""
        return self.__dict__.copy()


@dataclass(frozen=True)
class TickResult:
    """What a pass did: rows newly scheduled, and every row it tried to deliver."""

    scheduled: int
    lines: list[TickLine]


async def _describe(results: list[DispatchResult]) -> list[TickLine]:
    ids = [r.outbox_id for r in results]
    async with session_scope() as session:
        rows = {
            r.id: r
            for r in await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)))
        }
    lines = []
    for result in results:
        row = rows.get(result.outbox_id)
        if row is None:
            continue
        lines.append(
            TickLine(
                row.id, row.kind, row.chat_id, row.person_id, result.state, row.due_at.isoformat()
            )
        )
    return lines


async def run_tick(bot: Bot, senders: Mapping[str, Sender], now: datetime) -> TickResult:
    """Schedule follow-ups at `now`, then deliver every due row, batch after batch."""
    scheduled = await schedule_followups(now)
    results: list[DispatchResult] = []
    while True:
        # Rows that fail are pushed past `now` (backoff, Retry-After), so this loop ends.
        batch = await dispatch(bot, senders, now=now, limit=BATCH)
        results += batch
        if len(batch) < BATCH:
            break
    return TickResult(scheduled, await _describe(results))


async def schedule_job(context: BotContext) -> None:
    """Repeating job: create whatever follow-ups are due to exist (the outbox job sends them)."""
    try:
        await schedule_followups(utcnow())
    except Exception:
        # A database hiccup must not kill the repeating job; the next run tries again.
        log.exception("follow-up scheduling failed")


def register_job(app: Application) -> None:
    """Start the repeating scheduling job (idempotent work, so one missed run costs nothing)."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            schedule_job, interval=SCHEDULE_INTERVAL_SECONDS, first=20, name="followups"
        )
