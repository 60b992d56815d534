"""`python -m bot demo`: an interactive terminal chat with the bot on the sample programme."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys

from bot import clock
from bot.config import Settings
from bot.dev.botapi import SentEvent
from bot.dev.chat import offline_settings, prepare_database
from bot.dev.harness import conversation

INTRO = """liaison-bot demo — you are Telegram user {uid} ({lang}); the bot's clock is {now}.
You have just sent /start. Type a message and press Enter. Buttons appear as [1] [2] …: type
the number to press one. /quit ends the demo. Everything is stored in {db}
(kept between runs; --fresh starts over, e.g. to be greeted in another --lang).
"""


async def _read(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


async def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Chat with the bot in the terminal until /quit or end of input."""
    # The demo always uses its own SQLite file so it never touches a real database.
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    files = settings.data_dir / "demo-files"
    if args.fresh:
        (settings.data_dir / "demo.db").unlink(missing_ok=True)
        shutil.rmtree(files, ignore_errors=True)  # the double's chats and files go with it
    demo_db = f"sqlite+aiosqlite:///{(settings.data_dir / 'demo.db').resolve()}"
    demo_settings = offline_settings(settings).model_copy(update={"database_url": demo_db})
    now = clock.parse_instant(args.now or "2018-01-02T10:00", settings.timezone)
    clock.freeze(now)
    await prepare_database(demo_settings)
    shown = now.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z")
    print(INTRO.format(uid=args.user_id, lang=args.lang, now=shown, db=demo_settings.db_url))
    async with conversation(demo_settings, files=files) as conv:
        double = conv.double
        conv.user(args.user_id, args.name, args.lang)
        buttons: list[tuple[int, str]] = []
        raw: dict | None = double.make_message_update(args.user_id, "/start")
        while True:
            if raw is not None:
                # Keep the previous buttons pressable when a reply carries none.
                buttons = _show(await conv.feed(raw), args.user_id) or buttons
            line = await _read("you> ")
            if line is None or line.strip() == "/quit":
                return 0
            line = line.strip()
            if not line:
                raw = None
                continue
            if line.isdigit() and 1 <= int(line) <= len(buttons):
                message_id, data = buttons[int(line) - 1]
                raw = double.make_callback_update(args.user_id, message_id, data)
            else:
                raw = double.make_message_update(args.user_id, line)


def _show(events: list[SentEvent], user_id: int) -> list[tuple[int, str]]:
    """Print the bot's messages; return the numbered buttons of the last one with buttons."""
    numbered: list[tuple[int, str]] = []
    for event in events:
        prefix = "bot> " if event.chat_id == user_id else f"bot → chat {event.chat_id}> "
        if event.text and event.method != "editMessageReplyMarkup":
            print(prefix + event.text.replace("\n", "\n     "))
        for path in event.files:
            print(f"     📎 {path}")
        if event.chat_id == user_id and event.buttons:
            numbered = []
            for row in event.buttons:
                cells = []
                for b in row:
                    if b.get("data"):
                        numbered.append((event.message_id, b["data"]))
                        cells.append(f"[{len(numbered)}] {b['text']}")
                    else:
                        cells.append(f"({b['text']}: {b.get('url')})")
                print("     " + "   ".join(cells))
    sys.stdout.flush()
    return numbered
