"""The per-update context: one early handler loads the sender, locale and roles."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext, ExtBot, TypeHandler

from bot.config import Settings
from bot.core import textrouter
from bot.core.botdata import BotData
from bot.core.people import UserCtx, touch_person
from bot.i18n import _, map_language_code, set_locale

log = logging.getLogger(__name__)


class BotContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """CallbackContext with the sender loaded by `load_user` (None for channel posts etc.)."""

    user: UserCtx | None = None

    @property
    def settings(self) -> Settings:
        """The application's settings."""
        return self.bot_data.settings


async def load_user(update: Update, context: BotContext) -> None:
    """Group −1: load or create the sender, set the update's locale and roles."""
    settings = context.settings
    if update.edited_message or update.channel_post or update.edited_channel_post:
        # Edits and channel posts carry nothing to answer; re-running a command on an edit
        # would repeat its side effects.
        raise ApplicationHandlerStop
    tg_user = update.effective_user
    if tg_user is None or tg_user.is_bot:
        context.user = None
        set_locale(settings.default_locale)
        return
    try:
        context.user = await touch_person(
            tg_user.id,
            first_name=tg_user.first_name,
            last_name=tg_user.last_name,
            username=tg_user.username,
            language_code=tg_user.language_code,
            default_locale=settings.default_locale,
            admin_ids=frozenset(settings.admin_ids),
            waiting=textrouter.predicates(context.application, update),
        )
    except (OperationalError, DBAPIError, OSError) as exc:
        # The database is down: say so in the user's Telegram language and stop this update.
        log.warning("database unavailable while loading user %s: %s", tg_user.id, exc)
        set_locale(map_language_code(tg_user.language_code, settings.default_locale))
        await reply_unavailable(update)
        raise ApplicationHandlerStop from exc
    set_locale(context.user.locale)


async def notify(update: Update, text: str) -> None:
    """Tell the user something went wrong: an alert for a button, else a message; never raises.

    Used while handling a failure, when Telegram itself may be failing too.
    """
    try:
        if update.callback_query:
            await update.callback_query.answer(text[:200], show_alert=True)
        elif update.effective_chat:
            await update.effective_chat.send_message(text)
    except Exception:
        log.exception("could not tell the user about a failure")


async def reply_unavailable(update: Update) -> None:
    """Tell the user the service is temporarily unavailable, without raising."""
    await notify(
        update,
        _("Sorry, the service is temporarily unavailable. Please try again in a few minutes."),
    )


def register(app: Application) -> None:
    """Install the per-update context loader before every other handler."""
    app.add_handler(TypeHandler(Update, load_user), group=-1)
