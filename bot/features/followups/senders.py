"""Delivering follow-up outbox rows, each rendered in the trainee's language at send time."""

from __future__ import annotations

import asyncio
import importlib
import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.ext import Application as PtbApplication

from bot.core.models import Person
from bot.core.outbox import OutboxMessage
from bot.core.outbox_dispatch import OutboxItem, Sender, Skip
from bot.core.outbox_job import add_sender
from bot.db import session_scope
from bot.features.applications.api import course_label
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.followups.schedule import (
    EVALUATION,
    NUDGE_1,
    NUDGE_2,
    POSTCARD_RETURN,
    SURVEY,
    schedule_nudges,
)
from bot.features.postcards.api import card_for, render_postcard
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course
from bot.i18n import Translator, fmt_date, translator

log = logging.getLogger(__name__)
CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class Subject:
    """What a follow-up row is about, loaded once per send."""

    person: Person
    course: Course
    tr: Translator
    course_text: str


async def _subject(item: OutboxItem) -> Subject:
    course_id = int(item.payload.get("course_id") or 0)
    async with session_scope() as session:
        person = await session.get(Person, item.person_id) if item.person_id else None
        course = await session.get(Course, course_id)
    if person is None or course is None:
        raise Skip(f"follow-up {item.id}: person or course no longer exists")
    return Subject(person, course, translator(person.locale), course_label(course, person.locale))


async def answered(kind: str, person_id: int, course_id: int) -> bool:
    """Whether the trainee completed the evaluation (kind 'evaluation') or the survey.

    The conversations' own `evaluation_done`/`survey_done` decide; until their module exists
    the completed row in the shared table is the answer.
    """
    module, name, model = {
        EVALUATION: ("bot.features.followups.evaluation", "evaluation_done", Evaluation),
        SURVEY: ("bot.features.followups.survey", "survey_done", SurveyResponse),
    }[kind]
    try:
        done = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        async with session_scope() as session:
            found = await session.scalar(
                select(model.id).where(
                    model.person_id == person_id,
                    model.course_id == course_id,
                    model.completed_at.is_not(None),
                )
            )
        return found is not None
    return bool(await done(person_id, course_id))


def _button(tr: Translator, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(tr.gettext("Start"), callback_data=data)]])


def _month(target: str | None, locale: str) -> str | None:
    """A 'YYYY-MM' target as the reader writes a month, e.g. 'октябрь 2018 г.'."""
    try:
        year, month = (int(p) for p in (target or "").split("-")[:2])
        return fmt_date(date(year, month, 1), locale, fmt="LLLL y")
    except ValueError:
        return target or None


def plan_text(card: Postcard, tr: Translator) -> str:
    """The postcard as text, for when the picture cannot be drawn."""
    lines = []
    if card.inspired_by:
        lines.append(tr.gettext("Inspired by: {policy}").format(policy=card.inspired_by))
    for number, action in enumerate(card.actions or [], start=1):
        line = f"{number}. {action.get('text') or ''}"
        month = _month(action.get("target"), tr.locale)
        if month:
            line += " — " + tr.gettext("by {month}").format(month=month)
        lines.append(line)
    if card.obstacles:
        lines.append(tr.gettext("Obstacles: {obstacles}").format(obstacles=card.obstacles))
    return "\n".join(lines)


async def _picture(person_id: int, course_id: int, locale: str) -> bytes | None:
    """The postcard picture, or None when there is no card or it cannot be drawn."""
    card = await card_for(person_id, course_id)
    if card is None:
        return None
    try:
        # Drawing takes a moment of CPU: keep it off the event loop that serves updates.
        return await asyncio.to_thread(render_postcard, card, locale=locale)
    except Exception:
        # The reminder matters more than the picture: fall back to the text version.
        log.exception("could not draw the postcard of person %s", person_id)
        return None


async def send_postcard_return(bot: Bot, item: OutboxItem) -> int:
    """Two months on: the trainee's own plan, as a picture (or text), and how is it going."""
    s = await _subject(item)
    async with session_scope() as session:
        card = await session.scalar(
            select(Postcard).where(
                Postcard.person_id == s.person.id, Postcard.course_id == s.course.id
            )
        )
    if card is None:
        raise Skip(f"follow-up {item.id}: the postcard was deleted")
    text = s.tr.gettext(
        "Two months ago in Seoul, at the course {course}, you wrote this plan for your work "
        "at home. How is it going?"
    ).format(course=s.course_text)
    support = s.tr.gettext("If you would like support from Seoul, write /contact.")
    picture = await _picture(s.person.id, s.course.id, s.person.locale)
    if picture is not None:
        caption = f"{text}\n\n{support}"
        upload = InputFile(picture, filename="postcard.png")
        message = await bot.send_photo(item.chat_id, upload, caption=caption[:CAPTION_LIMIT])
        return message.message_id
    head = s.tr.gettext("Your plan:")
    body = plan_text(card, s.tr)
    message = await bot.send_message(item.chat_id, f"{text}\n\n{head}\n{body}\n\n{support}")
    return message.message_id


async def send_evaluation(bot: Bot, item: OutboxItem) -> int:
    """Four months on: the invitation to the field-application evaluation."""
    s = await _subject(item)
    if await answered(EVALUATION, s.person.id, s.course.id):
        raise Skip(f"follow-up {item.id}: the evaluation is already answered")
    text = s.tr.gettext(
        "Four months ago you took part in the course {course} in Seoul. How far have you been "
        "able to put your action plan into practice? Please answer a short evaluation (about "
        "5 minutes): your answers help us improve the programme."
    ).format(course=s.course_text)
    markup = _button(s.tr, f"ev:go:{s.course.id}")
    return (await bot.send_message(item.chat_id, text, reply_markup=markup)).message_id


async def after_evaluation(session: AsyncSession, item: OutboxItem, message_id: int) -> None:
    """The evaluation went out: plan its two reminders from the day it was sent."""
    row = await session.get(OutboxMessage, item.id)
    assert row is not None and row.sent_at is not None
    course_id = int(item.payload.get("course_id") or 0)
    if item.person_id is not None:
        await schedule_nudges(session, item.person_id, course_id, row.sent_at)


async def send_nudge(bot: Bot, item: OutboxItem) -> int:
    """A reminder with the same Start button; nothing when the trainee already answered."""
    s = await _subject(item)
    if await answered(EVALUATION, s.person.id, s.course.id):
        raise Skip(f"follow-up {item.id}: the evaluation is already answered")
    if item.kind == NUDGE_1:
        text = s.tr.gettext(
            "A friendly reminder: your answers to the field-application evaluation of the "
            "course {course} would help us a great deal. It takes about 5 minutes."
        )
    else:
        text = s.tr.gettext(
            "A last reminder about the field-application evaluation of the course {course}. "
            "We would be very grateful for your answers; it takes about 5 minutes."
        )
    markup = _button(s.tr, f"ev:go:{s.course.id}")
    message = await bot.send_message(
        item.chat_id, text.format(course=s.course_text), reply_markup=markup
    )
    return message.message_id


async def send_survey(bot: Bot, item: OutboxItem) -> int:
    """The last course day: the invitation to rate the course."""
    s = await _subject(item)
    if await answered(SURVEY, s.person.id, s.course.id):
        raise Skip(f"follow-up {item.id}: the survey is already answered")
    text = s.tr.gettext(
        "Thank you for taking part in the course {course}. Please rate the course before you "
        "leave: it takes about 2 minutes."
    ).format(course=s.course_text)
    markup = _button(s.tr, f"sv:go:{s.course.id}")
    return (await bot.send_message(item.chat_id, text, reply_markup=markup)).message_id


SENDERS = {
    POSTCARD_RETURN: Sender(send_postcard_return),
    EVALUATION: Sender(send_evaluation, after_evaluation),
    NUDGE_1: Sender(send_nudge),
    NUDGE_2: Sender(send_nudge),
    SURVEY: Sender(send_survey),
}


def register(app: PtbApplication) -> None:
    """Declare the follow-up outbox kinds."""
    for kind, sender in SENDERS.items():
        add_sender(app, kind, sender)
