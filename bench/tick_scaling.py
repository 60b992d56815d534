"""Does a follow-up tick slow down when the outbox holds many rows that are not due yet?

Two scenarios, each in a fresh process and a fresh database: 1 000 rows due among 1 000
pending, and 1 000 due among 100 000 pending (99 000 due tomorrow or later, same kind, so
they match everything in the claim query but the due time). `run_tick` — what
`python -m bot tick` and the repeating jobs run: schedule follow-ups, then claim and send
due rows in batches of 100 — delivers the 1 000 through a bare PTB Bot (no rate limiter)
to the Bot API double (no flood limits), so the limiter is not what is measured. The rows
are of a benchmark kind whose sender sends one plain message: the time measured is the
outbox machinery (claim, send, mark), not a feature's rendering.

Both scenarios stay up in their own processes and the ticks alternate between them, so a
burst of load from elsewhere on the machine hits both alike. Printed per scenario: seconds
to deliver the 1 000 (best and median of --repeats, rows reset to pending in between),
tracemalloc peak during one more tick, RSS growth over the timed ticks, the median time of
the claim's candidate query alone; then the ratios large/small (aim <= 2) and, with
--explain, the query plan.

    .venv/bin/python bench/tick_scaling.py                  # SQLite
    .venv/bin/python bench/tick_scaling.py --pg postgresql+asyncpg://postgres@127.0.0.1/db
    .venv/bin/python bench/tick_scaling.py --quick   # 1 000 vs 20 000 pending, 1 tick each
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import multiprocessing as mp
import statistics
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from _common import add_db_args, db_label, machine, proc_rss_mib, temp_database

from bot.app import FAKE_TOKEN

KIND = "bench.note"
DUE = 1_000
CHUNK = 10_000


async def _send(bot, item) -> int:
    message = await bot.send_message(item.chat_id, item.payload["text"])
    return message.message_id


async def seed(pending: int, now) -> None:
    """DUE rows due a minute ago or earlier, the rest due from tomorrow on (bulk inserts)."""
    from sqlalchemy import insert

    from bot.core.outbox import OutboxMessage
    from bot.db import session_scope

    def row(i: int) -> dict:
        due = now - timedelta(seconds=60 + i) if i < DUE else now + timedelta(days=1, seconds=i)
        return {
            "kind": KIND,
            "chat_id": 1 + i % DUE,
            "payload": {"text": f"Reminder {i}"},
            "due_at": due,
            "state": "pending",
            "attempts": 0,
            "created_at": now,
        }

    for start in range(0, pending, CHUNK):
        async with session_scope() as session:
            await session.execute(
                insert(OutboxMessage), [row(i) for i in range(start, min(pending, start + CHUNK))]
            )


async def reset() -> None:
    """Put the delivered rows back to pending, as before the first tick."""
    from sqlalchemy import update

    from bot.core.outbox import OutboxMessage
    from bot.db import session_scope

    async with session_scope() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.state != "pending")
            .values(state="pending", sent_at=None, telegram_message_id=None, claimed_by=None)
        )


async def claim_query(url: str, now, want_plan: bool) -> tuple[float, str]:
    """Median ms of claim()'s candidate query (same WHERE/ORDER BY, 20 runs) and its plan."""
    from sqlalchemy import and_, or_, select, text

    from bot.core.outbox import OutboxMessage
    from bot.db import session_scope

    due = or_(
        and_(OutboxMessage.state == "pending", OutboxMessage.due_at <= now),
        and_(OutboxMessage.state == "sending", OutboxMessage.claimed_until < now),
    )
    query = (
        select(OutboxMessage.id)
        .where(OutboxMessage.kind.in_((KIND,)), due)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(100)
    )
    times, plan = [], ""
    async with session_scope() as session:
        for _ in range(20):
            t0 = time.perf_counter()
            (await session.scalars(query)).all()
            times.append(time.perf_counter() - t0)
        if want_plan:
            bind = session.get_bind()
            compiled = query.compile(bind, compile_kwargs={"literal_binds": True})
            prefix = "EXPLAIN QUERY PLAN " if url.startswith("sqlite") else "EXPLAIN ANALYZE "
            rows = (await session.execute(text(prefix + str(compiled)))).all()
            plan = "\n".join("    " + " | ".join(str(c) for c in r) for r in rows)
    return statistics.median(times) * 1000, plan


def scenario(pg: str | None, pending: int, want_plan: bool, conn) -> None:
    """Child process: fresh database and double; runs the ticks the parent asks for."""
    asyncio.run(_scenario(pg, pending, want_plan, conn))


async def _scenario(pg: str | None, pending: int, want_plan: bool, conn) -> None:
    from sqlalchemy import func, select
    from telegram import Bot

    from bot import clock, db
    from bot.core.outbox import OutboxMessage
    from bot.core.outbox_dispatch import Sender
    from bot.db import session_scope
    from bot.dev.botapi import BotApiDouble
    from bot.features.followups.tick import run_tick

    logging.basicConfig(level=logging.ERROR)
    now = clock.utcnow().replace(microsecond=0)
    clock.freeze(now)
    senders = {KIND: Sender(_send)}
    fig: dict = {"pending": pending, "times": []}
    with tempfile.TemporaryDirectory() as tmpdir:
        async with temp_database(pg, Path(tmpdir), f"tick{pending}") as url:
            fig["db"] = db_label(url)
            db.init_db(url)
            t0 = time.perf_counter()
            await seed(pending, now)
            fig["seeded"] = time.perf_counter() - t0
            double = BotApiDouble(FAKE_TOKEN, files_dir=Path(tmpdir) / "files")
            for chat in range(1, DUE + 1):
                double.add_private_chat(chat)
            await double.start()
            try:
                async with Bot(FAKE_TOKEN, base_url=double.base_url) as client:
                    gc.collect()
                    rss0 = proc_rss_mib()
                    conn.send("ready")
                    # The parent alternates the scenarios tick by tick, so a burst of load
                    # from elsewhere on the machine hits both alike.
                    while (await asyncio.to_thread(conn.recv)) == "tick":
                        if fig["times"]:
                            await reset()
                        mark = double.seq
                        t0 = time.perf_counter()
                        result = await run_tick(client, senders, now)
                        fig["times"].append(time.perf_counter() - t0)
                        sent = len(double.events_since(mark))
                        if sent != DUE or len(result.lines) != DUE:
                            raise RuntimeError(f"delivered {sent}/{len(result.lines)}, not {DUE}")
                        conn.send("done")
                    gc.collect()
                    fig["rss"] = proc_rss_mib() - rss0
                    await reset()
                    tracemalloc.start()
                    await run_tick(client, senders, now)
                    fig["peak"] = tracemalloc.get_traced_memory()[1] / 2**20
                    tracemalloc.stop()
                async with session_scope() as session:
                    fig["left"] = await session.scalar(
                        select(func.count()).where(OutboxMessage.state == "pending")
                    )
                await reset()  # the 1 000 due again, as the first claim of a tick sees them
                fig["query_ms"], fig["plan"] = await claim_query(url, now, want_plan)
            finally:
                await double.stop()
                await db.dispose_db()
    conn.send(fig)


def main(args) -> None:
    """Run both scenarios in fresh processes, ticks interleaved; print figures and ratios."""
    print(f"machine: {machine()}")
    print(
        f"run_tick delivering {DUE} due rows; bare PTB Bot, no rate limiter; double without "
        f"flood limits; {args.repeats} ticks per scenario, alternating between them"
    )
    ctx = mp.get_context("spawn")
    children = []
    for pending in (DUE, args.large):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=scenario, args=(args.pg, pending, args.explain, child))
        proc.start()
        children.append((parent, proc))
    for parent, _ in children:
        if parent.recv() != "ready":
            raise RuntimeError("a scenario failed to start")
    for _ in range(args.repeats):
        for parent, _ in children:
            parent.send("tick")
            if parent.recv() != "done":
                raise RuntimeError("a tick failed")
    figures = []
    for parent, proc in children:
        parent.send("stop")
        figures.append(parent.recv())
        proc.join()
    for fig in figures:
        times = fig["times"]
        print(
            f"{fig['db']:10} {DUE} due of {fig['pending']:7} pending: "
            f"best {min(times):6.2f} s median {statistics.median(times):6.2f} s  "
            f"({DUE / min(times):5.0f} rows/s)  tracemalloc peak {fig['peak']:5.2f} MiB  "
            f"RSS growth {fig['rss']:+5.1f} MiB  claim query {fig['query_ms']:.2f} ms  "
            f"(seeded in {fig['seeded']:.1f} s; {fig['left']} not due, still pending)"
        )
        if fig["plan"]:
            print("  claim query plan:\n" + fig["plan"])
    small, large = figures
    best = min(large["times"]) / min(small["times"])
    median = statistics.median(large["times"]) / statistics.median(small["times"])
    print(
        f"ratio {args.large} / {DUE} pending: time best {best:.2f}, median {median:.2f} "
        f"(aim <= 2); tracemalloc peak {large['peak'] / small['peak']:.2f}; "
        f"RSS growth {large['rss']:+.1f} vs {small['rss']:+.1f} MiB; "
        f"claim query {large['query_ms'] / small['query_ms']:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 000 vs 20 000 pending")
    parser.add_argument("--large", type=int, help="pending rows of the second scenario")
    parser.add_argument("--repeats", type=int, help="timed ticks per scenario (4, quick 1)")
    parser.add_argument("--explain", action="store_true", help="print the claim query plan")
    add_db_args(parser)
    cli = parser.parse_args()
    cli.large = cli.large or (20_000 if cli.quick else 100_000)
    cli.repeats = cli.repeats or (1 if cli.quick else 4)
    main(cli)
