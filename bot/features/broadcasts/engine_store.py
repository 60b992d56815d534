"""The broadcast engine's database side: claim deliveries, record outcomes, count, finish.

Each function is one transaction. Deliveries are claimed like outbox rows
(bot.core.outbox_dispatch.claim): candidates are selected with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, then taken with a conditional UPDATE under a lease, so two runners (or a runner
and its restarted self) never take the same row at once. A row left in "sending" by a runner
that died is taken again once its lease has expired; it may already have been delivered, so
it is counted as a possible duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select, update

from bot.clock import utcnow
from bot.core.models import Person
from bot.core.outbox_dispatch import WORKER
from bot.db import session_scope
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery

D = BroadcastDelivery
LEASE_SECONDS = 60
OPEN_STATES = ("pending", "sending")


@dataclass(frozen=True)
class Plan:
    """What every delivery of one broadcast needs, read once per run."""

    id: int
    state: str
    texts: dict
    sender_locale: str
    attachment: dict
    paid: bool
    progress_chat_id: int | None
    progress_message_id: int | None
    sender_chat_id: int | None


@dataclass(frozen=True)
class Job:
    """A claimed delivery."""

    id: int
    chat_id: int
    person_id: int | None
    locale: str
    attempts: int


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed delivery, written back in bulk by `record`."""

    delivery_id: int
    person_id: int | None
    state: str  # sent | blocked | failed | pending (retry at due_at)
    attempts: int
    message_id: int | None = None
    error: str | None = None
    due_at: datetime | None = None


def token(broadcast_id: int, run: int) -> str:
    """The claimed_by value of one run: its rows are exactly those it still holds."""
    return f"{WORKER[:44]}/b{broadcast_id}/r{run}"


async def load(broadcast_id: int) -> Plan | None:
    """The broadcast as the runner needs it, or None if it is gone."""
    async with session_scope() as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is None:
            return None
        sender = await session.get(Person, row.sender_id)
        return Plan(
            row.id,
            row.state,
            dict(row.texts or {}),
            row.sender_locale or "en",
            dict(row.attachment or {}),
            bool(row.paid),
            row.progress_chat_id,
            row.progress_message_id,
            sender.telegram_id if sender else None,
        )


async def state_of(broadcast_id: int) -> str | None:
    """The broadcast's state now (a staff member may have cancelled it meanwhile)."""
    async with session_scope() as session:
        return await session.scalar(select(Broadcast.state).where(Broadcast.id == broadcast_id))


async def claim(broadcast_id: int, owner: str, now: datetime, limit: int) -> tuple[list[Job], int]:
    """Claim up to `limit` due deliveries; returns them and how many were reclaimed."""
    due = or_(
        and_(D.state == "pending", D.due_at <= now),
        # A runner that died between claiming and recording leaves "sending" rows behind.
        and_(D.state == "sending", D.claimed_until < now),
    )
    async with session_scope() as session:
        # People who blocked the bot since the audience was resolved are not tried again.
        blocked = select(Person.id).where(Person.blocked_at.is_not(None))
        await session.execute(
            update(D)
            .where(D.broadcast_id == broadcast_id, D.state == "pending", D.person_id.in_(blocked))
            .values(state="skipped")
            .execution_options(synchronize_session=False)
        )
        query = select(D.id, D.state).where(D.broadcast_id == broadcast_id, due)
        query = query.order_by(D.id).limit(limit).with_for_update(skip_locked=True)
        candidates = {row.id: row.state for row in await session.execute(query)}
        if not candidates:
            return [], 0
        # Conditional, so a row another runner took between SELECT and UPDATE stays theirs
        # (SQLite ignores SKIP LOCKED; this condition is what keeps claims exclusive there).
        await session.execute(
            update(D)
            .where(D.id.in_(candidates), due)
            .values(
                state="sending",
                claimed_by=owner,
                claimed_until=now + timedelta(seconds=LEASE_SECONDS),
            )
            .execution_options(synchronize_session=False)
        )
        rows = await session.execute(
            select(D.id, D.chat_id, D.person_id, D.locale, D.attempts)
            .where(D.id.in_(candidates), D.claimed_by == owner, D.state == "sending")
            .order_by(D.id)
        )
        jobs = [Job(r.id, r.chat_id, r.person_id, r.locale or "en", r.attempts) for r in rows]
    reclaimed = sum(1 for job in jobs if candidates[job.id] == "sending")
    return jobs, reclaimed


async def record(owner: str, outcomes: list[Outcome], now: datetime) -> None:
    """Write a batch of outcomes in one transaction (rows another runner took are left)."""
    if not outcomes:
        return
    table = D.__table__
    stmt = (
        update(table)
        .where(
            table.c.id == bindparam("o_id"),
            table.c.claimed_by == owner,
            table.c.state == "sending",
        )
        .values(
            state=bindparam("o_state"),
            attempts=bindparam("o_attempts"),
            telegram_message_id=bindparam("o_message"),
            last_error=bindparam("o_error"),
            due_at=bindparam("o_due", type_=table.c.due_at.type),
            sent_at=bindparam("o_sent", type_=table.c.sent_at.type),
            claimed_until=None,
        )
    )
    params = [
        {
            "o_id": o.delivery_id,
            "o_state": o.state,
            "o_attempts": o.attempts,
            "o_message": o.message_id,
            "o_error": o.error,
            "o_due": o.due_at or now,
            "o_sent": now if o.state == "sent" else None,
        }
        for o in outcomes
    ]
    blocked = [o.person_id for o in outcomes if o.state == "blocked" and o.person_id]
    async with session_scope() as session:
        conn = await session.connection()
        await conn.execute(stmt, params)
        if blocked:
            # 403: the person blocked the bot; later broadcasts and follow-ups skip them.
            await session.execute(
                update(Person)
                .where(Person.id.in_(blocked), Person.blocked_at.is_(None))
                .values(blocked_at=now)
                .execution_options(synchronize_session=False)
            )


async def release(owner: str, ids: list[int]) -> None:
    """Hand claimed but unsent deliveries back (cancel or shutdown): pending, no lease."""
    if not ids:
        return
    async with session_scope() as session:
        await session.execute(
            update(D)
            .where(D.id.in_(ids), D.claimed_by == owner, D.state == "sending")
            .values(state="pending", claimed_by=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )


async def counts(broadcast_id: int) -> dict[str, int]:
    """Deliveries by state, with "remaining" = pending + sending."""
    async with session_scope() as session:
        rows = await session.execute(
            select(D.state, func.count()).where(D.broadcast_id == broadcast_id).group_by(D.state)
        )
        found = {state: int(n) for state, n in rows}
    found["remaining"] = sum(found.get(s, 0) for s in OPEN_STATES)
    return found


async def next_wakeup(broadcast_id: int) -> datetime | None:
    """When something may become claimable again; None when no delivery is open."""
    async with session_scope() as session:
        due = await session.scalar(
            select(func.min(D.due_at)).where(D.broadcast_id == broadcast_id, D.state == "pending")
        )
        lease = await session.scalar(
            select(func.min(D.claimed_until)).where(
                D.broadcast_id == broadcast_id, D.state == "sending"
            )
        )
        if due is None and lease is None:
            # A "sending" row without a lease should not exist; treat it as open to be safe.
            stray = await session.scalar(
                select(func.count()).where(D.broadcast_id == broadcast_id, D.state == "sending")
            )
            return utcnow() if stray else None
    return min(t for t in (due, lease) if t is not None)


async def finish(broadcast_id: int, now: datetime) -> str | None:
    """Mark the broadcast done (unless cancelled meanwhile); returns its final state."""
    async with session_scope() as session:
        await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.state == "sending")
            .values(state="done", finished_at=now)
        )
        await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.finished_at.is_(None))
            .where(Broadcast.state.in_(("done", "cancelled")))
            .values(finished_at=now)
        )
        return await session.scalar(select(Broadcast.state).where(Broadcast.id == broadcast_id))


async def due_scheduled(now: datetime) -> list[int]:
    """Scheduled broadcasts whose time has come."""
    async with session_scope() as session:
        query = select(Broadcast.id).where(
            Broadcast.state == "scheduled", Broadcast.scheduled_at <= now
        )
        return list(await session.scalars(query.order_by(Broadcast.id)))


async def sending_ids() -> list[int]:
    """Broadcasts in state "sending" (after a restart, some have no runner)."""
    async with session_scope() as session:
        query = select(Broadcast.id).where(Broadcast.state == "sending").order_by(Broadcast.id)
        return list(await session.scalars(query))


async def set_progress(broadcast_id: int, chat_id: int, message_id: int) -> None:
    """Remember the progress message of a broadcast the engine started by itself."""
    async with session_scope() as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is not None:
            row.progress_chat_id, row.progress_message_id = chat_id, message_id
