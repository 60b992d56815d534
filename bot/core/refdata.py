"""Reference data (courses, cities, FAQ…) cached in the process, fresh after any write.

Reference data is read on almost every update and changes a few times a year, so readers
keep one copy per process. A counter in the database (`reference_version`) goes up in the
same transaction as any write to a watched table, whichever process makes it (the bot, an
import from the command line, a second instance); the per-update context reads the counter
in its one statement (`bot/core/people.py`), so a copy older than it is reloaded. A write
committed in this process drops the copies at once.

Features declare their tables with `watch(Model, ...)` and read through `cached(key, load)`.
"""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import DDL, event, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, get_engine, session_scope

T = TypeVar("T")
_ROW = 1


class RefVersion(Base):
    """The one-row counter of writes to reference data."""

    __tablename__ = "reference_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


# A schema made without the migrations (the tests' templates) gets the row too.
event.listen(
    RefVersion.__table__,
    "after_create",
    DDL(f"INSERT INTO reference_version (id, n) VALUES ({_ROW}, 0)"),
)

_watched: set[type] = set()
_tables: set[str] = set()
# key -> (engine, db version, local generation, value); a new engine (a test's own database)
# never sees another's copies.
_cache: dict[str, tuple[object, int, int, Any]] = {}
_generation = 0  # commits in this process that wrote reference data
# The counter as the current update's context read it (None outside an update).
_known: ContextVar[int | None] = ContextVar("refdata_known", default=None)


def watch(*models: type) -> None:
    """Declare tables whose rows are reference data: a write to them refreshes the caches."""
    for model in models:
        _watched.add(model)
        _tables.add(model.__table__.name)


def version_column():
    """The counter as a scalar subquery, for the per-update context statement."""
    return select(RefVersion.n).where(RefVersion.id == _ROW).scalar_subquery()


def seen(version: int | None) -> None:
    """Record the counter the current update's context read (None: not read)."""
    _known.set(version)


def clear() -> None:
    """Forget every copy (a new database, or the end of a test)."""
    global _generation
    _cache.clear()
    _generation += 1


async def current(session: AsyncSession) -> int:
    """The counter now."""
    return (await session.scalar(select(RefVersion.n).where(RefVersion.id == _ROW))) or 0


async def cached(key: str, load: Callable[[], Awaitable[T]]) -> T:
    """The value under `key`, loaded again when the counter has moved past its copy."""
    engine, known = get_engine(), _known.get()
    hit = _cache.get(key)
    if hit is not None and (hit[0], hit[2]) != (engine, _generation):
        hit = None
    if hit is not None and known is not None and hit[1] >= known:
        return hit[3]
    generation = _generation
    async with session_scope() as session:
        version = await current(session)
    if hit is not None and hit[1] >= version:
        return hit[3]
    # Read after the counter: a write in between makes the copy look older than it is, so
    # the next update reloads it; never the other way round.
    value = await load()
    _cache[key] = (engine, version, generation, value)
    # Copies are large (the question answering's engine is ~200 000 objects) and live until
    # the next change: take them out of the cyclic collector's full passes, which otherwise
    # scan them every few hundred updates (tens of milliseconds each). Reference counting
    # still frees a replaced copy.
    gc.freeze()
    return value


# ---------------------------------------------------------------- keeping the counter


def _bump(session: Session) -> None:
    if session.info.get("refdata_bumped"):
        return
    session.info["refdata_bumped"] = True
    conn = session.connection()
    done = conn.execute(
        update(RefVersion.__table__).where(RefVersion.id == _ROW).values(n=RefVersion.n + 1)
    )
    if not done.rowcount:  # a database emptied without its migrations' row
        conn.execute(insert(RefVersion.__table__).values(id=_ROW, n=1))


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _context: object, _instances: object) -> None:
    added = any(type(obj) in _watched for obj in (*session.new, *session.deleted))
    if added or any(type(obj) in _watched and session.is_modified(obj) for obj in session.dirty):
        _bump(session)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: Any) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _tables:
        _bump(state.session)


@event.listens_for(Session, "after_commit")
def _on_commit(session: Session) -> None:
    global _generation
    if session.info.pop("refdata_bumped", False):
        _cache.clear()
        _generation += 1


@event.listens_for(Session, "after_soft_rollback")
def _on_rollback(session: Session, _previous: object) -> None:
    session.info.pop("refdata_bumped", None)
