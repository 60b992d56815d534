"""`python -m bot tick` without a token (or with --offline): the pass against the chat double."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.config import Settings
from bot.dev.chat import render, state_paths
from bot.dev.harness import conversation
from bot.features.followups.cli import run_cli


async def tick_offline(args: argparse.Namespace, settings: Settings, now: datetime) -> int:
    """One pass through the double that `chat` uses; print the result, then what was sent."""
    state, files = state_paths(settings)
    async with conversation(settings, state=state, files=files) as conv:
        mark = conv.double.seq
        senders = conv.app.bot_data.outbox_senders
        result = await run_cli(args, conv.app.bot, senders, now)
        events = conv.double.events_since(mark)
    if not args.json:
        for event in events:
            print(render(event, as_json=False))
    if any(line.state == "failed" for line in result.lines):
        print("some follow-ups failed for good; see the outbox rows", file=sys.stderr)
    return 0
