"""Shared set-up for the evaluation and survey tests: enrolments, postcards and invitations."""

from __future__ import annotations

from sqlalchemy import select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import db
from bot.core.models import Person
from bot.features.applications.models import Application
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course

KYIV = "2018-07"  # 27 May – 3 Jun 2018


async def course_id(code: str = KYIV) -> int:
    """The id of a sample course."""
    async with db.session_scope() as s:
        return await s.scalar(select(Course.id).where(Course.code == code))


async def trainee(
    conv, uid: int, lang: str, code: str = KYIV, actions=None, status: str = "accepted"
) -> tuple[int, int]:
    """A person (language confirmed) with an application to a course and, when `actions` are
    given, a postcard; returns (person id, course id)."""
    conv.user(uid, lang=lang)
    cid = await course_id(code)
    async with db.session_scope() as s:
        person = Person(telegram_id=uid, first_name=f"User{uid}", locale=lang)
        person.locale_confirmed = True
        s.add(person)
        await s.flush()
        s.add(Application(course_id=cid, person_id=person.id, status=status, answers={}))
        if actions is not None:
            s.add(
                Postcard(
                    person_id=person.id,
                    course_id=cid,
                    actions=[{"text": t, "target": m} for t, m in actions],
                    locale=lang,
                    state="final",
                )
            )
        return person.id, cid


async def invite(conv, uid: int, flow: str, cid: int):
    """Send the invitation the follow-up scheduler would send, then press its button."""
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Start", callback_data=f"{flow}:go:{cid}")]]
    )
    await conv.app.bot.send_message(uid, "Invitation", reply_markup=markup)
    return await press(conv, uid, f"{flow}:go:{cid}")


async def press(conv, uid: int, label_or_data: str):
    """Press a button; only the messages sent in reply (the answered question's edit left out)."""
    return [e for e in await conv.press(uid, label_or_data) if e.method == "sendMessage"]


async def evaluations() -> list[Evaluation]:
    """Every evaluation row, oldest first."""
    async with db.session_scope() as s:
        return list(await s.scalars(select(Evaluation).order_by(Evaluation.id)))


async def responses() -> list[SurveyResponse]:
    """Every survey response row, oldest first."""
    async with db.session_scope() as s:
        return list(await s.scalars(select(SurveyResponse).order_by(SurveyResponse.id)))


def labels(event) -> list[str]:
    """The button labels of a sent message."""
    return [b["text"] for row in event.buttons for b in row]
