"""Broadcast throughput against the Bot API double with Telegram's flood limits on.

Runs in one process on a temporary SQLite database:

1. `run_broadcast` through the real Application (FloodControl limiter) to N private chats
   at the free ceiling (30/s): rate / ceiling, 429s, lost and duplicated messages;
2. for comparison, a naive serial loop (bare PTB Bot, no limiter, sleep 1/30 s between
   sends) over the same chats;
3. a paid broadcast (allow_paid_broadcast, ceiling 1000/s) to M chats, with where the time
   goes: claiming, recording outcomes, HTTP sends, limiter waits.

    .venv/bin/python bench/broadcast_rate.py            # 3 000 + 20 000 recipients (~2.5 min)
    .venv/bin/python bench/broadcast_rate.py --quick    # 600 + 3 000
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select
from telegram import Bot
from telegram.error import RetryAfter

import bot.models  # noqa: F401  (registers every table)
from bot import db
from bot.app import FAKE_TOKEN, build_application
from bot.config import Settings
from bot.core.models import Person
from bot.db import Base
from bot.dev.botapi import BotApiDouble
from bot.features.broadcasts.engine import run_broadcast
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery


async def seed(double: BotApiDouble, first: int, n: int, *, paid: bool) -> tuple[int, list[int]]:
    """N people with private chats, one broadcast in "sending" and its deliveries."""
    chats = list(range(first, first + n))
    for chat in chats:
        double.add_private_chat(chat)
    async with db.session_scope() as s:
        await s.execute(
            insert(Person), [{"telegram_id": c, "first_name": "P", "locale": "en"} for c in chats]
        )
        sender = Person(telegram_id=first - 1, first_name="Sender", locale="en")
        s.add(sender)
        await s.flush()
        ids = dict((await s.execute(select(Person.telegram_id, Person.id))).all())
        row = Broadcast(
            sender_id=sender.id, texts={"en": "Forum, 18 October"}, paid=paid, state="sending"
        )
        s.add(row)
        await s.flush()
        await s.execute(
            insert(BroadcastDelivery),
            [{"broadcast_id": row.id, "person_id": ids[c], "chat_id": c} for c in chats],
        )
        return row.id, chats


async def outcome(double: BotApiDouble, bid: int, chats: list[int], mark: int) -> tuple[int, int]:
    """(lost, duplicated): deliveries not sent, chats that got more than one message."""
    async with db.session_scope() as s:
        lost = await s.scalar(
            select(func.count()).where(
                BroadcastDelivery.broadcast_id == bid, BroadcastDelivery.state != "sent"
            )
        )
    wanted = set(chats)
    per_chat = Counter(e.chat_id for e in double.events_since(mark) if e.chat_id in wanted)
    return int(lost or 0), sum(1 for n in per_chat.values() if n > 1)


async def engine_run(app, double, first: int, n: int, *, paid: bool, ceiling: int) -> None:
    """One broadcast through the engine; prints its figures."""
    bid, chats = await seed(double, first, n, paid=paid)
    limiter = app.bot.rate_limiter
    waited0, r0, mark = limiter.stats.waited, double.counters["429"], double.seq
    report = await run_broadcast(app, bid)
    lost, duplicated = await outcome(double, bid, chats, mark)
    label = "paid" if paid else "engine"
    print(
        f"{label:6} {n:6} recipients  {report.elapsed:7.1f} s  {report.rate:7.1f}/s  "
        f"rate/ceiling {report.rate / ceiling:.3f}  429s {double.counters['429'] - r0}  "
        f"lost {lost}  duplicated {duplicated}"
    )
    t = report.timings
    print(
        f"       time: claim {t['claim']:.2f} s, record {t['record']:.2f} s (wall, one task);"
        f" send {t['send']:.1f} s of which limiter wait {limiter.stats.waited - waited0:.1f} s"
        " (summed over concurrent sends)"
    )


async def naive_run(double: BotApiDouble, chats: list[int], ceiling: int) -> None:
    """The usual first attempt: one send after another, sleeping 1/30 s in between."""
    r0, mark, failed = double.counters["429"], double.seq, 0
    started = time.monotonic()
    async with Bot(FAKE_TOKEN, base_url=double.base_url) as bot:
        for chat in chats:
            try:
                await bot.send_message(chat, "Forum, 18 October")
            except RetryAfter:
                failed += 1
            await asyncio.sleep(1 / 30)
    elapsed = time.monotonic() - started
    sent = sum(1 for e in double.events_since(mark) if e.chat_id in set(chats))
    print(
        f"naive  {len(chats):6} recipients  {elapsed:7.1f} s  {sent / elapsed:7.1f}/s  "
        f"rate/ceiling {sent / elapsed / ceiling:.3f}  429s {double.counters['429'] - r0}  "
        f"lost {failed}"
    )


async def main(free: int, paid: int) -> None:
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        engine = db.init_db(url)
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        double = BotApiDouble(FAKE_TOKEN, files_dir=Path(tmp) / "files", enforce_limits=True)
        await double.start()
        settings = Settings(_env_file=None, database_url=url, data_dir=Path(tmp) / "data")
        app = build_application(settings, base_url=double.base_url, set_menus=False)
        await app.initialize()
        try:
            await engine_run(app, double, 1_000_000, free, paid=False, ceiling=30)
            await asyncio.sleep(1.1)  # let the double's window empty before the naive loop
            await naive_run(double, list(range(1_000_000, 1_000_000 + free)), 30)
            await asyncio.sleep(1.1)
            await engine_run(app, double, 2_000_000, paid, paid=True, ceiling=1000)
        finally:
            await app.shutdown()
            await double.stop()
            await db.dispose_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="600 + 3 000 recipients")
    args = parser.parse_args()
    asyncio.run(main(600, 3_000) if args.quick else main(3_000, 20_000))
