"""A started Application behind the webhook's ASGI app, talking to the Bot API double."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from starlette.applications import Starlette

from bot import db
from bot.config import Settings
from bot.core import metrics
from bot.core.models import Person
from bot.dev.botapi import BotApiDouble
from bot.dev.harness import Conversation, conversation
from bot.web.app import SECRET_HEADER, create_app

# Shaped like a real token, so the generic token pattern of the log filter is exercised too.
TOKEN = "987654321:AAFw3hT0kX9qLm2ZpR7sV4yN8cJ1dE6bGuQ"
SECRET = "webhook-secret_0123456789abcdef"
HOOK_URL = "https://bot.example.org/hooks/telegram"
HOOK_PATH = "/hooks/telegram"


@dataclass
class Web:
    """The running bot, its ASGI app and a client speaking to the app in-process."""

    conv: Conversation
    asgi: Starlette
    client: httpx.AsyncClient
    settings: Settings

    @property
    def double(self) -> BotApiDouble:
        """The Bot API double the bot talks to."""
        return self.conv.double

    async def post(self, body: object, *, secret: str | None = SECRET) -> httpx.Response:
        """POST a body (a dict or list as JSON, bytes as they are) to the webhook path."""
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        if isinstance(body, bytes):
            return await self.client.post(HOOK_PATH, content=body, headers=headers)
        return await self.client.post(HOOK_PATH, json=body, headers=headers)

    async def drain(self, seconds: float = 60) -> None:
        """Wait until the Application has dispatched every queued update."""
        await asyncio.wait_for(self.conv.app.update_queue.join(), seconds)

    def counter(self, name: str, **labels: str) -> float:
        """A sample of the Application's metrics registry (0 when never incremented)."""
        registry = metrics.get(self.conv.app).registry
        return registry.get_sample_value(name, labels) or 0.0


def webhook_settings(settings: Settings) -> Settings:
    """The test settings with a token, a webhook URL and a secret."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "webhook_url": HOOK_URL,
            "webhook_secret": SecretStr(SECRET),
        }
    )


async def person_count() -> int:
    """How many people rows exist."""
    async with db.session_scope() as session:
        return (await session.execute(select(func.count()).select_from(Person))).scalar_one()


@pytest.fixture
async def web(settings: Settings, tmp_path) -> AsyncIterator[Web]:
    """The started Application, its webhook app and an in-process HTTP client."""
    cfg = webhook_settings(settings)
    async with (
        BotApiDouble(TOKEN, files_dir=tmp_path / "files") as double,
        conversation(cfg, double=double) as conv,
    ):
        await conv.app.start()
        try:
            asgi = create_app(conv.app, cfg)
            transport = httpx.ASGITransport(app=asgi)
            async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
                yield Web(conv, asgi, client, cfg)
        finally:
            await conv.app.stop()
