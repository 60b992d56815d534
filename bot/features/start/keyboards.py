"""Inline keyboards of the start feature."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot.core.registry import menu_items
from bot.i18n import LANGUAGE_NAMES, TRAINEE_LOCALES, _


def language_keyboard(current: str, *, staff: bool, payload: str = "") -> InlineKeyboardMarkup:
    """One button per language, the current one ticked; Korean only for staff.

    A deep-link payload (e.g. apply-2018-01) rides along in the button data so the link is
    followed once the language is chosen, without keeping state anywhere else.
    """
    codes = [*TRAINEE_LOCALES, "zh_Hant", *(["ko"] if staff else [])]

    def data(code: str) -> str:
        with_payload = f"lang:{code}:{payload}"
        return with_payload if payload and len(with_payload.encode()) <= 64 else f"lang:{code}"

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
    buttons = [InlineKeyboardButton(_(m.label), callback_data=f"menu:{m.key}") for m in items]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
