"""Updates per second through the whole bot, next to a bare PTB echo bot, in one run.

Simulated users (default 200 × 10 updates) talk to the Bot API double; the bot under test
runs in its own process and long-polls the double over HTTP, exactly as `python -m bot run`
does against Telegram. Each user's script mixes every kind of work in their own language
(en/zh/es/ru): /start, two free-text questions (question answering), /courses and two
button presses (catalogue browsing, message edits), /apply, choosing a course and two form
answers (database writes). Users are closed-loop: each sends its next update once the bot
has answered the previous one, all users at the same time.

The same load (same texts, same number of button presses) then goes to a bare
python-telegram-bot Application with one MessageHandler echoing text and one
CallbackQueryHandler answering presses. Neither has a rate limiter and the double enforces
no flood limits: both would otherwise be held to Telegram's 30 messages/s and 1/s per chat,
which would measure the limiter, not the bot (--limiter puts the bot's FloodControl on
both, to see that ceiling). Printed: updates/s, CPU of the bot's process per update,
latency from the update being queued in the double to the bot's first answer (message,
edit or answered button) and to its last answer, and the ratios bot/echo.

    .venv/bin/python bench/update_throughput.py                 # 200 users, SQLite
    .venv/bin/python bench/update_throughput.py --quick         # 40 users
    .venv/bin/python bench/update_throughput.py --pg postgresql+asyncpg://postgres@127.0.0.1/db
    .venv/bin/python bench/update_throughput.py --profile       # where the bot's time goes
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing as mp
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from _common import (
    ROOT,
    TimedDouble,
    add_db_args,
    db_label,
    machine,
    pct,
    proc_cpu,
    proc_rss_mib,
    temp_database,
)

from bot.app import FAKE_TOKEN

QUESTIONS = ROOT.parent / "shared" / "eval" / "questions.dev.jsonl"
LANGS = ("en", "zh", "es", "ru")
# Applications for the sample plan's first courses are open on this day.
T0 = datetime(2018, 1, 5, 1, 0, tzinfo=UTC)
FORM = {
    "en": ("Grace Wanjiru Mwangi", "Kenya"),
    "zh": ("王伟", "中国"),
    "es": ("María José Rodríguez Peña", "Argentina"),
    "ru": ("Иван Петрович Сидоров", "Россия"),
}
FALLBACK_QUESTIONS = {
    "en": ["When is the water management course?", "Who pays for the flight?"],
    "zh": ["水资源管理课程什么时候？", "谁支付机票？"],
    "es": ["¿Cuándo es el curso de gestión del agua?", "¿Quién paga el vuelo?"],
    "ru": ["Когда курс по управлению водными ресурсами?", "Кто оплачивает перелёт?"],
}


def questions() -> dict[str, list[str]]:
    """Free-text questions per language (the dev evaluation set when present)."""
    if not QUESTIONS.exists():
        return FALLBACK_QUESTIONS
    found: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            found.setdefault(row["lang"], []).append(row["text"])
    return {lang: found[lang] or FALLBACK_QUESTIONS[lang] for lang in LANGS}


def script(qs: dict[str, list[str]], lang: str, n: int) -> list[tuple[str, str]]:
    """The ten updates of user number n: (\"text\", text) or (\"press\", callback data prefix)."""
    pool = qs[lang]
    name, country = FORM[lang]
    return [
        ("text", "/start"),
        ("text", pool[n % len(pool)]),
        ("text", "/courses"),
        ("press", "crs:p:m:"),  # browse by month
        ("press", "crs:m:"),  # the first month's courses
        ("text", pool[(n + 7) % len(pool)]),
        ("text", "/apply"),
        ("press", "ap:new:"),  # the first open course: a draft application is written
        ("text", name),
        ("text", country),
    ]


# ----------------------------------------------------------------- the process under test


def echo_application(base_url: str, limiter: bool):
    """The baseline: a bare PTB Application echoing text and answering button presses."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, MessageHandler, filters

    from bot.core.ratelimit import FloodControl

    async def echo(update: Update, _context) -> None:
        await update.effective_message.reply_text(update.effective_message.text)

    async def answer(update: Update, _context) -> None:
        await update.callback_query.answer()

    builder = ApplicationBuilder().token(FAKE_TOKEN).base_url(base_url)
    if limiter:
        builder = builder.rate_limiter(FloodControl(max_retries=3))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(answer))
    return app


def bot_application(base_url: str, db_url: str, data_dir: str, limiter: bool):
    """The real Application of `python -m bot run` (build_application), clock at T0."""
    from bot import clock, db
    from bot.app import build_application
    from bot.config import Settings

    clock.freeze(T0)
    db.init_db(db_url)
    settings = Settings(
        _env_file=None,
        database_url=db_url,
        data_dir=Path(data_dir),
        timezone="Asia/Seoul",
        default_locale="en",
    )
    app = build_application(settings, base_url=base_url, set_menus=False)
    if not limiter:
        # build_application always installs FloodControl; the comparison runs without any
        # limiter (see the module docstring), so take it out of this process's Bot.
        app.bot._rate_limiter = None
    return app


async def _poll(app, ready, stop) -> None:
    from telegram import Update

    async with app:
        await app.start()
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        ready.set()
        await asyncio.to_thread(stop.wait)
        await app.updater.stop()
        await app.stop()


def serve(target: str, base_url: str, db_url: str, data_dir: str, opts: dict, ready, stop):
    """Child process: build the target Application and long-poll the double until stopped."""
    logging.basicConfig(level=logging.ERROR)
    if target == "bot":
        app = bot_application(base_url, db_url, data_dir, opts["limiter"])
    else:
        app = echo_application(base_url, opts["limiter"])
    profile = opts.get("profile")
    if not profile:
        asyncio.run(_poll(app, ready, stop))
        return
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(asyncio.run, _poll(app, ready, stop))
        with open(profile, "w") as out:
            stats = pstats.Stats(prof, stream=out)
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumulative").print_stats(60)
        return
    profiler = Profiler(async_mode="disabled")
    profiler.start()
    asyncio.run(_poll(app, ready, stop))
    profiler.stop()
    Path(profile).write_text(profiler.output_text(show_all=False, color=False))


# --------------------------------------------------------------------- load and figures


@dataclass
class Result:
    """Figures of one target under the load."""

    target: str
    updates: int
    wall: float
    cpu: float
    rss: float
    double_cpu: float = 0.0
    extra: int = 0
    first: list[float] = field(default_factory=list)
    last: list[float] = field(default_factory=list)
    stalls: int = 0


def build(double: TimedDouble, target: str, uid: int, step: tuple[str, str]) -> dict:
    """The raw update of one step; a press uses the bot's latest buttons (echo: any message)."""
    kind, value = step
    if kind == "text":
        return double.make_message_update(uid, value)
    if target == "echo":
        return double.press(uid, double.state.messages[uid][-1]["message_id"], value)
    message = double.last_buttons_message(uid) or {}
    for row in message.get("reply_markup", {}).get("inline_keyboard", []):
        for button in row:
            if button.get("callback_data", "").startswith(value):
                return double.press(uid, message["message_id"], button["callback_data"])
    raise LookupError(f"user {uid}: no button {value}… in the bot's last buttons message")


async def calibrate(double: TimedDouble, target: str, uid: int, steps, settle: float) -> list:
    """Run one user alone and count the answers to each step (the closed loop waits for them)."""
    counts = []
    for step in steps:
        watch = double.push_watched(uid, build(double, target, uid, step), expect=1)
        await asyncio.wait_for(watch.done.wait(), 60)
        seen = -1
        while seen != watch.count:  # no new answer for `settle` seconds: the step is done
            seen = watch.count
            await asyncio.sleep(settle)
        counts.append(watch.count)
    return counts


async def user(double, target, uid, steps, expects, result: Result) -> None:
    """One closed-loop user: send, wait for every answer of the step, send the next."""
    for step, expect in zip(steps, expects, strict=True):
        watch = double.push_watched(uid, build(double, target, uid, step), expect=max(expect, 1))
        try:
            await asyncio.wait_for(watch.done.wait(), 30)
        except TimeoutError:
            result.stalls += 1
            if watch.first is None:
                continue
        result.first.append(watch.first - watch.pushed)
        result.last.append(watch.last - watch.pushed)


async def run_target(target: str, args, tmp: Path, db_url: str) -> Result:
    """Start the double and the target process, calibrate, run the load, collect figures."""
    double = TimedDouble(FAKE_TOKEN, files_dir=tmp / f"files-{target}")
    await double.start()
    ctx = mp.get_context("spawn")
    ready, stop = ctx.Event(), ctx.Event()
    opts = {"limiter": args.limiter, "profile": str(tmp / f"profile-{target}.txt")}
    if not args.profile or target != "bot":
        opts["profile"] = None
    proc = ctx.Process(
        target=serve, args=(target, double.base_url, db_url, str(tmp / "data"), opts, ready, stop)
    )
    proc.start()
    try:
        if not await asyncio.to_thread(ready.wait, 120):
            raise RuntimeError(f"{target} did not start")
        qs = questions()
        expects = {}
        for i, lang in enumerate(LANGS):  # also warms caches, connections, imports
            uid = 900_000 + i
            double.add_private_chat(uid, f"Warm{i}", language_code=lang)
            # With the limiter a chat's answers are spaced ~1 s apart: settle longer.
            settle = 1.2 if args.limiter else 0.15 if args.quick else 0.3
            expects[lang] = await calibrate(double, target, uid, script(qs, lang, i), settle)
        users = []
        for n in range(args.users):
            uid, lang = 1_000_000 + n, LANGS[n % len(LANGS)]
            double.add_private_chat(uid, f"User{n}", language_code=lang)
            users.append((uid, script(qs, lang, n), expects[lang]))
        result = Result(target, args.users * 10, 0.0, 0.0, 0.0)
        seen0 = double.answers_seen
        cpu0, own0, t0 = proc_cpu(proc.pid), proc_cpu(), time.perf_counter()
        await asyncio.gather(*(user(double, target, u, s, e, result) for u, s, e in users))
        result.wall = time.perf_counter() - t0
        result.cpu = proc_cpu(proc.pid) - cpu0
        result.double_cpu = proc_cpu() - own0
        # More answers than calibrated would let a user run ahead of the bot unnoticed.
        result.extra = double.answers_seen - seen0 - sum(sum(e) for _, _, e in users)
        result.rss = proc_rss_mib(proc.pid)
        if args.verbose:
            print(f"  {target}: answers per step {expects}")
        return result
    finally:
        stop.set()
        await asyncio.to_thread(proc.join, 60)
        if proc.is_alive():
            proc.kill()
        await double.stop()
        if opts["profile"]:
            show_profile(Path(opts["profile"]), args.profile_chars)


def show_profile(path: Path, chars: int) -> None:
    """Print the start of the profile the bot's process wrote."""
    if path.exists():
        print(path.read_text()[:chars])


def line(r: Result) -> str:
    """One printed row."""
    return (
        f"{r.target:5} {r.updates:6} updates {r.wall:7.2f} s {r.updates / r.wall:8.1f} upd/s  "
        f"CPU {r.cpu / r.updates * 1000:6.2f} ms/upd  "
        f"first answer p50 {pct(r.first, 0.5):7.1f} p99 {pct(r.first, 0.99):7.1f} ms  "
        f"last answer p50 {pct(r.last, 0.5):7.1f} p99 {pct(r.last, 0.99):7.1f} ms  "
        f"RSS {r.rss:5.0f} MiB  stalls {r.stalls} extra answers {r.extra}  (double+load CPU "
        f"{r.double_cpu / r.updates * 1000:.2f} ms/upd)"
    )


async def main(args) -> None:
    """Seed the database, measure the echo bot, then the bot, and print both and the ratios."""
    from bot import db
    from bot.sample import import_sample

    logging.basicConfig(level=logging.ERROR)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        async with temp_database(args.pg, tmp, "throughput") as url:
            db.init_db(url)
            await import_sample()
            await db.dispose_db()
            limits = "bot's FloodControl on both" if args.limiter else "no rate limiter on either"
            print(
                f"{args.users} users x 10 updates, {db_label(url)}, double without flood "
                f"limits, {limits}; bot and echo each in their own process, double + load "
                "in this one"
            )
            results = {t: await run_target(t, args, tmp, url) for t in ("echo", "bot")}
    for r in results.values():
        print(line(r))
    echo, bot = results["echo"], results["bot"]
    ratio = (bot.updates / bot.wall) / (echo.updates / echo.wall)
    print(f"ratio bot/echo throughput: {ratio:.3f} (aim >= 0.5)")
    print(
        f"ratio bot/echo CPU per update: {bot.cpu / echo.cpu:.2f}; "
        f"first-answer p50 bot/echo: {pct(bot.first, 0.5) / pct(echo.first, 0.5):.2f}; "
        f"mean first answer bot {statistics.mean(bot.first) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 users (for CI)")
    parser.add_argument("--users", type=int, help="simulated users (default 200, quick 40)")
    parser.add_argument("--limiter", action="store_true", help="FloodControl on both bots")
    parser.add_argument("--profile", action="store_true", help="profile the bot's process")
    parser.add_argument("--profile-chars", type=int, default=12000)
    parser.add_argument("--verbose", action="store_true")
    add_db_args(parser)
    cli = parser.parse_args()
    cli.users = cli.users or (40 if cli.quick else 200)
    asyncio.run(main(cli))
