"""A small reply helper staff screens share: show a screen in place."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the pressed message, or send a new one for a command."""
    if update.callback_query:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    elif update.effective_chat:
        await update.effective_chat.send_message(text, reply_markup=markup)
