"""Buttons of the /stats screen: switch to another year that has courses."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.callbacks import Codec

CB = Codec("st")
YEAR = CB.action("y", year=(r"\d{1,6}", int))  # st:y:<year>
PER_ROW = 4
MAX_YEARS = 12  # the most recent years; older ones stay reachable with /stats YEAR


def year_buttons(years: list[int], current: int) -> InlineKeyboardMarkup | None:
    """One button per year with courses, the shown year marked; None when there is no other."""
    shown = years[-MAX_YEARS:]
    if not shown or shown == [current]:
        return None
    buttons = [
        InlineKeyboardButton(
            f"• {y} •" if y == current else str(y), callback_data=YEAR.pack(year=y)
        )
        for y in shown
    ]
    return InlineKeyboardMarkup(
        [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    )
