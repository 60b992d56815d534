"""Answer latency of the question answering, in process, over a question file × N rounds.

Usage: .venv/bin/python bench/qa_latency.py [QUESTIONS.jsonl] [--rounds 50]
Loads the sample programme into a temporary SQLite database, warms the cache once, then
times every answer. Prints p50/p99/max for the full service (understanding + database look-ups
+ rendering) and for the understanding step alone, and the ratio between them, measured in
the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

import bot.models  # noqa: F401
from bot import db
from bot.core import refdata
from bot.db import Base
from bot.features.qa.nlu_text import normalise
from bot.features.qa.service import _brain, answer_question
from bot.sample import import_sample

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "questions.dev.jsonl"


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0–1) in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def main(rows: list[dict], rounds: int) -> None:
    """Run the benchmark and print the figures."""
    args = argparse.Namespace(rounds=rounds)
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.init_db(f"sqlite+aiosqlite:///{tmp}/bench.db")
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        await import_sample()
        brain = await _brain()
        # In an update the context statement reads the reference-data counter; the answer
        # then checks its copy against it without a query of its own (bot/core/refdata.py).
        async with db.session_scope() as session:
            refdata.seen(await refdata.current(session))
        full, nlu = [], []
        for _ in range(args.rounds):
            # Whole-text normalisation is memoised; clear it so repeated rounds measure real
            # work, not cache hits (word stems stay cached: the vocabulary is small).
            normalise.cache_clear()
            for row in rows:
                t0 = time.perf_counter()
                await answer_question(row["text"], locale=row["lang"])
                full.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                brain.engine.understand(row["text"], locale=row["lang"])
                nlu.append(time.perf_counter() - t0)
        await db.dispose_db()
    n = len(full)
    print(f"questions: {len(rows)} x {args.rounds} rounds = {n} answers")
    print(
        f"full answer  p50 {pct(full, 0.5):7.3f} ms  p99 {pct(full, 0.99):7.3f} ms  "
        f"max {max(full) * 1000:7.3f} ms  mean {statistics.mean(full) * 1000:7.3f} ms"
    )
    print(
        f"understand   p50 {pct(nlu, 0.5):7.3f} ms  p99 {pct(nlu, 0.99):7.3f} ms  "
        f"max {max(nlu) * 1000:7.3f} ms"
    )
    print(f"ratio understand/full (p50): {pct(nlu, 0.5) / pct(full, 0.5):.3f}")
    print(f"throughput: {n / sum(full):.0f} answers/s on one core")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--rounds", type=int, default=50)
    cli = parser.parse_args()
    lines = Path(cli.file).read_text(encoding="utf-8").splitlines()
    asyncio.run(main([json.loads(x) for x in lines if x.strip()], cli.rounds))
