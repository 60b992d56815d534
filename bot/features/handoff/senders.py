"""How the outbox delivers handoff rows: the forward to the liaison chat and the answer."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot

from bot.core.outbox_dispatch import OutboxItem, Sender
from bot.features.handoff.render import ANSWER, FORWARD, answer_texts, forward_text
from bot.features.handoff.service import mark_forwarded


def senders(liaison_locale: str) -> dict[str, Sender]:
    """The handoff outbox kinds and how each is delivered."""

    async def send_forward(bot: Bot, item: OutboxItem) -> int:
        text = await forward_text(int(item.payload["handoff_id"]), liaison_locale)
        message = await bot.send_message(item.chat_id, text)
        return message.message_id

    async def after_forward(session: AsyncSession, item: OutboxItem, message_id: int) -> None:
        await mark_forwarded(session, int(item.payload["handoff_id"]), item.chat_id, message_id)

    async def send_answer(bot: Bot, item: OutboxItem) -> int:
        parts = await answer_texts(int(item.payload["handoff_id"]))
        first = None
        for part in parts:
            message = await bot.send_message(item.chat_id, part)
            first = first or message.message_id
        assert first is not None
        return first

    return {FORWARD: Sender(send_forward, after_forward), ANSWER: Sender(send_answer)}
