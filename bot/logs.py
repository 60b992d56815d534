"""Logging set-up for every command: plain text by default, JSON lines with LOG_FORMAT=json.

Whatever the format, a filter on the handler replaces the bot token and the webhook secret
with `[REDACTED]`: PTB and the Bot API client log request URLs (`…/bot123456:ABC…/sendMessage`) and
exceptions quote them, and a log line is no place for a credential. It also hides the
parameters SQLAlchemy quotes in database errors, which hold people's names and messages.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO

from bot.config import Settings

REDACTED = "[REDACTED]"
# Any Telegram bot token (digits, colon, 30+ url-safe characters), configured or not.
TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
# SQLAlchemy errors quote the statement's parameters: names, message texts, e-mails.
SQL_PARAMETERS = re.compile(r"\[parameters: .*?\]$", re.MULTILINE)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY = (
    "bot.core.http",
    "httpx",
    "httpcore",
    "telegram",
    "apscheduler",
    "tornado.access",
    "alembic",
    "uvicorn",
)
NOISY += ("matplotlib",)  # "generated new fontManager" on a machine's first chart


class RedactFilter(logging.Filter):
    """Replaces the given secrets (and anything shaped like a bot token) in every record."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        # Longest first, so a secret containing another is replaced whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` without any secret."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = SQL_PARAMETERS.sub(f"[parameters: {REDACTED}]", text)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted; pre-render the traceback redacted too."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO, UTC), level, logger, message, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the record; non-ASCII text stays readable."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def secrets_of(settings: Settings) -> list[str]:
    """The configured credentials a log line must never show."""
    found = []
    for secret in (settings.telegram_bot_token, settings.webhook_secret):
        if secret is not None:
            found.append(secret.get_secret_value())
    return found


def make_handler(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """A stream handler in the configured format, with the redaction filter installed."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RedactFilter(secrets_of(settings)))
    return handler


def setup_logging(settings: Settings) -> None:
    """Configure the root logger once from the settings."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(make_handler(settings))
    root.setLevel(getattr(logging, settings.log_level.upper(), logging.INFO))
    # Library chatter would drown the CLI's own output.
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
