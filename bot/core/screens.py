"""Small reply helpers staff screens share: refuse non-staff, show a screen in place."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.i18n import _


async def refuse(update: Update) -> None:
    """Tell a non-staff sender the screen is staff-only (an alert for a pressed button)."""
    text = _("This is only for programme staff.")
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(text)


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the pressed message, or send a new one for a command."""
    if update.callback_query:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    elif update.effective_chat:
        await update.effective_chat.send_message(text, reply_markup=markup)
