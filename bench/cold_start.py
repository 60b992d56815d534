"""Cold start of `python -m bot run`: time to the first /start answered, and resident memory.

The benchmark starts the Bot API double, migrates a fresh database and imports the sample
(`python -m bot migrate`, `python -m bot import-sample`; not timed), then N times: queues a
/start from a new user, starts `python -m bot run` with TELEGRAM_BASE_URL pointing at the
double, and times from spawning the process to the double receiving the welcome message
(interpreter start, imports, Application set-up, first getUpdates, the /start handler).
The median is printed with every run. RSS (VmRSS from /proc) is read when the bot is ready
and, in the last run, again after 2 000 more updates (200 users × /start and 9 free-text
questions in en/zh/es/ru, closed loop, answers counted by the double).

    .venv/bin/python bench/cold_start.py             # 5 starts, SQLite
    .venv/bin/python bench/cold_start.py --quick     # 3 starts, 500 updates
    .venv/bin/python bench/cold_start.py --pg postgresql+asyncpg://postgres@127.0.0.1/db
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, TimedDouble, add_db_args, db_label, machine, proc_rss_mib, temp_database
from update_throughput import LANGS, questions

from bot.app import FAKE_TOKEN


def bot_env(url: str, tmp: Path, base_url: str = "") -> dict[str, str]:
    """Environment of the bot's process: only what the benchmark sets (no .env: cwd is tmp)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        DATABASE_URL=url,
        DATA_DIR=str(tmp / "data"),
        LOG_LEVEL="WARNING",
    )
    if base_url:
        env["TELEGRAM_BASE_URL"] = base_url
    return env


def bot_command(*args: str) -> list[str]:
    """`python -m bot …` with this interpreter."""
    return [sys.executable, "-m", "bot", *args]


async def start_once(double: TimedDouble, url: str, tmp: Path, uid: int):
    """One cold start; returns (seconds to the /start answer, RSS MiB then, the process)."""
    double.add_private_chat(uid, f"Cold{uid}", language_code="en")
    log = tmp / f"bot-{uid}.log"
    started = time.perf_counter()
    watch = double.push_watched(uid, double.make_message_update(uid, "/start"))
    proc = spawn(bot_command("run"), tmp, bot_env(url, tmp, double.base_url), log)
    watch.pushed = started
    try:
        await asyncio.wait_for(watch.done.wait(), 120)
    except TimeoutError:
        proc.kill()
        raise RuntimeError(f"no answer to /start; see {log}") from None
    return watch.first - started, proc_rss_mib(proc.pid), proc


def spawn(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start the bot with its output in `log` (the child keeps the file open)."""
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


async def stop(proc: subprocess.Popen) -> None:
    """SIGTERM and wait for a clean exit (the bot finishes in-flight updates)."""
    proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.to_thread(proc.wait, 30)
    except subprocess.TimeoutExpired:
        proc.kill()


def prepare(url: str, tmp: Path) -> None:
    """`python -m bot migrate` and `import-sample` on the fresh database (not timed)."""
    for step in ("migrate", "import-sample"):
        subprocess.run(
            bot_command(step), cwd=tmp, env=bot_env(url, tmp), check=True, capture_output=True
        )


async def load(double: TimedDouble, users: int) -> tuple[int, int]:
    """users × 10 texts (/start and 9 questions), closed loop; returns (updates, stalls)."""
    qs = questions()
    stalls = 0

    async def one(n: int) -> None:
        nonlocal stalls
        uid, lang = 2_000_000 + n, LANGS[n % len(LANGS)]
        double.add_private_chat(uid, f"User{n}", language_code=lang)
        texts = ["/start"] + [qs[lang][(n + k) % len(qs[lang])] for k in range(9)]
        for text in texts:
            watch = double.push_watched(uid, double.make_message_update(uid, text))
            try:
                await asyncio.wait_for(watch.done.wait(), 30)
            except TimeoutError:
                stalls += 1

    await asyncio.gather(*(one(n) for n in range(users)))
    return users * 10, stalls


async def main(args) -> None:
    """Prepare the database once, then start the bot N times; memory after the load."""
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        async with temp_database(args.pg, tmp, "cold", schema=False) as url:
            await asyncio.to_thread(prepare, url, tmp)
            double = TimedDouble(FAKE_TOKEN, files_dir=tmp / "files")
            await double.start()
            print(f"`python -m bot run`, {db_label(url)}, migrated, sample imported")
            times = []
            try:
                for run in range(args.runs):
                    ready, rss, proc = await start_once(double, url, tmp, 1000 + run)
                    times.append(ready)
                    last = run == args.runs - 1
                    if last:
                        t0 = time.perf_counter()
                        updates, stalls = await load(double, args.users)
                        took = time.perf_counter() - t0
                        rss_after = proc_rss_mib(proc.pid)
                    await stop(proc)
                    print(f"  start {run + 1}: ready in {ready:5.2f} s, RSS {rss:5.1f} MiB")
            finally:
                await double.stop()
    print(
        f"ready (first /start answered): median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} starts"
    )
    print(
        f"RSS: {rss:.1f} MiB when ready, {rss_after:.1f} MiB after {updates} more updates "
        f"({updates / took:.0f} upd/s, stalls {stalls}); growth {rss_after - rss:+.1f} MiB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 starts, 50 users")
    parser.add_argument("--runs", type=int, help="cold starts (default 5, quick 3)")
    parser.add_argument("--users", type=int, help="users × 10 updates (default 200, quick 50)")
    add_db_args(parser)
    cli = parser.parse_args()
    cli.runs = cli.runs or (3 if cli.quick else 5)
    cli.users = cli.users or (50 if cli.quick else 200)
    asyncio.run(main(cli))
