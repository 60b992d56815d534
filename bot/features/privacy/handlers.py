"""Telegram handlers of the privacy feature: /mydata, /forget, staff /erase, the daily purge."""

from __future__ import annotations

import json
import logging
from datetime import time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot.clock import utcnow
from bot.core.audit import PermissionDenied
from bot.core.authz import staff_only
from bot.core.callbacks import ID, Action, Codec, Press, on_press, stale
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.features.privacy import render, service
from bot.i18n import N_, _

log = logging.getLogger(__name__)
PURGE_AT = time(3, 30)  # programme time: a quiet hour, once a day
OFFLINE_SECRET = "liaison-bot-offline"  # signs buttons when no bot token is configured
# pv:no cancels; pv:<fg|er>:<target person id>:<time>:<signature> confirms a deletion.
CB = Codec("pv")
NO = CB.action("no")
_SIGNED = {"target": ID, "ts": ID, "sig": (r"[0-9a-f]{12}", str)}
FORGET, ERASE = CB.action("fg", **_SIGNED), CB.action("er", **_SIGNED)


def _secret(context: BotContext) -> str:
    token = context.settings.telegram_bot_token
    return token.get_secret_value() if token else OFFLINE_SECRET


def _confirm_data(context: BotContext, action: Action, actor_pid: int, target_pid: int) -> str:
    ts, sig = service.confirmation(_secret(context), action.name, actor_pid, target_pid)
    return action.pack(target=target_pid, ts=ts, sig=sig)


def _keyboard(confirm: str, yes: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(yes, callback_data=confirm)],
            [InlineKeyboardButton(_("Cancel"), callback_data=NO.pack())],
        ]
    )


async def mydata_command(update: Update, context: BotContext) -> None:
    """/mydata: the JSON file of everything stored, and a summary in the person's language."""
    user, chat = context.user, update.effective_chat
    if user is None or chat is None:
        return
    data = await service.my_data(user.person_id)
    if data is None:
        return
    body = json.dumps(data.document, ensure_ascii=False, indent=2).encode()
    await chat.send_document(InputFile(body, filename="mydata.json"))
    tz = user.timezone or context.settings.timezone
    await chat.send_message(render.mydata_text(data.profile, tz, context.settings.retention_days))


async def forget_command(update: Update, context: BotContext) -> None:
    """/forget: what goes and what stays, with a confirmation only this person can press."""
    user, chat = context.user, update.effective_chat
    if user is None or chat is None:
        return
    confirm = _confirm_data(context, FORGET, user.person_id, user.person_id)
    await chat.send_message(
        render.forget_text(), reply_markup=_keyboard(confirm, _("🗑 Yes, delete my data"))
    )


@staff_only
async def erase_command(update: Update, context: BotContext) -> None:
    """/erase <telegram id | @username>: staff see who it is and confirm the deletion."""
    user, message = context.user, update.effective_message
    if user is None or message is None:
        return
    args = list(context.args or [])
    if len(args) != 1:
        await message.reply_text(_("Usage: /erase <Telegram id or @username>"))
        return
    target = await service.find_person(user, args[0])
    if target is None:
        await message.reply_text(_("Nobody with that Telegram id or username is stored."))
        return
    confirm = _confirm_data(context, ERASE, user.person_id, target.person_id)
    await message.reply_text(
        render.staff_preview(target, context.settings.timezone),
        reply_markup=_keyboard(confirm, _("🗑 Erase")),
    )


@on_press(CB)
async def confirm_pressed(update: Update, context: BotContext, press: Press) -> None:
    """A confirmation or Cancel button; forged, foreign or replayed data erase nothing."""
    query, user = update.callback_query, context.user
    assert query is not None
    if user is None or query.message is None:
        return
    if press.action == NO.name:
        await query.answer()
        await query.edit_message_reply_markup(reply_markup=None)
        await context.bot.send_message(query.message.chat.id, _("Cancelled: nothing was deleted."))
        return
    genuine = service.confirmed(
        _secret(context), press.action, user.person_id, press.target, press.ts, press.sig
    )
    result = None
    try:
        if genuine and press.action == FORGET.name and press.target == user.person_id:
            result = await service.forget_self(user.person_id)
        elif genuine and press.action == ERASE.name:
            result = await service.erase_for_staff(user, press.target)
    except PermissionDenied:
        result = None  # no longer staff since the button was made
    if result is None:
        await stale(query)
        return
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    # Rendered from the update (not the erased rows): the chat id and language are known here.
    text = render.forgotten_text() if press.action == FORGET.name else render.erased_text(result)
    await context.bot.send_message(query.message.chat.id, text)


async def purge_job(context: BotContext) -> None:
    """The daily retention run; a failure waits for the next day rather than crash the loop."""
    settings = context.bot_data.settings
    try:
        report = await service.purge(utcnow(), settings.retention_days, settings.admin_ids)
    except Exception:
        log.exception("retention purge failed")
        return
    if report.person_ids:
        log.info(render.purge_text(report))


def register(app: Application) -> None:
    """Install /mydata, /forget, /erase, their buttons and the daily retention job."""
    # Private chats only: the answers show personal data.
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("mydata", mydata_command, filters=private))
    app.add_handler(CommandHandler("forget", forget_command, filters=private))
    app.add_handler(CommandHandler("erase", erase_command, filters=private))
    app.add_handler(CallbackQueryHandler(confirm_pressed, pattern=CB.pattern))
    add_command(app, CommandInfo("mydata", N_("what the bot stores about me"), order=91))
    add_command(app, CommandInfo("forget", N_("delete my data"), order=92))
    add_command(
        app,
        CommandInfo("erase", N_("erase a person's data on request"), staff_only=True, order=74),
    )
    if app.job_queue is not None:
        settings = app.bot_data.settings
        at = PURGE_AT.replace(tzinfo=ZoneInfo(settings.timezone))
        app.job_queue.run_daily(purge_job, time=at, name="privacy-purge")
