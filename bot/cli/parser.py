"""The argument parser of `python -m bot`: every subcommand and its options."""

from __future__ import annotations

import argparse

from bot.cli.commands import (
    cmd_ask,
    cmd_audit,
    cmd_chat,
    cmd_demo,
    cmd_export,
    cmd_health,
    cmd_import,
    cmd_import_sample,
    cmd_migrate,
    cmd_places,
    cmd_privacy,
    cmd_qa_score,
    cmd_run,
    cmd_stats,
    cmd_tick,
)

DESCRIPTION = (
    "liaison-bot's command line: run the bot, manage its database and data, try it offline."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=DESCRIPTION)
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
