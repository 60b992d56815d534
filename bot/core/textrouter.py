"""One handler for private free text, asking each feature in turn whether the text is theirs.

A form waiting for an answer, a /contact request waiting for the question, and finally the
question answering all want plain text. PTB runs only the first matching handler of a group
and filters cannot await the database, so features register *consumers* here instead: async
callables that return True when they took the message.

Asking every feature costs a database round trip each, and most messages are questions no
form waits for. So a consumer may also give a *waiting* predicate: an SQL EXISTS for "this
person has something of mine waiting for text". One query evaluates all predicates; a
consumer whose predicate is false is skipped. Predicates must be conservative (true
whenever the consumer might take the text); the consumer still decides.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from telegram import Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.core.people import Waiting
from bot.db import session_scope
from bot.i18n import _

if TYPE_CHECKING:  # the context module loads the predicates through this one
    from bot.core.context import BotContext

Consumer = Callable[[Update, "BotContext"], Awaitable[bool]]
# What the router handles: private text that is not a command.
PRIVATE_TEXT = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND


def add_text_consumer(
    app: Application, consumer: Consumer, order: int, waiting: Waiting | None = None
) -> None:
    """Offer private text to `consumer`; lower `order` is asked first (see module doc)."""
    app.bot_data.text_consumers.append((order, consumer, waiting))


def _consumers(app: Application) -> list[tuple[int, Consumer, Waiting | None]]:
    return sorted(app.bot_data.text_consumers, key=lambda c: c[0])


def predicates(app: Application, update: Update) -> list[Waiting]:
    """The waiting predicates to evaluate with the sender (none unless the router will run),
    so the per-update context reads them in its one statement."""
    if not PRIVATE_TEXT.check_update(update):
        return []
    return [w for _o, _c, w in _consumers(app) if w is not None]


async def waiting_flags(person_id: int, predicates: list[Waiting]) -> list[bool]:
    """Evaluate every consumer's waiting predicate for a person in one query."""
    if not predicates:
        return []
    async with session_scope() as session:
        row = (await session.execute(select(*(w(person_id) for w in predicates)))).one()
    return [bool(flag) for flag in row]


async def route_text(update: Update, context: BotContext) -> None:
    """Give the message to the first consumer that takes it."""
    consumers = _consumers(context.application)
    user = context.user
    if user is not None and user.waiting is not None:
        flags: Any = iter(user.waiting)
    else:
        waiting = [w for _o, _c, w in consumers if w is not None]
        flags = iter(await waiting_flags(user.person_id, waiting) if user else [])
    for _order, consumer, waiting in consumers:
        if waiting is not None and context.user is not None and not next(flags):
            continue
        if await consumer(update, context):
            return


def add_canceller(app: Application, canceller: Consumer, order: int = 100) -> None:
    """Let /cancel stop something of a feature; the canceller returns True when it did."""
    app.bot_data.cancellers.append((order, canceller))


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: ask each feature to stop what it is waiting for; say so if nothing was."""
    cancellers = sorted(context.bot_data.cancellers, key=lambda c: c[0])
    for _order, canceller in cancellers:
        if await canceller(update, context):
            return
    if update.effective_message is not None:
        await update.effective_message.reply_text(_("There is nothing to cancel."))


def register(app: Application) -> None:
    """Install /cancel and the router for private text messages (commands excluded)."""
    app.add_handler(CommandHandler("cancel", cancel))
    app.add_handler(MessageHandler(PRIVATE_TEXT, route_text))
