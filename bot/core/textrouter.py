"""One handler for private free text, asking each feature in turn whether the text is theirs.

A form waiting for an answer, a /contact request waiting for the question, and finally the
question answering all want plain text. PTB runs only the first matching handler of a group
and filters cannot await the database, so features register *consumers* here instead: async
callables that return True when they took the message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.core.context import BotContext
from bot.i18n import _

Consumer = Callable[[Update, BotContext], Awaitable[bool]]


def add_text_consumer(app: Application, consumer: Consumer, order: int) -> None:
    """Offer private text to `consumer`; lower `order` is asked first."""
    app.bot_data.setdefault("text_consumers", []).append((order, consumer))


async def route_text(update: Update, context: BotContext) -> None:
    """Give the message to the first consumer that takes it."""
    consumers = sorted(context.application.bot_data.get("text_consumers", []), key=lambda c: c[0])
    for _order, consumer in consumers:
        if await consumer(update, context):
            return


def add_canceller(app: Application, canceller: Consumer, order: int = 100) -> None:
    """Let /cancel stop something of a feature; the canceller returns True when it did."""
    app.bot_data.setdefault("cancellers", []).append((order, canceller))


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: ask each feature to stop what it is waiting for; say so if nothing was."""
    cancellers = sorted(context.application.bot_data.get("cancellers", []), key=lambda c: c[0])
    for _order, canceller in cancellers:
        if await canceller(update, context):
            return
    if update.effective_message is not None:
        await update.effective_message.reply_text(_("There is nothing to cancel."))


def register(app: Application) -> None:
    """Install /cancel and the router for private text messages (commands excluded)."""
    app.add_handler(CommandHandler("cancel", cancel))
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, route_text)
    )
