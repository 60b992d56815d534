"""One follow-up pass: schedule, then deliver everything due (the job and `python -m bot tick`)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from telegram import Bot
from telegram.ext import Application

from bot import clock
from bot.clock import utcnow
from bot.config import Settings
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


def _print(result: TickResult, as_json: bool) -> None:
    if as_json:
        for line in result.lines:
            print(json.dumps(line.as_json(), ensure_ascii=False))
        return
    print(f"scheduled {result.scheduled} new follow-up(s); handled {len(result.lines)} row(s)")
    for line in result.lines:
        print(f"#{line.outbox_id} {line.kind} → {line.chat_id}: {line.state} (due {line.due_at})")


async def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """`python -m bot tick`: one pass against Telegram, or offline against the chat double."""
    from bot.app import build_application
    from bot.dev.chat import render, state_paths
    from bot.dev.harness import conversation

    now = clock.parse_instant(args.now, settings.timezone) if args.now else utcnow()
    # Rendering and after-send hooks read the clock too: all of them see the same instant.
    clock.freeze(now)
    if settings.telegram_bot_token is not None and not args.offline:
        app = build_application(settings, set_menus=False)
        await app.initialize()
        try:
            result = await run_tick(app.bot, app.bot_data.outbox_senders, now)
        finally:
            await app.shutdown()
        _print(result, args.json)
        return 0
    state, files = state_paths(settings)
    async with conversation(settings, state=state, files=files) as conv:
        mark = conv.double.seq
        result = await run_tick(conv.app.bot, conv.app.bot_data.outbox_senders, now)
        events = conv.double.events_since(mark)
    _print(result, args.json)
    if not args.json:
        for event in events:
            print(render(event, as_json=False))
    if any(line.state == "failed" for line in result.lines):
        print("some follow-ups failed for good; see the outbox rows", file=sys.stderr)
    return 0
