"""Drive the real Application through the Bot API double: one update in, the bot's messages out.

Shared by `python -m bot chat`, the demo, the tests and the benchmarks, so all of them take
the same path: Update JSON made by the double → PTB's Update.de_json → Application.process_update
→ handlers → Bot API calls over HTTP to the double.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from telegram import Update
from telegram.ext import Application

from bot.app import FAKE_TOKEN, build_application
from bot.config import Settings
from bot.dev.botapi import BotApiDouble, SentEvent


@dataclass
class Conversation:
    """An initialised Application wired to a running double."""

    app: Application
    double: BotApiDouble

    def user(self, user_id: int, name: str | None = None, lang: str | None = None) -> None:
        """Make a Telegram user known to the double (name and language as Telegram sends)."""
        known = self.double.state.users.get(user_id)
        if known and name is None and lang is None:
            return
        self.double.add_private_chat(
            user_id,
            name or (known or {}).get("first_name") or f"User{user_id}",
            language_code=lang if lang is not None else (known or {}).get("language_code"),
        )

    async def feed(self, raw: dict) -> list[SentEvent]:
        """Process one raw update and return what the bot sent meanwhile."""
        mark = self.double.seq
        await self.app.process_update(Update.de_json(raw, self.app.bot))
        return self.double.events_since(mark)

    async def send(
        self,
        user_id: int,
        text: str,
        *,
        lang: str | None = None,
        name: str | None = None,
        chat_id: int | None = None,
        reply_to: int | None = None,
    ) -> list[SentEvent]:
        """The user sends a text message (in their private chat unless chat_id is given)."""
        self.user(user_id, name, lang)
        raw = self.double.make_message_update(
            user_id, text, chat_id=chat_id, reply_to_message_id=reply_to
        )
        return await self.feed(raw)

    async def send_document(
        self,
        user_id: int,
        filename: str,
        body: bytes,
        *,
        caption: str | None = None,
        lang: str | None = None,
    ) -> list[SentEvent]:
        """The user sends a file as a document in their private chat."""
        self.user(user_id, None, lang)
        raw = self.double.make_document_update(user_id, filename, body, caption=caption)
        return await self.feed(raw)

    async def press(
        self, user_id: int, label_or_data: str, *, chat_id: int | None = None
    ) -> list[SentEvent]:
        """The user presses a button of the bot's last message with buttons in that chat."""
        chat = chat_id or user_id
        try:
            message_id, data = self.double.find_button(chat, label_or_data)
        except LookupError:
            # "--press 2" means the second button, as the demo numbers them.
            if not label_or_data.isdigit():
                raise
            message_id, data = self._nth_button(chat, int(label_or_data))
        raw = self.double.make_callback_update(user_id, message_id, data, chat_id=chat)
        return await self.feed(raw)

    def _nth_button(self, chat_id: int, n: int) -> tuple[int, str]:
        message = self.double.last_buttons_message(chat_id)
        rows = (message or {}).get("reply_markup", {}).get("inline_keyboard", [])
        data = [b["callback_data"] for row in rows for b in row if "callback_data" in b]
        if not 1 <= n <= len(data):
            raise LookupError(f"there is no button number {n} (the last reply has {len(data)})")
        return message["message_id"], data[n - 1]  # type: ignore[index]

    async def press_data(
        self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None
    ) -> list[SentEvent]:
        """Press with arbitrary callback data on a known message (forged-button tests)."""
        raw = self.double.make_callback_update(user_id, message_id, data, chat_id=chat_id)
        return await self.feed(raw)


@asynccontextmanager
async def conversation(
    settings: Settings,
    *,
    state: Path | None = None,
    files: Path | None = None,
    double: BotApiDouble | None = None,
    set_menus: bool = False,
    flood_control: bool = True,
) -> AsyncIterator[Conversation]:
    """Start a double (unless given) and an initialised Application talking to it over HTTP.

    `flood_control=False` builds the Application without its rate limiter (see
    `build_application`), for tests whose subject is not the pacing of sends.
    """
    own = double is None
    double = double or BotApiDouble(FAKE_TOKEN, state_path=state, files_dir=files)
    if own:
        await double.start()
    if settings.liaison_chat_id and settings.liaison_chat_id not in double.state.chats:
        double.add_group_chat(settings.liaison_chat_id, "Liaison officers")
    app = build_application(
        settings,
        base_url=double.base_url,
        base_file_url=double.base_file_url,
        set_menus=set_menus,
        flood_control=flood_control,
    )
    try:
        await app.initialize()
        if set_menus and app.post_init:
            await app.post_init(app)
        yield Conversation(app, double)
    finally:
        await app.shutdown()
        if own:
            await double.stop()
