"""Migrations run up, down and up again, and leave exactly the schema the models describe."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from bot import migrate
from bot.db import Base


async def _tables_and_diff(url: str) -> tuple[set[str], list]:
    engine = create_async_engine(url)

    def inspect_sync(conn):
        tables = set(inspect(conn).get_table_names())
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return tables, compare_metadata(ctx, Base.metadata)

    async with engine.connect() as conn:
        result = await conn.run_sync(inspect_sync)
    await engine.dispose()
    return result


def test_upgrade_downgrade_upgrade_matches_models(empty_url: str) -> None:
    """upgrade → downgrade → upgrade ends at head with no difference from the models."""
    migrate.upgrade(empty_url)
    tables, diff = asyncio.run(_tables_and_diff(empty_url))
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert diff == [], f"models and migrations differ: {diff}"

    migrate.downgrade(empty_url, "base")
    tables, _ = asyncio.run(_tables_and_diff(empty_url))
    assert tables <= {"alembic_version"}

    migrate.upgrade(empty_url)
    assert asyncio.run(migrate.schema_is_current(empty_url))
    _, diff = asyncio.run(_tables_and_diff(empty_url))
    assert diff == []


def test_outdated_schema_is_detected(empty_url: str) -> None:
    """An empty database is not current, so `run` would refuse to start on it."""
    assert not asyncio.run(migrate.schema_is_current(empty_url))
