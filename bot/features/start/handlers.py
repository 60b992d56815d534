"""Handlers for /start, /language, /help, the main menu and the last-resort fallbacks."""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy.exc import DBAPIError
from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.core.authz import LIAISON, has_role, is_staff
from bot.core.callbacks import Press, on_press, stale
from bot.core.context import BotContext, notify, reply_unavailable
from bot.core.people import set_person_locale
from bot.core.registry import (
    CommandInfo,
    MenuItem,
    add_command,
    add_menu_item,
    commands,
    menu_button,
    start_payload,
)
from bot.features.start.keyboards import CB, language_keyboard, main_menu
from bot.i18n import LANGUAGE_NAMES, N_, _, set_locale

log = logging.getLogger(__name__)


def help_text(context: BotContext) -> str:
    """The list of commands this person can use, in their language."""
    staff, liaison = is_staff(context.user), has_role(context.user, LIAISON)
    lines = [_("Here is what I can do:")]
    lines += [
        f"/{c.name} — {_(c.description)}"
        for c in commands(context.application, staff=staff, liaison=liaison)
    ]
    if context.bot_data.free_text:
        lines += ["", _("You can also simply write your question in your own words.")]
    return "\n".join(lines)


async def start(update: Update, context: BotContext) -> None:
    """Greet the person; ask them to confirm the language the first time."""
    user = context.user
    assert user is not None and update.effective_message is not None
    payload = context.args[0] if context.args else ""
    handler = start_payload(context.application, payload)
    if handler and user.locale_confirmed:
        await handler(update, context, payload)
        return
    greeting = _(
        "Hello, {name}! I am the assistant of the international training programme of the "
        "Seoul Human Resources Development Center. I can show you our courses for city "
        "officials, answer your questions and keep in touch with you after the course."
    ).format(name=user.first_name or _("colleague"))
    if not user.locale_confirmed:
        ask = _("Your language: {language}. Is that right? Tap your language below:").format(
            language=LANGUAGE_NAMES[user.locale]
        )
        keyboard = language_keyboard(user.locale, staff=is_staff(user), payload=payload)
        await update.effective_message.reply_text(f"{greeting}\n\n{ask}", reply_markup=keyboard)
        return
    question = _("What would you like to do?")
    await update.effective_message.reply_text(
        f"{greeting}\n\n{question}",
        reply_markup=main_menu(context.application, staff=is_staff(user)),
    )


async def language(update: Update, context: BotContext) -> None:
    """Show the language buttons."""
    user = context.user
    assert user is not None and update.effective_message is not None
    await update.effective_message.reply_text(
        _("Choose your language:"),
        reply_markup=language_keyboard(user.locale, staff=is_staff(user)),
    )


@on_press(CB)
async def language_chosen(update: Update, context: BotContext, press: Press) -> None:
    """Store the chosen language and continue in it."""
    query = update.callback_query
    user = context.user
    assert query is not None and user is not None
    code, payload = press.action, press.get("payload", "")
    allowed = [*LANGUAGE_NAMES] if is_staff(user) else [c for c in LANGUAGE_NAMES if c != "ko"]
    if code not in allowed or not await set_person_locale(user.telegram_id, code):
        await stale(query)
        return
    set_locale(code)
    context.user = replace(user, locale=code, locale_confirmed=True)
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    text = _("Done. Language: {language}.").format(language=LANGUAGE_NAMES[code])
    handler = start_payload(context.application, payload)
    if handler:
        # The person came through a deep link: confirm the language, then follow the link.
        await query.message.reply_text(text)  # type: ignore[union-attr]
        await handler(update, context, payload)
        return
    question = _("What would you like to do?")
    await query.message.reply_text(  # type: ignore[union-attr]
        f"{text}\n\n{question}",
        reply_markup=main_menu(context.application, staff=is_staff(user)),
    )


async def show_help(update: Update, context: BotContext) -> None:
    """Answer /help and the Help menu button."""
    if update.callback_query:
        await update.callback_query.answer()
    assert update.effective_chat is not None
    await update.effective_chat.send_message(help_text(context))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command no feature knows: say so and show what is possible."""
    assert update.effective_message is not None
    word = (update.effective_message.text or "").split()[0].split("@")[0][:64]
    text = _("I don't know the command {command}.").format(command=word)
    await update.effective_message.reply_text(f"{text}\n\n{help_text(context)}")


async def other_message(update: Update, context: BotContext) -> None:
    """Anything no feature handled (stickers, photos, unread text): point to /help."""
    message = update.effective_message
    assert message is not None
    if message.text:
        text = _("Sorry, I did not understand that. Send /help to see what I can do.")
    else:
        text = _(
            "Sorry, I can only read text messages and buttons. Send /help to see what I can do."
        )
    await message.reply_text(text)


async def stale_button(update: Update, context: BotContext) -> None:
    """A button whose data no handler accepts (old, forged or from a removed feature)."""
    assert update.callback_query is not None
    await stale(update.callback_query)


async def on_error(update: object, context: BotContext) -> None:
    """Log the error and tell the user, in their language, that something went wrong."""
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    if isinstance(context.error, DBAPIError | OSError):
        await reply_unavailable(update)
        return
    await notify(
        update, _("Sorry, something went wrong on our side. Please try again in a moment.")
    )


def register(app: Application) -> None:
    """Install /start, /language, /help and the error handler."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("language", language))
    app.add_handler(CommandHandler("help", show_help))
    app.add_handler(CallbackQueryHandler(language_chosen, pattern=CB.pattern))
    app.add_handler(CallbackQueryHandler(show_help, pattern=menu_button("help").pattern))
    add_command(app, CommandInfo("start", N_("welcome and main menu"), order=0))
    add_command(app, CommandInfo("language", N_("change the language"), order=90))
    add_command(app, CommandInfo("help", N_("what I can do"), order=99))
    add_menu_item(app, MenuItem("help", N_("ℹ️ Help"), order=99))
    app.add_error_handler(on_error)


def register_fallbacks(app: Application) -> None:
    """Install the catch-alls; call after every feature so they only see what nobody took."""
    # Same group as the features (0) and added last: PTB runs the first match of a group,
    # so these only see updates no feature accepted.
    # In groups the bot stays quiet about what it does not understand: people talk to each
    # other there, and Telegram allows a bot only 20 messages a minute per group.
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(filters.COMMAND & private, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(MessageHandler(~filters.COMMAND & private, other_message))
