"""Handoff service: questions offered to, queued for and answered by a person; owns transactions.

States: offered (a button is waiting, or an empty question after /contact) → queued (an outbox
row will forward it to the liaison chat) → forwarded → answered; an offer declined or
superseded is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import utcnow
from bot.core.forms import engine
from bot.core.models import Person
from bot.core.names import display_name
from bot.core.outbox import OutboxMessage
from bot.db import session_scope
from bot.features.handoff.models import HandoffQuestion
from bot.features.handoff.render import ANSWER, FORWARD
from bot.features.schedule.models import Course

MAX_QUESTION = 3500
# After /contact the next message is the question, but not forever: a message sent a day later
# is more likely a new topic for the QA feature.
AWAIT_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class HandoffView:
    """A handed-over question as handlers and renderers see it."""

    id: int
    person_id: int
    text: str
    locale: str
    state: str
    course_id: int | None
    liaison_chat_id: int | None
    liaison_message_id: int | None
    outbox_id: int | None = None  # the outbox row created by the last transition, if any


@dataclass(frozen=True)
class AnswerView:
    """A recorded answer and the outbox row that will deliver it."""

    handoff_id: int
    person_id: int
    trainee_name: str
    trainee_telegram_id: int
    outbox_id: int


def _view(row: HandoffQuestion, outbox_id: int | None = None) -> HandoffView:
    return HandoffView(
        id=row.id,
        person_id=row.person_id,
        text=row.text,
        locale=row.locale,
        state=row.state,
        course_id=row.course_id,
        liaison_chat_id=row.liaison_chat_id,
        liaison_message_id=row.liaison_message_id,
        outbox_id=outbox_id,
    )


async def _course_id(session: AsyncSession, code: str | None) -> int | None:
    if not code:
        return None
    return await session.scalar(select(Course.id).where(Course.code == code))


async def offer(
    person_id: int, text: str, locale: str, course_code: str | None = None
) -> HandoffView:
    """Store a question a person may send to a human (state offered), text kept verbatim."""
    async with session_scope() as session:
        row = HandoffQuestion(
            person_id=person_id,
            text=text[:MAX_QUESTION],
            locale=locale,
            course_id=await _course_id(session, course_code),
            state="offered",
        )
        session.add(row)
        await session.flush()
        # Only the newest offer stays open: an older question never sent is not kept (and its
        # button goes stale), so /mydata and the records hold only what reached a person.
        # Deleted after the insert so SQLite cannot hand the old id (and button) to the new row.
        await session.execute(
            delete(HandoffQuestion).where(
                HandoffQuestion.person_id == person_id,
                HandoffQuestion.state == "offered",
                HandoffQuestion.text != "",
                HandoffQuestion.id < row.id,
            )
        )
        return _view(row)


async def _enqueue(session: AsyncSession, row: HandoffQuestion, liaison_chat_id: int) -> int:
    now = utcnow()
    row.state = "queued"
    out = OutboxMessage(
        kind=FORWARD, chat_id=liaison_chat_id, payload={"handoff_id": row.id}, due_at=now
    )
    session.add(out)
    await session.flush()
    return out.id


async def confirm(handoff_id: int, person_id: int, *, liaison_chat_id: int) -> HandoffView | None:
    """Queue an offered question for the liaison chat; None for someone else's or a used offer."""
    async with session_scope() as session:
        row = await session.get(HandoffQuestion, handoff_id, with_for_update=True)
        if row is None or row.person_id != person_id or row.state != "offered" or not row.text:
            return None
        outbox_id = await _enqueue(session, row, liaison_chat_id)
        return _view(row, outbox_id)


async def dismiss(handoff_id: int, person_id: int) -> bool:
    """The person declined the offer; False when it was not theirs or no longer offered."""
    async with session_scope() as session:
        row = await session.get(HandoffQuestion, handoff_id, with_for_update=True)
        if row is None or row.person_id != person_id or row.state != "offered":
            return False
        # Declined: the words were never meant for anyone, so nothing of them is kept.
        await session.delete(row)
        return True


def _awaiting_query(person_id: int):
    return (
        select(HandoffQuestion)
        .where(
            HandoffQuestion.person_id == person_id,
            HandoffQuestion.state == "offered",
            HandoffQuestion.text == "",
            HandoffQuestion.created_at >= utcnow() - AWAIT_FOR,
        )
        .order_by(HandoffQuestion.id.desc())
        .limit(1)
    )


async def start_contact(person_id: int, locale: str) -> HandoffView:
    """Remember that the person's next message is a question for a human (/contact)."""
    async with session_scope() as session:
        # The next message is the question, not an answer to a form left open.
        await engine.pause_all(session, person_id)
        row = await session.scalar(_awaiting_query(person_id))
        if row is None:
            row = HandoffQuestion(person_id=person_id, text="", locale=locale, state="offered")
            session.add(row)
        row.created_at, row.locale = utcnow(), locale
        await session.flush()
        return _view(row)


def waiting_for_text(person_id: int) -> ColumnElement[bool]:
    """EXISTS: an open /contact request of the person waits for the question (text router)."""
    return _awaiting_query(person_id).exists()


async def submit_question(
    person_id: int, text: str, locale: str, *, liaison_chat_id: int
) -> HandoffView | None:
    """Fill the open /contact request with the question and queue it; None if none is open."""
    async with session_scope() as session:
        row = await session.scalar(_awaiting_query(person_id).with_for_update())
        if row is None:
            return None
        row.text, row.locale = text[:MAX_QUESTION], locale
        outbox_id = await _enqueue(session, row, liaison_chat_id)
        return _view(row, outbox_id)


async def cancel_contact(person_id: int) -> bool:
    """Drop an open /contact request (/cancel); False when there was none."""
    async with session_scope() as session:
        row = await session.scalar(_awaiting_query(person_id).with_for_update())
        if row is None:
            return False
        await session.delete(row)
        return True


async def mark_forwarded(
    session: AsyncSession, handoff_id: int, chat_id: int, message_id: int
) -> None:
    """Within a transaction: the question now lives at chat_id/message_id in the liaison chat."""
    row = await session.get(HandoffQuestion, handoff_id)
    if row is None:
        return
    row.liaison_chat_id, row.liaison_message_id = chat_id, message_id
    row.forwarded_at = utcnow()
    if row.state in ("offered", "queued"):
        row.state = "forwarded"


async def find_by_liaison_message(chat_id: int, message_id: int) -> HandoffView | None:
    """The question forwarded as message_id in chat_id, or None (ordinary group chatter)."""
    async with session_scope() as session:
        row = await session.scalar(
            select(HandoffQuestion).where(
                HandoffQuestion.liaison_chat_id == chat_id,
                HandoffQuestion.liaison_message_id == message_id,
            )
        )
        return _view(row) if row else None


async def record_answer(
    handoff_id: int, answered_by_person_id: int, text: str, *, at: datetime | None = None
) -> AnswerView:
    """Store an officer's answer (state answered) and queue its delivery to the trainee."""
    async with session_scope() as session:
        row = await session.get(HandoffQuestion, handoff_id, with_for_update=True)
        if row is None:
            raise LookupError(f"no handoff question {handoff_id}")
        person = await session.get(Person, row.person_id)
        assert person is not None
        now = at or utcnow()
        row.state, row.answer = "answered", text
        row.answered_by, row.answered_at = answered_by_person_id, now
        out = OutboxMessage(
            kind=ANSWER,
            chat_id=person.telegram_id,
            person_id=person.id,
            payload={"handoff_id": row.id},
            due_at=now,
        )
        session.add(out)
        await session.flush()
        return AnswerView(row.id, person.id, display_name(person), person.telegram_id, out.id)
