"""Telegram command menus: one per trainee language, a Korean one for staff chats, and a
per-chat menu for liaison officers, republished when a role is granted or revoked."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.core.authz import LIAISON, STAFF
from bot.core.registry import commands
from bot.i18n import TRAINEE_LOCALES, translator

log = logging.getLogger(__name__)
STAFF_MENU_LOCALE = "ko"  # the International Training Team works in Korean


def _menu(app: Application, locale: str, *, staff: bool, liaison: bool) -> list[BotCommand]:
    tr = translator(locale)
    items = commands(app, staff=staff, liaison=liaison)
    return [BotCommand(c.name, tr.gettext(c.description)) for c in items]


async def set_command_menus(app: Application) -> None:
    """Publish the menu in each trainee language and the Korean staff menu (post_init)."""
    settings: Settings = app.bot_data.settings
    try:
        for loc in (None, *TRAINEE_LOCALES):
            menu = _menu(app, loc or settings.default_locale, staff=False, liaison=False)
            await app.bot.set_my_commands(menu, scope=BotCommandScopeDefault(), language_code=loc)
        for admin in settings.admin_ids:
            await publish_chat_menu(app, admin, staff=True)
    except TelegramError as exc:
        # Menus are a convenience: a failure here must not stop the bot from starting.
        log.warning("could not set command menus: %s", exc)


async def publish_chat_menu(
    app: Application, chat_id: int, *, staff: bool, liaison: bool = False, locale: str = "en"
) -> None:
    """Give one chat the menu its roles call for; no special role restores the default."""
    scope = BotCommandScopeChat(chat_id)
    if not staff and not liaison:
        await app.bot.delete_my_commands(scope=scope)
        return
    menu_locale = STAFF_MENU_LOCALE if staff else locale
    menu = _menu(app, menu_locale, staff=staff, liaison=liaison)
    await app.bot.set_my_commands(menu, scope=scope)


async def refresh_chat_menu(
    app: Application, chat_id: int, roles: frozenset[str], locale: str
) -> None:
    """Republish a chat's menu after its roles changed; a failure is logged, not raised."""
    try:
        await publish_chat_menu(
            app, chat_id, staff=STAFF in roles, liaison=LIAISON in roles, locale=locale
        )
    except TelegramError as exc:
        log.warning("could not refresh the command menu of a chat: %s", exc)
