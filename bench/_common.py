"""Shared pieces of the benchmarks: throwaway databases, a timing Bot API double, /proc figures.

Every script takes the same database choice: a SQLite file in a temporary directory by
default, or PostgreSQL with ``--pg postgresql+asyncpg://user@host/db`` (or the environment
variable BENCH_PG_URL). On PostgreSQL each run creates its own database next to the given
one (``<db>_<label>_<random>``) and drops it afterwards, so the given database is untouched.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bot.dev.botapi import BotApiDouble, Upload  # noqa: E402

# What a user sees as the bot's answer: a message sent or edited in their chat, or the
# answer to their button press (which stops the button's spinner).
ANSWER_METHODS = frozenset(
    m.lower()
    for m in (
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "sendDocument",
        "sendPhoto",
        "copyMessage",
        "forwardMessage",
        "answerCallbackQuery",
    )
)


def add_db_args(parser: argparse.ArgumentParser) -> None:
    """--pg URL (default: $BENCH_PG_URL); without it, a SQLite file in a temporary directory."""
    parser.add_argument(
        "--pg",
        metavar="URL",
        default=os.environ.get("BENCH_PG_URL"),
        help="PostgreSQL server to create throwaway databases on (default $BENCH_PG_URL); "
        "SQLite when unset",
    )


def _asyncpg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


async def _admin(url: str, sql: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.exec_driver_sql(sql)
    await engine.dispose()


async def create_schema(url: str) -> None:
    """Create every table of the bot (as the tests do; `migrate` is for cold_start)."""
    import bot.models  # noqa: F401  (registers every table)
    from bot.db import Base

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    await engine.dispose()


@asynccontextmanager
async def temp_database(
    pg: str | None, tmp: Path, label: str, *, schema: bool = True
) -> AsyncIterator[str]:
    """A fresh empty database (SQLite file under tmp, or a throwaway PostgreSQL database)."""
    if not pg:
        url = f"sqlite+aiosqlite:///{tmp / label}.db"
        if schema:
            await create_schema(url)
        yield url
        return
    base = make_url(_asyncpg(pg))
    name = f"{base.database}_{label}_{uuid.uuid4().hex[:6]}"
    await _admin(base.render_as_string(hide_password=False), f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        if schema:
            await create_schema(url)
        yield url
    finally:
        await _admin(
            base.render_as_string(hide_password=False),
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        )


def db_label(url: str) -> str:
    """ "SQLite" or "PostgreSQL <version>" for the printed header."""
    return "SQLite" if url.startswith("sqlite") else "PostgreSQL"


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0–1) of values in seconds, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def machine() -> str:
    """Cores, CPU model and Python version, for the header of every benchmark."""
    model = "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            (line.split(":", 1)[1].strip() for line in out.splitlines() if "Model name" in line),
            "?",
        )
    except OSError:
        pass
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
        f"load average {load:.2f} at start"
    )


def proc_cpu(pid: int | None = None) -> float:
    """User + system CPU seconds of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid or os.getpid()}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mib(pid: int | None = None) -> float:
    """Resident set size of a process now, in MiB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid or os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Watch:
    """The answers to one pushed update in one chat: when the first came, and how many."""

    pushed: float
    expect: int
    first: float | None = None
    last: float | None = None
    count: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def hit(self, at: float) -> None:
        """Record one answer event."""
        self.count += 1
        self.first = self.first or at
        self.last = at
        if self.count >= self.expect:
            self.done.set()


class TimedDouble(BotApiDouble):
    """The Bot API double, noting when each answer reaches it, per chat (perf_counter)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.query_chat: dict[str, int] = {}
        self.watches: dict[int, Watch] = {}
        self.answers_seen = 0

    def press(self, user_id: int, message_id: int, data: str) -> dict[str, Any]:
        """A callback update whose answerCallbackQuery is attributed to the user's chat."""
        raw = self.make_callback_update(user_id, message_id, data)
        self.query_chat[raw["callback_query"]["id"]] = user_id
        return raw

    def push_watched(self, chat_id: int, raw: dict[str, Any], expect: int = 1) -> Watch:
        """Queue an update for getUpdates and start timing the answers in its chat."""
        watch = self.watches[chat_id] = Watch(time.perf_counter(), expect)
        self.push_update(raw)
        return watch

    async def call(
        self,
        token: str,
        method: str,
        params: dict[str, Any],
        files: dict[str, Upload] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Answer as the double does, then time-stamp answers in watched chats."""
        status, payload = await super().call(token, method, params, files)
        if status == 200 and method.lower() in ANSWER_METHODS:
            self.answers_seen += 1
            chat = params.get("chat_id")
            if chat is None:
                chat = self.query_chat.pop(str(params.get("callback_query_id")), None)
            watch = self.watches.get(chat) if isinstance(chat, int) else None
            if watch is not None:
                watch.hit(time.perf_counter())
        return status, payload
