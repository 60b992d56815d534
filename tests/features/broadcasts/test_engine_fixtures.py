"""Helpers for the engine tests: a broadcast with its deliveries written directly."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot import db
from bot.core.models import Person
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery

SENDER = 9100
TEXTS = {"en": "Forum on 18 October", "ru": "Форум 18 октября"}


async def make_broadcast(
    conv,
    chats: list[int],
    *,
    state: str = "sending",
    locale: str = "en",
    paid: bool = False,
    attachment: dict | None = None,
    texts: dict | None = None,
    scheduled_at: datetime | None = None,
    audience: dict | None = None,
    progress: bool = True,
) -> int:
    """Recipients in the double and the database; deliveries unless the state is scheduled."""
    conv.double.add_private_chat(SENDER)
    for chat in chats:
        conv.double.add_private_chat(chat)
    message = await conv.app.bot.send_message(SENDER, "Sending…") if progress else None
    async with db.session_scope() as s:
        sender = await s.scalar(select(Person).where(Person.telegram_id == SENDER))
        if sender is None:
            sender = Person(telegram_id=SENDER, first_name="Sender", locale="en")
            s.add(sender)
        people = [Person(telegram_id=c, first_name=f"P{c}", locale=locale) for c in chats]
        s.add_all(people)
        await s.flush()
        row = Broadcast(
            sender_id=sender.id,
            texts=texts or TEXTS,
            sender_locale="en",
            attachment=attachment or {},
            paid=paid,
            state=state,
            scheduled_at=scheduled_at,
            audience=audience or {},
        )
        s.add(row)
        await s.flush()
        if message is not None:
            row.progress_chat_id, row.progress_message_id = SENDER, message.message_id
        if state == "sending":
            s.add_all(
                BroadcastDelivery(
                    broadcast_id=row.id, person_id=p.id, chat_id=p.telegram_id, locale=locale
                )
                for p in people
            )
        return row.id


async def deliveries(broadcast_id: int) -> dict[int, str]:
    """chat_id → state."""
    async with db.session_scope() as s:
        rows = await s.execute(
            select(BroadcastDelivery.chat_id, BroadcastDelivery.state).where(
                BroadcastDelivery.broadcast_id == broadcast_id
            )
        )
        return dict(rows.all())


async def broadcast(broadcast_id: int) -> Broadcast:
    """The broadcast row."""
    async with db.session_scope() as s:
        return await s.get(Broadcast, broadcast_id)


def received(conv, chats) -> dict[int, int]:
    """How many messages each of `chats` got from the bot."""
    wanted = set(chats)
    got: dict[int, int] = {}
    for event in conv.double.sent:
        if event.chat_id in wanted and event.method != "editMessageText":
            got[event.chat_id] = got.get(event.chat_id, 0) + 1
    return got
