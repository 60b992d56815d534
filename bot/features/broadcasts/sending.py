"""After the wizard: deliveries written before the first send, cancelling, reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from bot.clock import utcnow
from bot.core import audit
from bot.core.audit import PermissionDenied
from bot.core.authz import is_staff
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.broadcasts import audience as aud
from bot.features.broadcasts.audience import Audience
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery
from bot.features.broadcasts.render import version_locale
from bot.features.broadcasts.scope import scope


@dataclass(frozen=True)
class Report:
    """A broadcast in /broadcasts, with its deliveries counted by state."""

    id: int
    state: str
    audience: Audience
    created_at: datetime
    scheduled_at: datetime | None
    counts: dict[str, int]
    mine: bool


async def materialise(broadcast_id: int) -> int:
    """Write one delivery per recipient and mark the broadcast sending; idempotent.

    The state change is a conditional UPDATE, so of two concurrent calls only one writes
    deliveries; the second (or any later) call returns 0.
    """
    async with session_scope() as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is None or row.state not in ("draft", "scheduled"):
            return 0
        stored = (row.audience or {}).get("within")
        within = None if stored is None else frozenset(stored)
        audience = Audience.from_json(row.audience, row.include_groups)
        texts, sender_locale = dict(row.texts or {}), row.sender_locale
    recipients = await aud.resolve(audience, within)
    async with session_scope() as session:
        claimed = await session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.state.in_(("draft", "scheduled")))
            .values(state="sending", started_at=utcnow(), step=None)
        )
        if claimed.rowcount != 1:
            return 0
        session.add_all(
            BroadcastDelivery(
                broadcast_id=broadcast_id,
                person_id=r.person_id,
                chat_id=r.chat_id,
                locale=version_locale(texts, sender_locale, r.locale),
            )
            for r in recipients
        )
    return len(recipients)


async def set_progress(broadcast_id: int, chat_id: int, message_id: int) -> None:
    """Remember the progress message the engine keeps up to date."""
    async with session_scope() as session:
        row = await session.get(Broadcast, broadcast_id)
        row.progress_chat_id, row.progress_message_id = chat_id, message_id


async def cancel(actor: UserCtx, broadcast_id: int) -> bool:
    """Stop a draft, scheduled or sending broadcast (its sender or staff); False if over."""
    async with session_scope() as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is None:
            return False
        if row.sender_id != actor.person_id and not is_staff(actor):
            raise PermissionDenied("only the sender or staff may cancel a broadcast")
        if row.state not in ("draft", "scheduled", "sending"):
            return False
        row.state, row.step, row.finished_at = "cancelled", None, utcnow()
        # Messages not yet handed to Telegram will not be sent: say so in the report.
        await session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.broadcast_id == broadcast_id,
                BroadcastDelivery.state == "pending",
            )
            .values(state="skipped")
        )
        audit.record(session, actor.person_id, "broadcast.cancel", "broadcast", broadcast_id)
    return True


async def list_broadcasts(actor: UserCtx, limit: int = 10) -> list[Report]:
    """The actor's latest broadcasts (staff: everyone's), drafts excluded, with counts."""
    await scope(actor)
    async with session_scope() as session:
        query = select(Broadcast).where(Broadcast.state != "draft")
        if not is_staff(actor):
            query = query.where(Broadcast.sender_id == actor.person_id)
        rows = list(await session.scalars(query.order_by(Broadcast.id.desc()).limit(limit)))
        counts: dict[int, dict[str, int]] = {r.id: {} for r in rows}
        grouped = await session.execute(
            select(BroadcastDelivery.broadcast_id, BroadcastDelivery.state, func.count())
            .where(BroadcastDelivery.broadcast_id.in_(counts))
            .group_by(BroadcastDelivery.broadcast_id, BroadcastDelivery.state)
        )
        for bid, state, n in grouped:
            counts[bid][state] = int(n)
    return [
        Report(
            r.id,
            r.state,
            Audience.from_json(r.audience, r.include_groups),
            r.created_at,
            r.scheduled_at,
            counts[r.id],
            r.sender_id == actor.person_id,
        )
        for r in rows
    ]
