"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set) and the offline bot talking to the Bot API double over HTTP.

Each test starts from a clean database built once per pytest worker: the schema alone, or
the schema with the bundled sample when the test asks for `sample`. On SQLite each test gets
a file copy of a template; on PostgreSQL each worker has one database beside
TEST_DATABASE_URL's (named after it and the worker), emptied before each test and, for
`sample`, refilled from a copy of the sample's rows kept in schema `tpl`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

import bot.models  # noqa: F401  (registers every table)
from bot import clock, db
from bot.config import Settings
from bot.db import Base

PG_URL = os.environ.get("TEST_DATABASE_URL")
# The GeoNames city index is data, not state: one file for every test and run (gitignored).
PLACES_INDEX = Path(__file__).resolve().parent.parent / "data" / "places.sqlite"
# The trained intent classifier, likewise: trained once per corpus and lexicon, then reused.
os.environ.setdefault("QA_MODEL_DIR", str(PLACES_INDEX.parent / "models"))
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
ADMIN_ID = 9001
LIAISON_CHAT = -100500
TEMPLATES = ("schema", "sample")


async def _admin(url: str, sql: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.exec_driver_sql(sql)
    await engine.dispose()


def _pg_url(name: str) -> str:
    assert PG_URL
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _pg_name(suffix: str) -> str:
    assert PG_URL
    return f"{make_url(PG_URL).database}_{WORKER}_{suffix}"[:63]


async def _build(url: str, with_sample: bool) -> None:
    """Create the schema (and load the sample) in the empty database at `url`."""
    from bot.core import refdata
    from bot.sample import import_sample

    engine = db.init_db(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        if with_sample:
            await import_sample()
    finally:
        await db.dispose_db()
        refdata.clear()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """This worker's template databases by kind: SQLite file paths or PostgreSQL names."""
    if not PG_URL:
        root = tmp_path_factory.mktemp("templates")
        paths = {kind: str(root / f"{kind}.db") for kind in TEMPLATES}
        for kind, path in paths.items():
            asyncio.run(_build(f"sqlite+aiosqlite:///{path}", kind == "sample"))
        yield paths
        return
    name = _pg_name("db")
    asyncio.run(_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    asyncio.run(_admin(PG_URL, f"CREATE DATABASE {name}"))
    asyncio.run(_build(_pg_url(name), with_sample=True))
    asyncio.run(_pg_snapshot(_pg_url(name)))
    yield {kind: name for kind in TEMPLATES}
    asyncio.run(_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


# PostgreSQL: one database per worker, reset before each test. CREATE DATABASE costs 50 to
# 300 ms (it syncs files), TRUNCATE and copying the sample back from a schema a few ms.
_SAMPLE: dict[str, list[str]] = {"tables": [], "serial": []}


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _pg_snapshot(url: str) -> None:
    """Keep the sample's rows in schema tpl, and note the tables with id sequences."""
    conn = await asyncpg.connect(_dsn(url))
    try:
        await conn.execute("CREATE SCHEMA tpl")
        for table in Base.metadata.sorted_tables:
            if await conn.fetchval(f'SELECT EXISTS (SELECT 1 FROM public."{table.name}")'):
                await conn.execute(
                    f'CREATE TABLE tpl."{table.name}" AS SELECT * FROM public."{table.name}"'
                )
                _SAMPLE["tables"].append(table.name)
            if "id" in table.c and await conn.fetchval(
                "SELECT pg_get_serial_sequence($1, 'id')", f'public."{table.name}"'
            ):
                _SAMPLE["serial"].append(table.name)
    finally:
        await conn.close()


async def _pg_reset(url: str, with_sample: bool) -> None:
    """Empty every table (sequences restarted), then put the sample back if asked."""
    conn = await asyncpg.connect(_dsn(url))
    try:
        # Connections a previous test left (a killed bot process) must not hold locks.
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        names = ", ".join(f'public."{t.name}"' for t in Base.metadata.sorted_tables)
        async with conn.transaction():
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            if with_sample:
                for table in _SAMPLE["tables"]:
                    await conn.execute(f'INSERT INTO public."{table}" SELECT * FROM tpl."{table}"')
                for table in _SAMPLE["serial"]:
                    await conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('public.\"{table}\"', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM public."{table}"), 0) + 1, false)'
                    )
    finally:
        await conn.close()


@pytest.fixture
def empty_url(tmp_path: Path):
    """An empty database of the kind under test (a throwaway one on PostgreSQL)."""
    if not PG_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    name = _pg_name(f"e{uuid.uuid4().hex[:8]}")
    asyncio.run(_admin(PG_URL, f"CREATE DATABASE {name}"))
    yield _pg_url(name)
    asyncio.run(_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
async def database(
    request: pytest.FixtureRequest, tmp_path: Path, templates: dict[str, str]
) -> AsyncIterator[str]:
    """A database of this test's own; yields its URL with bot.db initialised on it.

    It is a copy of the sample template when the test (or a fixture it uses) asks for
    `sample`, else of the bare schema.
    """
    kind = "sample" if "sample" in request.fixturenames else "schema"
    if PG_URL:
        url = _pg_url(templates[kind])
        await _pg_reset(url, kind == "sample")
    else:
        path = tmp_path / "test.db"
        await asyncio.to_thread(shutil.copyfile, templates[kind], path)
        url = f"sqlite+aiosqlite:///{path}"
    db.init_db(url)
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
        places_index=PLACES_INDEX,
        admin_ids=[ADMIN_ID],
        liaison_chat_id=LIAISON_CHAT,
        timezone="Asia/Seoul",
        default_locale="en",
    )


@pytest.fixture
async def sample(database: str) -> None:
    """The bundled sample (programme, course week, lexicon, FAQ) is in the test's database.

    `database` copies it from the sample template when this fixture is requested.
    """


@pytest.fixture
async def conv(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path):
    """The real Application talking over HTTP to a fresh Bot API double.

    Without the flood limiter, whose pacing (1 message/s per chat) would make most of the
    suite's time sleep; a test marked `flood_control` keeps it, as tests/core/test_ratelimit.py
    and tests/faults/ do.
    """
    from bot.dev.harness import conversation

    limiter = request.node.get_closest_marker("flood_control") is not None
    async with conversation(
        settings, files=tmp_path / "files", set_menus=True, flood_control=limiter
    ) as c:
        yield c


@dataclass(frozen=True)
class CliResult:
    """What one `python -m bot …` call gave: exit status and its two output streams."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(
    empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> Callable[..., CliResult]:
    """Call `python -m bot ARGS` in this process (bot.cli.main with its own settings, event
    loop and logging), on an empty database and data directory of the test's own.

    In-process saves the interpreter start and imports (~1 s a call); tests of what only a
    process boundary shows (state carried between processes, signals) use subprocess.
    """
    from bot.cli import main
    from bot.config import get_settings
    from bot.core import refdata

    base = {
        "DATABASE_URL": empty_url,
        "DATA_DIR": str(tmp_path / "data"),
        "PLACES_INDEX": str(PLACES_INDEX),
    }

    def call(*args: str, extra: dict[str, str] | None = None) -> CliResult:
        root = logging.getLogger()
        saved = (root.handlers[:], root.level)
        capsys.readouterr()
        with monkeypatch.context() as env:
            env.delenv("TELEGRAM_BOT_TOKEN", raising=False)
            for name, value in {**base, **(extra or {})}.items():
                env.setenv(name, value)
            get_settings.cache_clear()
            refdata.clear()  # as a new process would start
            try:
                main(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            finally:
                clock.freeze(None)  # chat and demo set the bot's clock
                get_settings.cache_clear()
                root.handlers[:] = saved[0]  # main() installs its own handler on the root
                root.setLevel(saved[1])
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return call


@pytest.fixture
def count_queries(database: str) -> Callable[[], Any]:
    """Count the SQL statements the bot sends: `with count_queries() as sql: ...`.

    `sql` is the list of statements sent inside the block (BEGIN/COMMIT are not statements).
    """
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting() -> Iterator[list[str]]:
        sent: list[str] = []

        def record(_conn, _cursor, statement, *_args) -> None:
            sent.append(statement)

        engine = db.get_engine().sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield sent
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting
