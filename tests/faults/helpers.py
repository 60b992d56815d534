"""Seeding and process control shared by the fault tests."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, insert, select
from telegram import Bot

from bot import db
from bot.app import FAKE_TOKEN
from bot.core.models import Person
from bot.core.outbox import OutboxMessage
from bot.core.outbox_dispatch import OutboxItem
from bot.dev.botapi import BotApiDouble
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery

WORKER = Path(__file__).with_name("worker.py")
ROOT = Path(__file__).resolve().parents[2]
PROBE = "probe"


async def send_probe(bot: Bot, item: OutboxItem) -> int:
    """The outbox kind of the fault tests: deliver payload["text"] to the row's chat."""
    message = await bot.send_message(item.chat_id, item.payload["text"])
    return message.message_id


async def people(double: BotApiDouble, first: int, n: int) -> dict[int, int]:
    """N people with private chats known to the double; returns telegram id → person id."""
    chats = list(range(first, first + n))
    for chat in chats:
        double.add_private_chat(chat)
    async with db.session_scope() as s:
        await s.execute(
            insert(Person), [{"telegram_id": c, "first_name": "P", "locale": "en"} for c in chats]
        )
        rows = await s.execute(
            select(Person.telegram_id, Person.id).where(Person.telegram_id.in_(chats))
        )
        return dict(rows.all())


async def probes(ids: dict[int, int], text: str = "follow-up") -> None:
    """One due outbox row of the worker's "probe" kind per person."""
    async with db.session_scope() as s:
        await s.execute(
            insert(OutboxMessage),
            [
                {"kind": PROBE, "chat_id": c, "person_id": p, "payload": {"text": text}}
                for c, p in ids.items()
            ],
        )


async def broadcast(ids: dict[int, int], sender: int, *, paid: bool, text: str) -> int:
    """A broadcast in state "sending" to every given person; returns its id."""
    async with db.session_scope() as s:
        row = Broadcast(sender_id=sender, texts={"en": text}, paid=paid, state="sending")
        s.add(row)
        await s.flush()
        await s.execute(
            insert(BroadcastDelivery),
            [{"broadcast_id": row.id, "person_id": p, "chat_id": c} for c, p in ids.items()],
        )
        return row.id


async def states(model, **where) -> Counter[str]:
    """Rows of `model` by state."""
    async with db.session_scope() as s:
        query = select(model.state, func.count()).group_by(model.state)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return Counter(dict((await s.execute(query)).all()))


def received(double: BotApiDouble, text: str) -> Counter[int]:
    """How many messages with `text` each chat received."""
    return Counter(e.chat_id for e in double.sent if e.text == text)


class Worker:
    """One bot process (tests/faults/worker.py) against the double and the database."""

    def __init__(self, double: BotApiDouble, url: str, log: Path, **env: str) -> None:
        self.log = log
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "TELEGRAM_BOT_TOKEN": FAKE_TOKEN,
            "TELEGRAM_BASE_URL": double.base_url,
            "DATA_DIR": str(log.parent / "data"),
            "FAULT_TICK": "2",
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.proc: subprocess.Popen | None = None

    def _spawn(self) -> subprocess.Popen:
        with self.log.open("ab") as out:
            return subprocess.Popen(
                [sys.executable, str(WORKER)], env=self.env, stdout=subprocess.PIPE, stderr=out
            )

    async def start(self) -> None:
        """Start the process and wait (up to 30 s) until it says it is ready."""
        self.proc = self._spawn()
        assert self.proc.stdout is not None
        try:
            async with asyncio.timeout(30):
                line = await asyncio.to_thread(self.proc.stdout.readline)
        except TimeoutError:
            line = b""
        if b"ready" not in line:
            self.kill()
            raise RuntimeError(f"worker did not start; see {self.log}")

    def kill(self) -> None:
        """kill -9: no clean-up at all."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    async def stop(self, grace: float = 20.0) -> int | None:
        """SIGTERM and wait for a clean exit (kill -9 after `grace` seconds)."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.terminate()
        try:
            return await asyncio.to_thread(self.proc.wait, grace)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def alive(self) -> bool:
        """True while the process runs."""
        return self.proc is not None and self.proc.poll() is None


async def wait_for(predicate, within: float, step: float = 0.2) -> bool:
    """Poll an async predicate until true or `within` seconds; returns its last value."""
    deadline = time.monotonic() + within
    while True:
        if await predicate():
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(step)
