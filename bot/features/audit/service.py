"""Reading the audit log for staff: pages of recent entries with names, and its export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import audit
from bot.core.authz import require_staff
from bot.core.models import AuditEntry, Person
from bot.core.names import display_name
from bot.core.outbox import OutboxMessage
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.schedule.models import Course

PAGE = 10
EXPORT_LIMIT = 5000
# The review screen keeps its "waiting for a note" state in the log; that is bookkeeping of a
# screen, not an action anyone took, so staff do not see it.
HIDDEN = ("review.note_wait", "review.note_closed")


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as staff read it: names resolved where the people are known."""

    id: int
    at: datetime
    actor: str | None  # None: the bot itself (a job) or the command line
    action: str
    target_type: str | None
    target_id: str | None
    target: str | None  # a person's name ("name · course" for an application), else None
    note: str | None
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AuditPage:
    """One page of the log, newest first."""

    rows: list[AuditRow]
    page: int
    pages: int
    total: int


def _visible():
    return AuditEntry.action.not_in(HIDDEN)


def _ids(entries: list[AuditEntry], target_type: str) -> set[int]:
    return {
        int(e.target_id)
        for e in entries
        if e.target_type == target_type and (e.target_id or "").isdigit()
    }


async def _rows(session: AsyncSession, entries: list[AuditEntry]) -> list[AuditRow]:
    person_ids = {e.actor_id for e in entries if e.actor_id}
    person_ids |= _ids(entries, "person")
    app_ids = _ids(entries, "application")
    apps: dict[int, str] = {}
    if app_ids:
        found = await session.execute(
            select(Application, Person, Course.code)
            .join(Person, Person.id == Application.person_id)
            .join(Course, Course.id == Application.course_id)
            .where(Application.id.in_(app_ids))
        )
        for app, person, code in found:
            name = (app.answers or {}).get("full_name") or display_name(person)
            apps[app.id] = f"{name} · {code}"
    # A follow-up row is named after the trainee it is for.
    outbox_ids = _ids(entries, "outbox")
    outbox_people: dict[int, int] = {}
    if outbox_ids:
        found = await session.execute(
            select(OutboxMessage.id, OutboxMessage.person_id).where(
                OutboxMessage.id.in_(outbox_ids)
            )
        )
        outbox_people = {oid: pid for oid, pid in found if pid}
        person_ids |= set(outbox_people.values())
    people = {}
    if person_ids:
        found = await session.scalars(select(Person).where(Person.id.in_(person_ids)))
        people = {p.id: display_name(p) for p in found}

    def target(e: AuditEntry) -> str | None:
        if not (e.target_id or "").isdigit():
            return None
        if e.target_type == "person":
            return people.get(int(e.target_id))
        if e.target_type == "application":
            return apps.get(int(e.target_id))
        if e.target_type == "outbox":
            return people.get(outbox_people.get(int(e.target_id), -1))
        return None

    return [
        AuditRow(
            e.id,
            e.at,
            people.get(e.actor_id) if e.actor_id else None,
            e.action,
            e.target_type,
            e.target_id,
            target(e),
            e.note,
            dict(e.details or {}),
        )
        for e in entries
    ]


async def _latest(session: AsyncSession, offset: int, limit: int) -> list[AuditRow]:
    entries = await session.scalars(
        select(AuditEntry)
        .where(_visible())
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return await _rows(session, list(entries))


async def recent(actor: UserCtx | None, page: int = 0, per_page: int = PAGE) -> AuditPage:
    """A page of recent entries, newest first (staff only; the page is clamped)."""
    require_staff(actor)
    async with session_scope() as session:
        total = int(await session.scalar(select(func.count()).where(_visible())) or 0)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        rows = await _latest(session, page * per_page, per_page)
    return AuditPage(rows, page, pages, total)


async def latest(limit: int) -> list[AuditRow]:
    """The newest `limit` entries, for the command line (its operator holds the database)."""
    async with session_scope() as session:
        return await _latest(session, 0, max(0, limit))


async def for_export(actor: UserCtx | None, limit: int = EXPORT_LIMIT) -> list[AuditRow]:
    """The newest entries for a file, recording that a staff member exported the log."""
    actor = require_staff(actor)
    return await _exported(actor.person_id, limit, "bot")


async def for_export_cli(limit: int) -> list[AuditRow]:
    """The same for `python -m bot audit --out FILE`."""
    return await _exported(None, limit, "cli")


async def _exported(actor_id: int | None, limit: int, via: str) -> list[AuditRow]:
    async with session_scope() as session:
        rows = await _latest(session, 0, max(0, limit))
        # The log names people: taking it away is itself an export of personal data.
        audit.record(session, actor_id, "audit.export", rows=len(rows), via=via)
    return rows
