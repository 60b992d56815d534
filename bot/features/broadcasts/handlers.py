"""Telegram handlers of broadcasts: the /broadcast wizard, /broadcasts, stop buttons.

Thin: every decision (scope, limits, states) is the service's; the wizard's position is the
Broadcast row's `step`, so a restart or another process resumes where the sender was.
"""

from __future__ import annotations

import importlib
import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.core.authz import LIAISON, STAFF, is_staff, role
from bot.core.callbacks import Press, on_press, stale
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.core.textrouter import add_canceller, add_text_consumer
from bot.features.broadcasts import buttons as br
from bot.features.broadcasts import keyboards as kb
from bot.features.broadcasts import service
from bot.features.broadcasts.audience import options
from bot.features.broadcasts.render import send_rendered
from bot.features.importer.api import document_in
from bot.i18n import LOCALES, N_, _, fmt_datetime

log = logging.getLogger(__name__)
# Staff and liaison officers broadcast (officers within their scope); others are refused.
broadcasters_only = role(
    STAFF, LIAISON, refusal=N_("Broadcasts are only for liaison officers and programme staff.")
)


def _engine():
    """The delivery engine, written alongside this feature; None until it exists."""
    try:
        return importlib.import_module("bot.features.broadcasts.engine")
    except ImportError:
        return None


async def _say(update: Update, text: str) -> None:
    """An alert for a button, else a message."""
    if update.callback_query:
        await update.callback_query.answer(text[:200], show_alert=True)
    elif update.effective_chat:
        await update.effective_chat.send_message(text)


async def _beyond_role(update: Update, exc: service.OutOfScope | service.StaffOnly) -> None:
    """A broadcaster asked for a course outside their scope or a staff-only setting."""
    if isinstance(exc, service.OutOfScope):
        text = _(
            "You can only address the courses of your organisation; {code} is not one of them."
        ).format(code=exc.code)
    else:
        text = _("Only programme staff can change this setting.")
    await _say(update, text)


async def _show(update: Update, text: str, markup=None, *, new: bool = False) -> None:
    """Edit the pressed message (or send a new one for commands, texts and previews)."""
    query = update.callback_query
    if query and not new:
        await query.answer()
        await query.edit_message_text(text, reply_markup=markup)
    elif update.effective_chat:
        # A new message under a pressed button: the caller has answered the query already.
        await update.effective_chat.send_message(text, reply_markup=markup)


async def _screen(update: Update, context: BotContext, draft, *, new: bool = False) -> None:
    """Show the screen of the draft's current step."""
    assert context.user is not None
    step = draft.step or "audience"
    if step.startswith("pick:"):
        opts = await options(await service.scope(context.user))
        await _show(update, *kb.picker_screen(step[5:], opts, draft), new=new)
    elif step.startswith("text"):
        loc = step.split(":", 1)[1] if ":" in step else draft.sender_locale
        await _show(update, kb.text_prompt(draft, loc), new=new)
    elif step == "versions":
        await _show(update, *kb.versions_screen(draft), new=new)
    elif step == "preview":
        await _show(update, *kb.confirm_screen(draft), new=new)
    elif step == "when":
        await _show(update, kb.when_prompt(), new=new)
    else:
        await _show(update, *kb.menu_screen(draft, is_staff(context.user)), new=new)


@broadcasters_only
async def broadcast_cmd(update: Update, context: BotContext) -> None:
    """/broadcast: open (or resume) the sender's draft."""
    draft = await service.start(context.user)
    await _screen(update, context, draft, new=True)


async def _preview(update: Update, context: BotContext) -> None:
    """One message per language version, exactly as sent, then the confirm screen."""
    draft = await service.go_to(context.user, "preview")
    assert update.effective_chat is not None
    if update.callback_query:
        await update.callback_query.answer()
    for loc in (x for x in LOCALES if x in draft.texts):
        await update.effective_chat.send_message(kb.preview_label(loc))
        await send_rendered(
            context.bot, update.effective_chat.id, draft.texts[loc], draft.attachment
        )
    await _screen(update, context, draft, new=True)


async def _send_now(update: Update, context: BotContext) -> None:
    """Write the deliveries, post the progress message, hand over to the engine."""
    try:
        broadcast_id, n = await service.send_now(context.user)
    except ValueError:
        await _say(update, _("Nobody matches this audience. Change the filters first."))
        return
    text, markup = kb.progress_screen(broadcast_id, n)
    await update.callback_query.answer()
    message = await update.effective_chat.send_message(text, reply_markup=markup)
    await service.set_progress(broadcast_id, message.chat_id, message.message_id)
    engine = _engine()
    if engine is not None:
        await engine.launch(context.application, broadcast_id)


async def _action(update: Update, context: BotContext, press: Press) -> None:
    """Dispatch one decoded wizard button."""
    user, verb = context.user, press.action
    if verb in ("x", "stop"):
        done = await service.cancel(user, press.id)
        await _say(update, _("Cancelled.") if done else _("This broadcast is already over."))
        if done and update.callback_query:
            await update.callback_query.edit_message_reply_markup(reply_markup=None)
        return
    if verb == "q":
        await service.discard(user)
        await _show(update, _("The draft was discarded."))
        return
    if await service.current(user) is None:
        await stale(update.callback_query)
        return
    if verb == "pv":
        await _preview(update, context)
        return
    if verb == "go":
        await _send_now(update, context)
        return
    steps = {"m": "audience", "w": "text", "e": "versions", "sc": "when"}
    if verb == "t":
        draft = await service.toggle(user, kb.KIND_CODES[press.kind], press.value)
    elif verb in ("g", "p"):
        draft = await service.toggle_flag(user, "paid" if verb == "p" else "groups")
    elif verb == "z":
        draft = await service.set_audience(user, service.Audience())
    elif verb == "k":
        draft = await service.go_to(user, "pick:" + press.kind)
    elif verb == "v":
        draft = await service.go_to(user, "text:" + press.locale)
    elif verb == "w" and (await service.current(user)).texts:
        draft = await service.go_to(user, "versions")  # the message exists: its versions
    else:
        draft = await service.go_to(user, steps[verb])
    new = verb in ("v", "w", "sc")
    if new:
        await update.callback_query.answer()
    await _screen(update, context, draft, new=new)


@on_press(br.CB)
@broadcasters_only
async def button(update: Update, context: BotContext, press: Press) -> None:
    """Every br: button; forged data and people without the role are refused."""
    query = update.callback_query
    assert query is not None
    try:
        await _action(update, context, press)
    except (service.OutOfScope, service.StaffOnly) as exc:
        await _beyond_role(update, exc)
    except (ValueError, KeyError, LookupError):
        await stale(query)


async def text_in(update: Update, context: BotContext) -> bool:
    """Text consumer: the message (or a version) being written, or the date to send it."""
    message = update.effective_message
    if context.user is None or message is None or not message.text:
        return False
    draft = await service.current(context.user)
    if draft is None or not (draft.step or "").startswith(("text", "when")):
        return False
    if draft.step == "when":
        when = service.parse_when(message.text, context.settings.timezone)
        if when is None:
            await message.reply_text(kb.when_prompt())
            return True
        try:
            done = await service.schedule(context.user, when)
        except ValueError:
            await message.reply_text(_("This time has passed. Please type a time in the future."))
            return True
        at = fmt_datetime(done.scheduled_at, context.settings.timezone, fmt="short")
        await message.reply_text(
            _(
                "Scheduled for {when} (Seoul time). /broadcasts shows it; you can cancel it there."
            ).format(when=at)
        )
        return True
    await _store(update, context, message.text, None)
    return True


async def _store(update: Update, context: BotContext, text: str, attachment) -> None:
    try:
        draft = await service.set_message(context.user, text, attachment)
    except ValueError as exc:
        await update.effective_message.reply_text(kb.too_long(int(str(exc).split(":")[1])))
        return
    await _screen(update, context, draft, new=True)


async def file_in(update: Update, context: BotContext) -> None:
    """A photo or document while the wizard waits for the message; else the usual fallback."""
    message = update.effective_message
    draft = await service.current(context.user) if context.user else None
    if draft is None or draft.step != "text":
        await document_in(update, context)  # staff spreadsheets; else the usual fallback
        return
    if message.photo:
        attachment = {"kind": "photo", "file_id": message.photo[-1].file_id}
    else:
        attachment = {"kind": "document", "file_id": message.document.file_id}
    await _store(update, context, message.caption or "", attachment)


async def cancel_wizard(update: Update, context: BotContext) -> bool:
    """/cancel: discard the open draft."""
    if context.user is None or not await service.discard(context.user):
        return False
    await update.effective_message.reply_text(_("The draft was discarded."))
    return True


@broadcasters_only
async def list_cmd(update: Update, context: BotContext) -> None:
    """/broadcasts: the latest broadcasts and what happened to their messages."""
    reports = await service.list_broadcasts(context.user)
    await _show(update, *kb.reports_screen(reports, context.settings.timezone), new=True)


def register(app: Application) -> None:
    """Install /broadcast, /broadcasts, the buttons, the text and file input, the engine job."""
    app.add_handler(CommandHandler("broadcast", broadcast_cmd))
    app.add_handler(CommandHandler("broadcasts", list_cmd))
    app.add_handler(CallbackQueryHandler(button, pattern=br.CB.pattern))
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & (filters.PHOTO | filters.Document.ALL), file_in)
    )
    # After a staff decision note (10), before forms and question answering.
    add_text_consumer(app, text_in, order=15, waiting=service.waiting_for_text)
    add_canceller(app, cancel_wizard, order=15)
    # Staff and liaison officers (within their scope) see these in /help and their menu.
    add_command(
        app,
        CommandInfo(
            "broadcast",
            N_("announce to a cohort, city or alumni"),
            staff_only=True,
            order=70,
            liaison=True,
        ),
    )
    add_command(
        app,
        CommandInfo(
            "broadcasts",
            N_("past announcements and their reports"),
            staff_only=True,
            order=71,
            liaison=True,
        ),
    )
    engine = _engine()
    if engine is not None and hasattr(engine, "register"):
        engine.register(app)
