"""A pooled SQLite connection comes back without the transaction a session left open."""

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
