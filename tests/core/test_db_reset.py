"""SQLite connections: on the loop's thread, and back in the pool without an open transaction."""

import asyncio
import threading

import pytest
from sqlalchemy import text

from bot import db
from bot.core.models import Organisation
from bot.db import session_scope


async def test_an_interrupted_write_is_rolled_back_before_reuse(database):
    if db.get_engine().dialect.name != "sqlite":
        pytest.skip("the SQLite pool's reset is what is tested")

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted):
        async with session_scope() as session:
            session.add(Organisation(code="GHOST", name={"en": "Ghost"}))
            await session.flush()
            raise Interrupted
    # A write the driver began behind SQLAlchemy's back (nothing above it knows to end it).
    conn = await db.get_engine().connect()
    raw = await conn.get_raw_connection()
    await raw.driver_connection.execute(
        "INSERT INTO organisations (code, kind, name, aliases) "
        "VALUES ('LEFT', 'network', '{}', '[]')"
    )
    assert raw.driver_connection.in_transaction
    await conn.close()
    async with db.get_engine().connect() as again:
        raw = await again.get_raw_connection()
        assert not raw.driver_connection.in_transaction
        codes = set((await again.execute(text("SELECT code FROM organisations"))).scalars())
    assert not {"GHOST", "LEFT"} & codes


async def test_sqlite_runs_on_the_loop_thread_and_writers_do_not_lock(database):
    """No worker thread per connection; fifty concurrent writers in one process all land."""
    if db.get_engine().dialect.name != "sqlite":
        pytest.skip("the SQLite connection is what is tested")
    threads = threading.active_count()

    async def write(n: int) -> None:
        async with session_scope() as session:
            session.add(Organisation(code=f"W{n:03}", name={"en": str(n)}))
            await session.flush()
            await asyncio.sleep(0)  # let the others start before this one commits

    await asyncio.gather(*(write(n) for n in range(50)))
    async with session_scope() as session:
        codes = set((await session.execute(text("SELECT code FROM organisations"))).scalars())
    assert {f"W{n:03}" for n in range(50)} <= codes
    assert threading.active_count() == threads
    conn = await db.get_engine().connect()
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    await conn.close()
    await db.get_engine().dispose()
    with pytest.raises(ValueError):
        await driver.execute("SELECT 1")
