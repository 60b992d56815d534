"""Database engine, declarative base and the transaction scope services use."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import AsyncIterator, Callable, Generator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, ClassVar

import aiosqlite
from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator, event
from sqlalchemy.engine import make_url
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
# SQLite: one transaction of this process at a time (see session_scope); None on PostgreSQL.
_turn: asyncio.Lock | None = None
_holding: ContextVar[bool] = ContextVar("holding_the_sqlite_turn", default=False)


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


class LoopConnection(aiosqlite.Connection):
    """aiosqlite's connection, each call made at once on the event loop's thread.

    aiosqlite runs every call on a thread of its own and hands the result back; on a machine
    with a free core each hand-over is a contest for the GIL, and those hand-overs cost more
    than SQLite itself: 6.5 ms of CPU per update against 2.3 ms on the loop
    (bench/update_throughput.py). A local SQLite call takes microseconds, and no call yields
    to the loop, so a transaction runs from its first write to its commit without another
    update's statements in between. The price: while another process holds the database's
    write lock (an import from the command line), the whole bot waits with it, up to
    busy_timeout. PostgreSQL (asyncpg) is not affected.
    """

    def __await__(self) -> Generator[Any, None, LoopConnection]:
        return self._connect().__await__()  # no worker thread to start

    async def _connect(self) -> LoopConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    @property
    def _tx(self) -> _Inline:
        # SQLAlchemy's isolation-level setter queues work for the thread directly.
        return _Inline()

    @_tx.setter
    def _tx(self, _queue: object) -> None:
        pass  # aiosqlite's constructor makes a queue nobody will read

    def stop(self) -> None:
        """Close at once (there is no thread to stop)."""
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def close(self) -> None:
        """Close the connection."""
        self.stop()


class _Inline:
    """A queue that runs what is put in it and completes its future."""

    def put_nowait(self, item: tuple[Any, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:
            if future is not None:
                future.set_exception(exc)
            return
        if future is not None:
            future.set_result(result)


def _sqlite_creator(url: str) -> Callable[[], Any]:
    """Connections for `url` made by LoopConnection."""
    path = make_url(url).database or ":memory:"
    connector = functools.partial(sqlite3.connect, path, check_same_thread=False)

    async def create() -> LoopConnection:
        return await LoopConnection(connector, iter_chunk_size=64)

    return create


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
        # Connections on the loop's thread (LoopConnection). The pool's rollback on every
        # return is one more call; a transaction the session committed or rolled back needs
        # none (see _sqlite_reset).
        opts.update(pool_reset_on_return=None, async_creator=_sqlite_creator(url))
    opts.update(kwargs)
    engine = create_async_engine(url, **opts)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "reset", _sqlite_reset)
    return engine


def init_db(url: str, **kwargs: object) -> AsyncEngine:
    """Set the process-wide engine and session factory (once per process or test)."""
    global _engine, _sessions, _turn
    _engine = make_engine(url, **kwargs)
    _sessions = async_sessionmaker(_engine, expire_on_commit=False)
    _turn = asyncio.Lock() if _engine.dialect.name == "sqlite" else None
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
    """One transaction: commit on success, roll back on any error.

    On SQLite the process's transactions take turns. Its statements run on the loop's
    thread (LoopConnection), so a transaction that wrote and then awaited something else
    would leave the next writer waiting for SQLite's lock on that same thread, with nothing
    able to release it. Taking turns costs nothing while no transaction awaits anything but
    the database; a scope opened inside another (a cached read) runs within its turn.
    """
    if _sessions is None:
        raise RuntimeError("database not initialised: call bot.db.init_db first")
    if _turn is None or _holding.get():
        async with _sessions() as session, session.begin():
            yield session
        return
    async with _turn:
        token = _holding.set(True)
        try:
            async with _sessions() as session, session.begin():
                yield session
        finally:
            _holding.reset(token)


def assign_changed(row: object, values: dict[str, Any]) -> bool:
    """Set the attributes of `row` that differ from `values`; True when something changed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed
