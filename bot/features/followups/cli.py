"""`python -m bot tick`: one follow-up pass with the bot and senders the caller built."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from datetime import datetime

from telegram import Bot

from bot.core.outbox_dispatch import Sender
from bot.features.followups.tick import TickResult, run_tick


def print_result(result: TickResult, as_json: bool) -> None:
    """What a pass did, as `tick` prints it (one JSON object per row with --json)."""
    if as_json:
        for line in result.lines:
            print(json.dumps(line.as_json(), ensure_ascii=False))
        return
    print(f"scheduled {result.scheduled} new follow-up(s); handled {len(result.lines)} row(s)")
    for line in result.lines:
        print(f"#{line.outbox_id} {line.kind} → {line.chat_id}: {line.state} (due {line.due_at})")


async def run_cli(
    args: argparse.Namespace, bot: Bot, senders: Mapping[str, Sender], now: datetime
) -> TickResult:
    """Schedule and deliver at `now` through `bot`, print the result and return it."""
    result = await run_tick(bot, senders, now)
    print_result(result, args.json)
    return result
