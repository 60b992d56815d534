"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set) and the offline bot talking to the Bot API double over HTTP."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

import bot.models  # noqa: F401  (registers every table)
from bot import clock, db
from bot.config import Settings
from bot.db import Base

PG_URL = os.environ.get("TEST_DATABASE_URL")
ADMIN_ID = 9001
LIAISON_CHAT = -100500


async def _create_schema(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    await engine.dispose()


async def _admin(url: str, sql: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.exec_driver_sql(sql)
    await engine.dispose()


@pytest.fixture
def empty_url(tmp_path: Path):
    """An empty database of the kind under test (a throwaway one on PostgreSQL)."""
    if not PG_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"liaison_tmp_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(PG_URL, f"CREATE DATABASE {name}"))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def pg_schema() -> str | None:
    """On PostgreSQL, build the schema once per run; tests then truncate."""
    if PG_URL:
        asyncio.run(_create_schema(PG_URL))
    return PG_URL


@pytest.fixture
async def database(tmp_path: Path, pg_schema: str | None) -> AsyncIterator[str]:
    """A clean database for one test; yields its URL with bot.db initialised on it."""
    from bot.features.qa.knowledge import CACHE

    CACHE.invalidate()  # the answering cache must not carry another test's catalogue
    if pg_schema:
        url = pg_schema
        db.init_db(url)
        names = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with db.get_engine().begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        engine = db.init_db(url)
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
    try:
        yield url
    finally:
        clock.freeze(None)
        await db.dispose_db()


@pytest.fixture
def settings(database: str, tmp_path: Path) -> Settings:
    """Settings for a test bot: one staff id, a liaison chat, Seoul time."""
    return Settings(
        _env_file=None,
        database_url=database,
        data_dir=tmp_path / "data",
        admin_ids=[ADMIN_ID],
        liaison_chat_id=LIAISON_CHAT,
        timezone="Asia/Seoul",
        default_locale="en",
    )


@pytest.fixture
async def sample(database: str) -> None:
    """Load the bundled sample: programme, course week, lexicon and FAQ answers."""
    from bot.sample import import_sample

    await import_sample()


@pytest.fixture
async def conv(settings: Settings, tmp_path: Path):
    """The real Application talking over HTTP to a fresh Bot API double."""
    from bot.transport.harness import conversation

    async with conversation(settings, files=tmp_path / "files", set_menus=True) as c:
        yield c
