"""Delivering outbox rows: claim due rows, send each through its kind's sender, mark the outcome.

Generic on purpose: features (handoff, follow-ups) contribute one `Sender` per outbox kind that
renders the row in the recipient's language at send time and returns the sent message id.
Every step is re-runnable: a row is claimed for a short lease, so a crash between sending and
marking leaves it reclaimable after `CLAIM_SECONDS` (at-least-once delivery). A clean stop
hands back the rows this process claimed but has not started sending (`release`), so another
instance takes them at once instead of after the lease.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import Forbidden, RetryAfter

from bot.clock import utcnow
from bot.core.models import Person
from bot.core.outbox import OutboxMessage
from bot.core.ratelimit import retry_seconds
from bot.db import session_scope

log = logging.getLogger(__name__)

CLAIM_SECONDS = 60
MAX_ATTEMPTS = 8
BACKOFF_BASE = 30
BACKOFF_MAX = 3600
WORKER = f"{socket.gethostname()}:{os.getpid()}"[:64]
_IN_FLIGHT: set[int] = set()  # rows of this process being sent right now (never released)


@dataclass(frozen=True)
class OutboxItem:
    """A claimed outbox row, detached from its session, as senders see it."""

    id: int
    kind: str
    chat_id: int
    person_id: int | None
    payload: dict
    attempts: int


@dataclass(frozen=True)
class DispatchResult:
    """What happened to one claimed row: its new state, the sent message id or the error."""

    outbox_id: int
    kind: str
    state: str
    telegram_message_id: int | None = None
    error: str | None = None


class Skip(Exception):
    """Raised by a sender when the row has nothing left to send (e.g. its subject was deleted)."""


SendFn = Callable[[Bot, OutboxItem], Awaitable[int]]
AfterSentFn = Callable[[AsyncSession, OutboxItem, int], Awaitable[None]]


@dataclass(frozen=True)
class Sender:
    """How one outbox kind is sent; `after_sent` runs in the transaction that marks it sent."""

    send: SendFn
    after_sent: AfterSentFn | None = None


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` earlier failures: 30 s·2^n, at most 1 h."""
    return timedelta(seconds=min(BACKOFF_BASE * 2 ** min(attempts, 20), BACKOFF_MAX))


async def claim(
    kinds: Iterable[str], now: datetime, limit: int, ids: Iterable[int] | None = None
) -> list[OutboxItem]:
    """Claim due pending rows (and rows whose sending lease expired) for this worker."""
    kinds = tuple(kinds)
    due = or_(
        and_(OutboxMessage.state == "pending", OutboxMessage.due_at <= now),
        # A worker that died between claiming and marking leaves "sending" rows behind.
        and_(OutboxMessage.state == "sending", OutboxMessage.claimed_until < now),
    )
    query = select(OutboxMessage.id).where(OutboxMessage.kind.in_(kinds), due)
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(tuple(ids)))
    query = query.order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
    claimed: list[OutboxItem] = []
    async with session_scope() as session:
        # PostgreSQL: concurrent workers skip each other's rows; SQLite ignores the clause and
        # serialises writers, and the conditional UPDATE below keeps a row from being claimed
        # twice either way.
        candidates = list(await session.scalars(query.with_for_update(skip_locked=True)))
        for row_id in candidates:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, due)
                .values(
                    state="sending",
                    claimed_by=WORKER,
                    claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                continue
            row = await session.get(OutboxMessage, row_id, populate_existing=True)
            assert row is not None
            claimed.append(
                OutboxItem(
                    row.id,
                    row.kind,
                    row.chat_id,
                    row.person_id,
                    dict(row.payload or {}),
                    row.attempts,
                )
            )
    return claimed


async def _mark(
    item: OutboxItem,
    sender: Sender,
    now: datetime,
    *,
    message_id: int | None = None,
    exc: BaseException | None = None,
) -> DispatchResult:
    """Record the outcome of one send in its own transaction."""
    async with session_scope() as session:
        row = await session.get(OutboxMessage, item.id, with_for_update=True)
        if row is None or row.state != "sending" or row.claimed_by != WORKER:
            # Our lease ran out and another worker took the row over: its outcome wins.
            return DispatchResult(item.id, item.kind, row.state if row else "gone")
        row.claimed_until = None
        error = None if exc is None else f"{type(exc).__name__}: {exc}"[:2000]
        row.last_error = error
        if exc is None:
            row.state, row.sent_at, row.telegram_message_id = "sent", now, message_id
            if sender.after_sent is not None and message_id is not None:
                await sender.after_sent(session, item, message_id)
        elif isinstance(exc, Skip):
            row.state = "cancelled"
        elif isinstance(exc, Forbidden) and item.person_id is not None:
            # The person blocked the bot: retrying cannot help until they write again.
            row.state = "blocked"
            person = await session.get(Person, item.person_id)
            if person is not None:
                person.blocked_at = now
        elif isinstance(exc, RetryAfter):
            row.state, row.due_at = "pending", now + timedelta(seconds=retry_seconds(exc))
        else:
            # Network trouble, 5xx, or a group that removed the bot (Forbidden without a
            # person): all may heal, so back off and try again, up to MAX_ATTEMPTS.
            row.attempts += 1
            row.state = "failed" if row.attempts >= MAX_ATTEMPTS else "pending"
            row.due_at = now + backoff(row.attempts - 1)
        return DispatchResult(item.id, item.kind, row.state, row.telegram_message_id, error)


async def dispatch(
    bot: Bot,
    senders: Mapping[str, Sender],
    *,
    now: datetime | None = None,
    limit: int = 50,
    ids: Iterable[int] | None = None,
    stopping: Callable[[], bool] | None = None,
) -> list[DispatchResult]:
    """Claim due rows of the given kinds, send each, mark sent/pending/blocked/failed.

    Once `stopping()` turns true the rows not yet started are handed back, not sent.
    """
    now = now or utcnow()
    results = []
    items = await claim(senders.keys(), now, limit, ids)
    for index, item in enumerate(items):
        if stopping is not None and stopping():
            await release([i.id for i in items[index:]])
            break
        sender = senders[item.kind]
        _IN_FLIGHT.add(item.id)
        try:
            message_id = await sender.send(bot, item)
        except Exception as exc:  # every failure is recorded on the row, none is lost
            if not isinstance(exc, Skip):
                log.warning("outbox %s (%s) not sent: %s", item.id, item.kind, exc)
            results.append(await _mark(item, sender, now, exc=exc))
        else:
            results.append(await _mark(item, sender, now, message_id=message_id))
        finally:
            _IN_FLIGHT.discard(item.id)
    return results


async def release(ids: Iterable[int] | None = None) -> int:
    """Hand rows this process claimed back as pending (all of them if `ids` is None).

    Rows being sent right now are kept: their outcome is about to be written.
    """
    query = update(OutboxMessage).where(
        OutboxMessage.state == "sending", OutboxMessage.claimed_by == WORKER
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(tuple(ids)))
    if _IN_FLIGHT:
        query = query.where(OutboxMessage.id.not_in(tuple(_IN_FLIGHT)))
    async with session_scope() as session:
        result = await session.execute(
            query.values(state="pending", claimed_by=None, claimed_until=None).execution_options(
                synchronize_session=False
            )
        )
    return result.rowcount or 0
