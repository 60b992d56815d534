"""A form in the chat: its typed answers through the text router, /cancel, closing a question.

A feature describes how its form looks (`Ui`: ask the current question, word its own
problems, say it stopped) and calls `install`; pressed buttons stay with the feature's codec
handler, which calls the engine and then `close` and its own `ask`.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot.core.context import BotContext
from bot.core.forms import engine
from bot.core.forms.spec import Answer, Form
from bot.core.forms.validate import Problem, reason
from bot.core.textrouter import add_canceller, add_text_consumer


def _no_env(context: BotContext) -> None:
    return None


def _shared_reason(problem: Problem, env: Any) -> str:
    return reason(problem)


@dataclass(frozen=True)
class Ui:
    """How a form talks: `ask(chat, answer, env)` sends the current question (or summary)
    after an answer, `stopped` words /cancel (text and buttons, from the paused rows' refs)."""

    form: Form
    ask: Callable[[Chat, Answer, Any], Awaitable[None]]
    stopped: Callable[[tuple[Any, ...]], tuple[str, InlineKeyboardMarkup | None]]
    env: Callable[[BotContext], Any] = _no_env  # what answering needs: today, places, locale
    problem: Callable[[Problem, Any], str] = _shared_reason  # a refused answer's reason


async def take_text(ui: Ui, update: Update, context: BotContext) -> bool:
    """Text consumer: the answer to the question the form waits for; False when none waits."""
    user, message, chat = context.user, update.effective_message, update.effective_chat
    if user is None or message is None or chat is None:
        return False
    env = ui.env(context)
    answer = await engine.answer_text(ui.form, user.person_id, message.text or "", env)
    if answer is None:
        return False
    if answer.problem is not None:
        await message.reply_text(ui.problem(answer.problem, env))
    if answer.again:
        await ui.ask(chat, answer, env)
    return True


async def cancel(ui: Ui, update: Update, context: BotContext) -> bool:
    """/cancel: pause the form being answered, its answers kept; False when none was."""
    user, message = context.user, update.effective_message
    if user is None or message is None:
        return False
    refs = await engine.pause(ui.form, user.person_id)
    if not refs:
        return False
    text, markup = ui.stopped(refs)
    await message.reply_text(text, reply_markup=markup)
    return True


def install(app: Application, ui: Ui, order: int) -> None:
    """Route typed text and /cancel to the form; lower `order` is asked first."""
    form = ui.form
    add_text_consumer(
        app,
        functools.partial(take_text, ui),
        order=order,
        waiting=functools.partial(engine.waiting, form),
    )
    add_canceller(app, functools.partial(cancel, ui), order=order)


async def close(query: CallbackQuery, chosen: str | None = None) -> None:
    """Answer the press and take the buttons off the answered question; with `chosen`, keep
    the question in the chat with the answer under it."""
    await query.answer()
    if chosen is None:
        await query.edit_message_reply_markup(reply_markup=None)
        return
    message = query.message
    try:
        if message is not None and getattr(message, "text", None):
            await query.edit_message_text(f"{message.text}\n\n→ {chosen}", reply_markup=None)
        else:
            await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest:
        pass  # an old message can no longer be edited; the answer is stored all the same
