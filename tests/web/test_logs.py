"""LOG_FORMAT=json: one parseable object per line, and no credential in any format."""

from __future__ import annotations

import io
import json
import logging

from pydantic import SecretStr

from bot.logs import REDACTED, RedactFilter, make_handler
from tests.web.conftest import SECRET, TOKEN, Web


def capture(settings, fmt: str) -> tuple[io.StringIO, logging.Handler]:
    """A handler of the given format on the root logger, writing into a buffer."""
    stream = io.StringIO()
    handler = make_handler(settings.model_copy(update={"log_format": fmt}), stream)
    logging.getLogger().addHandler(handler)
    return stream, handler


async def test_json_lines_parse_and_never_show_the_token(web: Web):
    """The client logs every Bot API URL (which holds the token): JSON lines, redacted."""
    stream, handler = capture(web.settings, "json")
    httpx_log = logging.getLogger("bot.core.http")
    level = httpx_log.level
    httpx_log.setLevel(logging.INFO)
    try:
        web.conv.user(4242, "Lucía", "es")
        await web.post(web.double.make_message_update(4242, "/start"))
        await web.drain()
        try:
            raise RuntimeError(f"failed POST /bot{TOKEN}/sendMessage secret={SECRET}")
        except RuntimeError:
            logging.getLogger("bot.test").exception("boom %s", "ünïcödé")
    finally:
        httpx_log.setLevel(level)
        logging.getLogger().removeHandler(handler)
    lines = stream.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]
    assert any(e["logger"] == "bot.core.http" and "/sendMessage" in e["message"] for e in entries)
    assert all(TOKEN not in line and SECRET not in line for line in lines)
    assert all({"time", "level", "logger", "message"} <= e.keys() for e in entries)
    assert all(e["time"].endswith("+00:00") for e in entries)
    [boom] = [e for e in entries if e["logger"] == "bot.test"]
    assert boom["level"] == "ERROR"
    assert boom["message"] == "boom ünïcödé"
    assert "RuntimeError" in boom["exc_info"] and REDACTED in boom["exc_info"]


def test_text_format_is_redacted_too(settings):
    """The plain format hides the configured token, the secret and token-shaped strings."""
    stream, handler = capture(
        settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(TOKEN),
                "webhook_secret": SecretStr(SECRET),
            }
        ),
        "text",
    )
    try:
        log = logging.getLogger("bot.test")
        log.warning("url %s and %s", f"https://api.telegram.org/bot{TOKEN}/getMe", SECRET)
        log.warning("another bot: 1234567:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    finally:
        logging.getLogger().removeHandler(handler)
    out = stream.getvalue()
    assert TOKEN not in out and SECRET not in out and "1234567:AAAA" not in out
    assert out.count(REDACTED) == 3


def test_filter_keeps_records_with_bad_format_strings():
    """A record whose arguments do not fit its format is still logged, not dropped."""
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d items", ("many",), None)
    assert RedactFilter([SECRET]).filter(record)
    assert record.getMessage() == "%d items"


def test_database_error_parameters_are_hidden():
    """SQLAlchemy quotes a failed statement's parameters (names, texts): not in the log."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    log = logging.getLogger("bot.test.sql")
    log.addHandler(handler)
    try:
        try:
            raise ValueError(
                "(sqlalchemy.exc.DataError) value too long\n[SQL: INSERT INTO people "
                "(first_name, email) VALUES ($1, $2)]\n"
                "[parameters: ('Lucía', 'lucia@example.org')]"
            )
        except ValueError:
            log.exception("insert failed")
    finally:
        log.removeHandler(handler)
    out = stream.getvalue()
    assert "INSERT INTO people" in out
    assert "Lucía" not in out and "lucia@example.org" not in out
