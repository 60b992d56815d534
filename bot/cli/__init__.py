"""liaison-bot's command line: run the bot, manage its database and data, try it offline."""

from __future__ import annotations

import asyncio
import sys

from bot import clock, db
from bot.cli.parser import build_parser
from bot.config import get_settings
from bot.logs import setup_logging

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m bot` and the `liaison-bot` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = get_settings()
    clock.set_zone(settings.timezone)
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
