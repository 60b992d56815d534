"""Logging set-up for every command: plain text by default, JSON lines with LOG_FORMAT=json."""

from __future__ import annotations

import logging
import sys

from bot.config import Settings


def setup_logging(settings: Settings) -> None:
    """Configure the root logger once from the settings."""
    logging.basicConfig(
        level=getattr(logging, settings.log_level.upper(), logging.INFO),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Library chatter would drown the CLI's own output.
    for noisy in ("httpx", "telegram", "apscheduler", "tornado.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
