"""Inline keyboards of the start feature."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot.core.callbacks import Codec
from bot.core.registry import menu_button, menu_items
from bot.i18n import LANGUAGE_NAMES, TRAINEE_LOCALES, _

# lang:<code> chooses a language; lang:<code>:<payload> then follows a deep link.
CB = Codec("lang")
CHOOSE = {code: CB.action(code) for code in LANGUAGE_NAMES}
PAYLOAD = (r"[A-Za-z0-9_\-]{1,64}", str)  # Telegram's deep-link alphabet
CHOOSE_THEN = {code: CB.action(code, payload=PAYLOAD) for code in LANGUAGE_NAMES}


def language_keyboard(current: str, *, staff: bool, payload: str = "") -> InlineKeyboardMarkup:
    """One button per language, the current one ticked; Korean only for staff.

    A deep-link payload (e.g. apply-2018-01) rides along in the button data so the link is
    followed once the language is chosen, without keeping state anywhere else.
    """
    codes = [*TRAINEE_LOCALES, "zh_Hant", *(["ko"] if staff else [])]

    def data(code: str) -> str:
        if payload:
            try:
                return CHOOSE_THEN[code].pack(payload=payload)
            except ValueError:
                pass  # too long for a button (or not a link's payload): the language alone
        return CHOOSE[code].pack()

    buttons = [
        InlineKeyboardButton(
            ("✅ " if code == current else "") + LANGUAGE_NAMES[code], callback_data=data(code)
        )
        for code in codes
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def main_menu(app: Application, *, staff: bool) -> InlineKeyboardMarkup | None:
    """The main menu built from what the registered features offer."""
    items = menu_items(app, staff=staff)
    if not items:
        return None
    buttons = [
        InlineKeyboardButton(_(m.label), callback_data=menu_button(m.key).pack()) for m in items
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
