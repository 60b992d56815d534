"""Which version of a broadcast a recipient reads."""

from __future__ import annotations

from telegram import Bot, Message

from bot.i18n import base_locale, localise


def version_locale(texts: dict, sender_locale: str, recipient_locale: str | None) -> str:
    """The language version a recipient gets: their own if written, else the sender's."""
    if recipient_locale and texts.get(recipient_locale):
        return recipient_locale
    if recipient_locale and texts.get(base_locale(recipient_locale)):
        return base_locale(recipient_locale)
    return sender_locale


def render_text(texts: dict, sender_locale: str, recipient_locale: str) -> str:
    """The recipient's version of the text, else the sender's (never a third language).

    A recipient without a version of their own reads what the sender wrote in the sender's
    language: that is the original, which other versions were translated from.
    """
    chosen = version_locale(texts, sender_locale, recipient_locale)
    text = texts.get(chosen) or texts.get(sender_locale) or ""
    # A Traditional Chinese reader of the Chinese version reads it in Traditional characters.
    return localise(text, recipient_locale) if chosen == base_locale(recipient_locale) else text


async def send_rendered(
    bot: Bot, chat_id: int, text: str, attachment: dict | None, *, paid: bool = False
) -> Message:
    """Send one version exactly as recipients get it (previews use this too, so they match).

    A photo or document goes by its Telegram file_id with the text as caption; no parse mode,
    so what the sender typed is what arrives.
    """
    extra = {"allow_paid_broadcast": True} if paid else {}
    kind, file_id = (attachment or {}).get("kind"), (attachment or {}).get("file_id")
    if kind == "photo" and file_id:
        return await bot.send_photo(chat_id, file_id, caption=text or None, **extra)
    if kind == "document" and file_id:
        return await bot.send_document(chat_id, file_id, caption=text or None, **extra)
    return await bot.send_message(chat_id, text, **extra)
