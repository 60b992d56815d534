"""liaison-bot's command line: run the bot, manage its database and data, try it offline."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot import db
from bot.config import Settings, get_settings
from bot.core.fonts import check_fonts
from bot.logs import setup_logging

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


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
    if args.what == "applications":
        from bot.features.applications.export import run_cli as applications_cli

        if not args.course:
            print("export applications needs --course CODE", file=sys.stderr)
            return 2
        fmt = args.format or "xlsx"
        return await applications_cli(args.course, fmt, args.out, args.lang)
    from bot.features.exports.cli import run_cli

    return await run_cli(args, settings)


async def cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    """Schedule follow-ups and deliver every due outbox row once."""
    from bot.features.followups.tick import run_cli

    if not await open_db(settings):
        return 1
    return await run_cli(args, settings)


async def cmd_places(args: argparse.Namespace, settings: Settings) -> int:
    """Resolve city names against GeoNames (no database needed)."""
    from bot.features.places.cli import run_cli

    return await run_cli(args, settings)


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Interactive terminal chat on a local SQLite database with the sample data."""
    from bot.dev.demo import run_demo

    check_fonts()
    return await run_demo(args, settings)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("migrate", help="upgrade the database schema")
    p.add_argument("--revision", default="head")
    p.add_argument("--downgrade", metavar="REVISION")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("import-sample", help="load the bundled 2018 plan and 2017 results")
    p.set_defaults(func=cmd_import_sample)

    p = sub.add_parser("stats", help="yearly statistics")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--charts", metavar="DIR", help="write the year's charts (PNG) into DIR")
    p.add_argument("--lang", default="ko", help="language of the charts and text (default ko)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("import", help="import courses, schedules and results from XLSX or CSV")
    p.add_argument("file", nargs="?", help="the .xlsx or .csv file")
    p.add_argument("--dry-run", action="store_true", help="validate only, change nothing")
    p.add_argument("--template", metavar="OUT", help="write the import template to OUT")
    p.add_argument("--lang", default="ko", help="language of the report (default ko)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("privacy", help="personal data: export, erase, retention purge")
    psub = p.add_subparsers(dest="action", required=True)
    q = psub.add_parser("mydata", help="everything stored about one person, as JSON")
    q.add_argument("--telegram-id", type=int, required=True)
    q.add_argument("--out", help="write the JSON here instead of stdout")
    q = psub.add_parser("forget", help="erase one person's personal data")
    q.add_argument("--telegram-id", type=int, required=True)
    q.add_argument("--yes", action="store_true", help="do it (otherwise only show what goes)")
    q = psub.add_parser("purge", help="erase personal data older than the retention period")
    q.add_argument("--now", default=None, help="the clock, ISO (Seoul time if naive)")
    q.add_argument("--dry-run", action="store_true")
    p.set_defaults(func=cmd_privacy)

    p = sub.add_parser("audit", help="recent privileged actions")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--out", help="write an XLSX (or .csv) of the log instead of printing")
    p.add_argument("--lang", default="ko")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("run", help="run the bot against Telegram (long polling)")
    p.add_argument("--migrate", action="store_true", help="upgrade the schema before starting")
    p.add_argument(
        "--webhook", action="store_true", help="serve a webhook (also when WEBHOOK_URL is set)"
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("health", help="exit 0 when the database is reachable and migrated")
    p.set_defaults(func=cmd_health)

    p = sub.add_parser("chat", help="send one message or button press to the bot, offline")
    p.add_argument("--as", dest="user_id", type=int, required=True, help="Telegram user id")
    p.add_argument("--name", default=None, help="first name (default: User<ID>)")
    p.add_argument("--lang", default=None, help="Telegram language_code, e.g. ru, zh-hans")
    p.add_argument("--now", default=None, help="the bot's clock, ISO (Seoul time if naive)")
    p.add_argument("--chat", dest="chat_id", type=int, default=None, help="a group chat id")
    p.add_argument("--reply-to", default=None, help="message id to reply to, or 'last'")
    p.add_argument("--json", action="store_true", help="one JSON object per bot message")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("text", nargs="?", help="the message text")
    group.add_argument("--press", help="a button of the bot's last reply: its text or data")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("ask", help="answer a question as the bot would (free text)")
    p.add_argument("--lang", default=None, help="the asker's language (en, zh, es, ru)")
    p.add_argument("--json", action="store_true", help="one JSON object per answer")
    p.add_argument("--batch", action="store_true", help='JSON lines {"lang","text"} on stdin')
    p.add_argument("--now", default=None, help="the bot's clock, ISO (Seoul time if naive)")
    p.add_argument("text", nargs="?")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("qa-score", help="score the question answering on a labelled file")
    p.add_argument("file", nargs="+")
    p.add_argument("--threshold", type=float, default=0.0)
    p.add_argument(
        "--intent-only", action="store_true", help="score intents only, print no misses"
    )
    p.set_defaults(func=cmd_qa_score)

    p = sub.add_parser("export", help="export data for staff to a spreadsheet")
    p.add_argument(
        "what",
        choices=[
            "applications",
            "workbook",
            "courses",
            "postcards",
            "followups",
            "evaluations",
            "surveys",
        ],
        help="applications of one course, the whole workbook, or one of its sheets",
    )
    p.add_argument("--course", help="course code, e.g. 2018-08 (applications; else a filter)")
    p.add_argument("--year", type=int, help="only this year's courses")
    p.add_argument("--format", choices=["xlsx", "csv"], default=None)
    p.add_argument("--out", required=True, help="the file to write")
    p.add_argument("--lang", default="ko", help="language of the headers (default: ko)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("tick", help="schedule follow-ups and send what is due, once")
    p.add_argument("--now", default=None, help="the bot's clock, ISO (Seoul time if naive)")
    p.add_argument("--json", action="store_true", help="one JSON object per outbox row")
    p.add_argument(
        "--offline", action="store_true", help="use the chat double even if a token is set"
    )
    p.set_defaults(func=cmd_tick)

    p = sub.add_parser("places", help="what city a name means (GeoNames, any script)")
    places = p.add_subparsers(dest="places_command", required=True)
    p = places.add_parser("resolve", help="resolve a name, or one per stdin line with --batch")
    p.add_argument("text", nargs="*")
    p.add_argument("--batch", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_places)

    p = sub.add_parser("demo", help="interactive offline chat with the sample programme")
    p.add_argument("--as", dest="user_id", type=int, default=1001)
    p.add_argument("--name", default="Demo")
    p.add_argument("--lang", default="en")
    p.add_argument("--now", default=None, help="the bot's clock (default: 2018-01-02 10:00)")
    p.add_argument("--fresh", action="store_true", help="start over on a new demo database")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m bot` and the `liaison-bot` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = get_settings()
    setup_logging(settings)

    async def runner() -> int:
        try:
            return await args.func(args, settings)
        finally:
            await db.dispose_db()

    try:
        code = asyncio.run(runner())
    except KeyboardInterrupt:
        code = 130
    except OSError as exc:
        print(f"Cannot reach the database or a service: {exc}", file=sys.stderr)
        code = 1
    sys.exit(code)
