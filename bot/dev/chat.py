"""`python -m bot chat`: one update through the real Application, offline, via the double."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot import clock, db, migrate
from bot.config import Settings
from bot.dev.botapi import SentEvent
from bot.dev.harness import conversation
from bot.features.broadcasts import engine
from bot.features.schedule.models import Course
from bot.sample import import_sample

# Offline, the double hosts a liaison group of its own unless LIAISON_CHAT_ID names one, so
# "ask a person" works end to end (answer with --chat DEMO_LIAISON_CHAT --reply-to last).
DEMO_LIAISON_CHAT = -1000000000777


def offline_settings(settings: Settings) -> Settings:
    """The settings `chat` and `demo` run with: a liaison group always exists."""
    if settings.liaison_chat_id:
        return settings
    return settings.model_copy(update={"liaison_chat_id": DEMO_LIAISON_CHAT})


def state_paths(settings: Settings) -> tuple[Path, Path]:
    """Where the double keeps its chats and files for this database (one set per database)."""
    tag = hashlib.sha256(settings.db_url.encode()).hexdigest()[:10]
    base = settings.data_dir / "transport"
    return base / f"double-{tag}.json", base / f"files-{tag}"


async def prepare_database(settings: Settings) -> None:
    """Migrate and, for an empty database, load the sample programme (a dev convenience)."""
    if not await migrate.schema_is_current(settings.db_url):
        await asyncio.to_thread(migrate.upgrade, settings.db_url)
    db.init_db(settings.db_url)
    async with db.session_scope() as session:
        empty = not await session.scalar(select(func.count()).select_from(Course))
    if empty:
        await import_sample(settings.timezone)
        print("(empty database: loaded the sample programme)", file=sys.stderr)


def render(event: SentEvent, *, as_json: bool) -> str:
    """One bot message as the chat command prints it."""
    buttons = [
        [{"text": b["text"], "data": b.get("data") or b.get("url")} for b in row]
        for row in event.buttons
    ]
    if as_json:
        record = {
            "chat_id": event.chat_id,
            "text": event.text,
            "buttons": buttons,
            "files": event.files,
            "method": event.method,
        }
        return json.dumps(record, ensure_ascii=False)
    lines = [f"[{event.method} → {event.chat_id}]", event.text or ""]
    lines += ["  " + "  ".join(f"[{b['text']}]" for b in row) for row in buttons]
    lines += [f"  file: {path}" for path in event.files]
    return "\n".join(lines)


async def _finish_background_work(conv) -> list:
    """Deliver broadcasts this call started (or a previous call left running) before exiting.

    `run` keeps a job that resumes them; a one-shot `chat` process must finish them itself or
    the recipients would never see the message in an offline conversation.
    """
    mark = conv.double.seq
    await engine.resume(conv.app)
    tasks = list(engine.runners(conv.app).values())
    if tasks:
        await asyncio.wait(tasks, timeout=300)
    return conv.double.events_since(mark)


async def chat_once(args: argparse.Namespace, settings: Settings) -> int:
    """Send one update, wait for the bot, print every message it sent."""
    settings = offline_settings(settings)
    if args.now:
        clock.freeze(clock.parse_instant(args.now, settings.timezone))
    await prepare_database(settings)
    state, files = state_paths(settings)
    async with conversation(settings, state=state, files=files) as conv:
        conv.user(args.user_id, args.name, args.lang)
        chat_id = args.chat_id or args.user_id
        try:
            if args.press:
                events = await conv.press(args.user_id, args.press, chat_id=chat_id)
            else:
                reply_to = args.reply_to
                if reply_to == "last":
                    last = conv.double.last_message(chat_id, from_bot=True)
                    reply_to = last["message_id"] if last else None
                events = await conv.send(
                    args.user_id,
                    args.text,
                    chat_id=args.chat_id,
                    reply_to=int(reply_to) if reply_to else None,
                )
        except LookupError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        events += await _finish_background_work(conv)
        for event in events:
            print(render(event, as_json=args.json))
    return 0
