"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set) and the offline bot talking to the Bot API double over HTTP.

Each test gets its own database, copied from a template built once per pytest worker: the
schema alone, or the schema with the bundled sample when the test asks for `sample`. On
SQLite the copy is a file copy; on PostgreSQL `CREATE DATABASE … TEMPLATE`, beside
TEST_DATABASE_URL's database, named after it and the xdist worker.
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
    from bot.features.qa.knowledge import CACHE
    from bot.sample import import_sample

    engine = db.init_db(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        if with_sample:
            await import_sample()
    finally:
        await db.dispose_db()
        CACHE.invalidate()


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
    names = {kind: _pg_name(f"tpl_{kind}") for kind in TEMPLATES}
    for kind, name in names.items():
        asyncio.run(_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        asyncio.run(_admin(PG_URL, f"CREATE DATABASE {name}"))
        asyncio.run(_build(_pg_url(name), kind == "sample"))
    yield names
    for name in names.values():
        asyncio.run(_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


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
    from bot.features.qa.knowledge import CACHE

    CACHE.invalidate()  # the answering cache must not carry another test's catalogue
    kind = "sample" if "sample" in request.fixturenames else "schema"
    name = None
    if PG_URL:
        name = _pg_name(f"t{uuid.uuid4().hex[:8]}")
        await _admin(PG_URL, f"CREATE DATABASE {name} TEMPLATE {templates[kind]}")
        url = _pg_url(name)
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
        if name:
            await _admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


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
    from bot.transport.harness import conversation

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
    from bot.features.qa.knowledge import CACHE

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
            CACHE.invalidate()  # as a new process would start
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
