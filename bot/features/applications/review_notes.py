"""The staff member's optional note on a decision: pressed, then written as the next text.

The wait is kept in the audit log (not in memory), so whichever process gets the note finds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from bot.clock import utcnow
from bot.core import audit
from bot.core.authz import require_staff
from bot.core.models import AuditEntry
from bot.core.people import UserCtx
from bot.db import session_scope

NOTE_WAIT = "review.note_wait"
NOTE_CLOSED = "review.note_closed"
NOTE_MINUTES = 60


@dataclass(frozen=True)
class PendingNote:
    """A decision a staff member pressed and whose note the bot is waiting for."""

    application_id: int
    version: int
    decision: str


async def request_note(actor: UserCtx, app_id: int, version: int, decision: str) -> None:
    """Remember (in the audit log, so any process sees it) that the next text is a note."""
    require_staff(actor)
    async with session_scope() as session:
        audit.record(
            session, actor.person_id, NOTE_WAIT, "application", app_id,
            version=version, decision=decision,
        )  # fmt: skip


async def pending_note(actor: UserCtx) -> PendingNote | None:
    """The decision waiting for this staff member's note, if asked in the last hour."""
    require_staff(actor)
    since = utcnow() - timedelta(minutes=NOTE_MINUTES)
    async with session_scope() as session:
        # The latest of "asked", "closed" and "decided" tells whether a request is open.
        entry = await session.scalar(
            select(AuditEntry)
            .where(
                AuditEntry.actor_id == actor.person_id,
                AuditEntry.action.in_((NOTE_WAIT, NOTE_CLOSED, "application.decide")),
                AuditEntry.at >= since,
            )
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
    if entry is None or entry.action != NOTE_WAIT or not entry.target_id:
        return None
    details = entry.details or {}
    return PendingNote(int(entry.target_id), int(details["version"]), str(details["decision"]))


async def close_note(actor: UserCtx) -> bool:
    """Stop waiting for a note (cancelled or the decision failed); False if none was open."""
    if await pending_note(actor) is None:
        return False
    async with session_scope() as session:
        audit.record(session, actor.person_id, NOTE_CLOSED)
    return True
