"""The commands of `python -m bot`: each receives the parsed arguments and the settings.

Each command imports what it uses inside its body, so that `health` or `migrate` do not pay at
start-up for matplotlib, scikit-learn and every feature (the function-level imports below).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot import clock, db
from bot.config import Settings
from bot.core.fonts import check_fonts


async def ensure_schema(settings: Settings, *, auto: bool) -> bool:
    """Migrate (auto) or check that the schema is current; False with a message otherwise."""
    from bot import migrate

    url = settings.db_url
    if auto:
        await asyncio.to_thread(migrate.upgrade, url)
        return True
    if not await migrate.schema_is_current(url):
        print(
            "The database schema is not up to date. Run `python -m bot migrate` first.",
            file=sys.stderr,
        )
        return False
    return True


async def open_db(settings: Settings) -> bool:
    """Check the schema is current and initialise the engine; False (with a message) if not."""
    if not await ensure_schema(settings, auto=False):
        return False
    db.init_db(settings.db_url)
    return True


async def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade (or downgrade) the schema."""
    from bot import migrate

    if args.downgrade:
        await asyncio.to_thread(migrate.downgrade, settings.db_url, args.downgrade)
    else:
        await asyncio.to_thread(migrate.upgrade, settings.db_url, args.revision)
    print(f"Database at revision {await migrate.current_revision(settings.db_url)}.")
    return 0


async def cmd_import_sample(args: argparse.Namespace, settings: Settings) -> int:
    """Load the bundled 2018 plan and 2017 results."""
    from bot.sample import import_sample

    if not await open_db(settings):
        return 1
    changed = await import_sample(settings.timezone)
    if not changed:
        print("Sample data already loaded: nothing changed.")
    else:
        print("Sample data loaded: " + ", ".join(f"{v} {k}" for k, v in changed.items()) + ".")
    return 0


async def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Print a year's statistics (and write its charts with --charts DIR)."""
    from bot.features.stats.cli import run_cli

    if not await open_db(settings):
        return 1
    return await run_cli(args, settings)


async def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Import courses, schedules and results from XLSX/CSV, or write the template."""
    from bot.features.importer.cli import run_cli

    if args.template:
        return await run_cli(args, settings)
    if not await open_db(settings):
        return 1
    return await run_cli(args, settings)


async def cmd_privacy(args: argparse.Namespace, settings: Settings) -> int:
    """A person's data (mydata), erasure (forget) and the retention purge."""
    from bot.features.privacy.cli import run_cli

    if not await open_db(settings):
        return 1
    return await run_cli(args, settings)


async def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    """Print (or export) recent privileged actions."""
    from bot.features.audit.cli import run_cli

    if not await open_db(settings):
        return 1
    return await run_cli(args, settings)


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot against Telegram: long polling, or a webhook server."""
    from bot.runner import run_polling

    if settings.telegram_bot_token is None and not settings.telegram_base_url:
        print(
            "TELEGRAM_BOT_TOKEN is not set: get one from @BotFather and set it.", file=sys.stderr
        )
        return 2
    if not await ensure_schema(settings, auto=args.migrate):
        return 1
    check_fonts()  # one line at start: which scripts postcards and charts can draw
    await _warm_places(settings)
    if args.webhook or settings.webhook_url:
        from bot.web.server import run_webhook

        return await run_webhook(settings)
    await run_polling(settings)
    return 0


async def _warm_places(settings: Settings) -> None:
    # Build the GeoNames city index now (seconds, once per data directory), not while the
    # first trainee waits for the answer to the city question.
    from bot.features.places import default_index

    await asyncio.to_thread(default_index(settings.places_path).get, 0)


async def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when the database answers and is migrated (for container health checks)."""
    from bot import migrate

    try:
        current = await migrate.schema_is_current(settings.db_url)
    except Exception as exc:
        print(f"unhealthy: database unreachable: {exc}", file=sys.stderr)
        return 1
    print("ok" if current else "unhealthy: schema not migrated")
    return 0 if current else 1


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Send one update through the local Bot API double and print the bot's messages."""
    from bot.dev.chat import chat_once

    return await chat_once(args, settings)


async def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer questions through the bot's question-answering service."""
    from bot.features.qa.ask import run_ask

    if not await open_db(settings):
        return 1
    return await run_ask(args, settings)


async def cmd_qa_score(args: argparse.Namespace, settings: Settings) -> int:
    """Score the question answering on a labelled JSONL file; exit 1 below the threshold."""
    from pathlib import Path

    from bot.features.qa.evaluate import read_questions, score_rows

    if not await open_db(settings):
        return 1
    rows = [row for name in args.file for row in read_questions(Path(name))]
    score = await score_rows(rows, intent_only=args.intent_only)
    # Held-out sets are scored without their misses: reading them would be tuning on them.
    print(score.report(misses=not args.intent_only))
    return 0 if score.accuracy >= args.threshold else 1


async def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write staff data (a course's applications, or the workbook and its sheets) to a file."""
    if not await open_db(settings):
        return 1
    from bot.features.exports.cli import applications_cli, run_cli

    if args.what == "applications":
        if not args.course:
            print("export applications needs --course CODE", file=sys.stderr)
            return 2
        fmt = args.format or "xlsx"
        return await applications_cli(args.course, fmt, args.out, args.lang)
    return await run_cli(args, settings)


async def cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    """Schedule follow-ups and deliver every due outbox row once."""
    if not await open_db(settings):
        return 1
    now = clock.parse_instant(args.now, settings.timezone) if args.now else clock.utcnow()
    # Rendering and after-send hooks read the clock too: all of them see the same instant.
    clock.freeze(now)
    if settings.telegram_bot_token is None or args.offline:
        from bot.dev.tick import tick_offline

        return await tick_offline(args, settings, now)
    from bot.app import build_application
    from bot.features.followups.cli import run_cli

    app = build_application(settings, set_menus=False)
    await app.initialize()
    try:
        await run_cli(args, app.bot, app.bot_data.outbox_senders, now)
    finally:
        await app.shutdown()
    return 0


async def cmd_places(args: argparse.Namespace, settings: Settings) -> int:
    """Resolve city names against GeoNames (no database needed)."""
    from bot.features.places.cli import run_cli

    return await run_cli(args, settings)


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Interactive terminal chat on a local SQLite database with the sample data."""
    from bot.dev.demo import run_demo

    check_fonts()
    return await run_demo(args, settings)
