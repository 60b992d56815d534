"""Writing the audit log: every privileged action, in the transaction that performs it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import AuditEntry


def record(
    session: AsyncSession,
    actor_id: int | None,
    action: str,
    target_type: str | None = None,
    target_id: object = None,
    note: str | None = None,
    **details: object,
) -> AuditEntry:
    """Add an audit entry to the caller's transaction (it commits or rolls back with it)."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details={k: v for k, v in details.items() if v is not None},
        note=note,
    )
    session.add(entry)
    return entry


class PermissionDenied(Exception):
    """A person tried an action their roles do not allow (checked in services, not menus)."""
