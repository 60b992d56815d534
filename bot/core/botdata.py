"""What an Application shares across updates: one typed field each, no string keys.

PTB builds it with no arguments (`ContextTypes(bot_data=BotData)`), so every field has a
default; `build_application` sets `settings` before any feature registers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    # Types only: these modules use BotData themselves (through BotContext).
    from telegram import InlineKeyboardButton

    from bot.core.lifecycle import StopCallback
    from bot.core.metrics import BotMetrics
    from bot.core.outbox_dispatch import Sender
    from bot.core.registry import CommandInfo, MenuItem
    from bot.core.textrouter import Consumer, Waiting

# Deep-link handlers `/start <prefix>-…`: (update, context, payload).
PayloadHandler = Callable[[Any, Any, str], Awaitable[None]]
# Buttons other features add under a course card: course view -> button or None.
CardButton = Callable[[Any], "InlineKeyboardButton | None"]


@dataclass
class BotData:
    """The Application's shared state (`app.bot_data`, `context.bot_data`)."""

    # A default from the field defaults alone (no environment read); replaced at build time.
    settings: Settings = field(default_factory=Settings.model_construct)
    # Hooks features declare while registering (bot/core/registry.py, textrouter.py …).
    commands: list[CommandInfo] = field(default_factory=list)
    menu: list[MenuItem] = field(default_factory=list)
    text_consumers: list[tuple[int, Consumer, Waiting | None]] = field(default_factory=list)
    cancellers: list[tuple[int, Consumer]] = field(default_factory=list)
    outbox_senders: dict[str, Sender] = field(default_factory=dict)
    on_stop: list[StopCallback] = field(default_factory=list)
    start_payloads: dict[str, PayloadHandler] = field(default_factory=dict)
    card_buttons: list[CardButton] = field(default_factory=list)
    free_text: bool = False  # question answering is installed: /help mentions free text
    # Runtime state.
    metrics: BotMetrics | None = None  # created on first use by bot.core.metrics.get
    broadcast_runners: dict[int, asyncio.Task] = field(default_factory=dict)
    broadcasts_stopping: bool = False  # set on stop: broadcast runners hand work back
