"""Fixtures of the fault tests: a rate-limited Bot API double in the test's event loop."""

from __future__ import annotations

import pytest

from bot.app import FAKE_TOKEN
from bot.dev.botapi import BotApiDouble
from tests.conftest import PG_URL

needs_pg = pytest.mark.skipif(
    not PG_URL,
    reason="several bot processes share one PostgreSQL (SQLite is single-host; set "
    "TEST_DATABASE_URL)",
)


@pytest.fixture
async def double(tmp_path):
    """A Bot API double that answers 429 above Telegram's limits, like Telegram."""
    double = BotApiDouble(FAKE_TOKEN, files_dir=tmp_path / "files", enforce_limits=True)
    await double.start()
    yield double
    await double.stop()


@pytest.fixture
def bot_app(settings):
    """The Application as built for running (its on_stop callbacks registered), not started."""
    from bot.app import build_application

    return build_application(settings, base_url="http://127.0.0.1:9/bot", set_menus=False)
