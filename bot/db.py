"""Database engine, declarative base and the transaction scope services use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator, event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both SQLite (which drops tzinfo) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """Store every datetime as UTC; naive values are refused to catch bugs early."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Give back aware UTC datetimes whatever the driver returned."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base for every table of the bot."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict] = {datetime: UTCDateTime(), dict: JSON, list: JSON}


_engine: AsyncEngine | None = None
_sessions: async_sessionmaker[AsyncSession] | None = None


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    # WAL lets the CLI chat, a running bot and tests read while one writes.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    # With WAL, NORMAL never corrupts and survives a crash of the process; only a power cut
    # can lose the last commits. It saves an fsync per commit (PostgreSQL is for production).
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_reset(dbapi_conn: Any, _record: object, state: Any) -> None:
    """Roll back only a connection still inside a transaction (an interrupted session)."""
    if not state.terminate_only and dbapi_conn.driver_connection.in_transaction:
        dbapi_conn.rollback()


def make_engine(url: str, **kwargs: object) -> AsyncEngine:
    """Create an async engine with the per-dialect settings the bot relies on."""
    opts: dict[str, object] = {}
    if url.startswith("postgresql"):
        # pre_ping: a connection that died with a database restart is replaced, not used.
        opts.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
    else:
        # The pool's rollback on every return is a round trip to aiosqlite's thread; a
        # transaction the session committed or rolled back needs none (see _sqlite_reset).
        opts.update(pool_reset_on_return=None)
    opts.update(kwargs)
    engine = create_async_engine(url, **opts)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "reset", _sqlite_reset)
    return engine


def init_db(url: str, **kwargs: object) -> AsyncEngine:
    """Set the process-wide engine and session factory (once per process or test)."""
    global _engine, _sessions
    _engine = make_engine(url, **kwargs)
    _sessions = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


def get_engine() -> AsyncEngine:
    """The engine set by init_db."""
    if _engine is None:
        raise RuntimeError("database not initialised: call bot.db.init_db first")
    return _engine


async def dispose_db() -> None:
    """Close every pooled connection (end of a CLI call or a test)."""
    global _engine, _sessions
    if _engine is not None:
        await _engine.dispose()
    _engine = _sessions = None


@asynccontextmanager
async def session_scope() -> AsyncIterator[AsyncSession]:
    """One transaction: commit on success, roll back on any error."""
    if _sessions is None:
        raise RuntimeError("database not initialised: call bot.db.init_db first")
    async with _sessions() as session, session.begin():
        yield session


def assign_changed(row: object, values: dict[str, Any]) -> bool:
    """Set the attributes of `row` that differ from `values`; True when something changed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed
