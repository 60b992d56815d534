"""Trainee notices about their application, rendered in the trainee's language at send time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application as PtbApplication

from bot.config import DEFAULT_TIMEZONE
from bot.core.models import City, Person
from bot.core.outbox_dispatch import OutboxItem, Sender, Skip
from bot.core.outbox_job import add_sender
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.applications.review_callbacks import OFFER
from bot.features.applications.review_common import NOTICE
from bot.features.schedule.models import Course
from bot.i18n import fmt_date, fmt_date_range, fmt_datetime, pick, translator

DECISION_EVENTS = ("accepted", "waitlisted", "declined", "under_review")


@dataclass(frozen=True)
class Notice:
    """A rendered notice: text and, for an offer, the take/decline buttons."""

    text: str
    buttons: InlineKeyboardMarkup | None = None


def course_label(course: Course, locale: str) -> str:
    """The course title with its dates in the reader's language, e.g. 'Water (17–24 Jun 2018)'."""
    title = pick(course.title, locale) or course.code
    if course.starts and course.ends:
        return f"{title} ({fmt_date_range(course.starts, course.ends, locale)})"
    if course.starts:
        return f"{title} ({fmt_date(course.starts, locale)})"
    return title


async def _zone(session, person: Person, app: Application, default: str) -> str:
    """The trainee's time zone: their own, their city's, the applied-for city's, else Seoul."""
    if person.timezone:
        return person.timezone
    city = await session.get(City, person.city_id) if person.city_id else None
    if city is None and (app.answers or {}).get("city_key"):
        city = await session.scalar(select(City).where(City.key == app.answers["city_key"]))
    return city.timezone if city else default


async def render(item: OutboxItem, default_tz: str = DEFAULT_TIMEZONE) -> Notice:
    """The notice of an outbox row; raises Skip when it no longer applies."""
    event, note = item.payload.get("event"), item.payload.get("note")
    async with session_scope() as session:
        app = await session.get(Application, int(item.payload["application_id"]))
        if app is None:
            raise Skip("application deleted")
        person = await session.get(Person, app.person_id)
        course = await session.get(Course, app.course_id)
        assert person is not None and course is not None
        zone = await _zone(session, person, app, default_tz)
    # A notice queued while Telegram was down must not announce a decision since changed.
    if event in DECISION_EVENTS and app.status != event:
        raise Skip(f"application {app.id} is now {app.status}, not {event}")
    if event == "offer" and app.offer_state != "offered":
        raise Skip(f"offer of application {app.id} is {app.offer_state}")
    tr = translator(person.locale)
    course_text = course_label(course, person.locale)
    buttons, deadline = None, ""
    if event == "accepted":
        text = tr.gettext(
            "Congratulations! You have been accepted to {course}.\n\n"
            "Next steps: we will send the official invitation letter and travel information "
            "to your e-mail address. Please check that your passport is valid for at least six "
            "months after the course. If you can no longer take part, please let us know as "
            "soon as possible so that another official can take your seat."
        )
    elif event == "waitlisted":
        text = tr.gettext(
            "Thank you for applying to {course}. All seats are currently taken, so your "
            "application is on the waiting list. If a seat becomes free, we will offer it to "
            "you here."
        )
    elif event == "declined":
        text = tr.gettext(
            "Thank you for your interest in {course}. We regret that we are unable to offer "
            "you a place in this course. We hope to welcome you to another course of the "
            "programme."
        )
    elif event == "under_review":
        text = tr.gettext(
            "Your application to {course} is being reviewed by the programme team. We will "
            "let you know the decision here."
        )
    elif event == "offer":
        assert app.offer_expires_at is not None
        deadline = fmt_datetime(app.offer_expires_at, zone, person.locale, fmt="short")
        text = tr.gettext(
            "Good news: a seat has become free in {course}, and we are offering it to you. "
            "Please answer by {deadline} ({zone}). If we have no answer by then, the seat "
            "will be offered to the next applicant."
        )
        buttons = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        tr.gettext("Take the seat"),
                        callback_data=OFFER.pack(choice="take", app=app.id),
                    ),
                    InlineKeyboardButton(
                        tr.gettext("Decline"), callback_data=OFFER.pack(choice="no", app=app.id)
                    ),
                ]
            ]
        )
    elif event == "offer_lapsed":
        text = tr.gettext(
            "The seat offered to you in {course} was not taken in time, so it has been "
            "offered to the next applicant. Thank you for your interest in the programme."
        )
    else:
        raise Skip(f"unknown application event {event!r}")
    text = text.format(course=course_text, deadline=deadline, zone=zone)
    if note:
        text += "\n\n" + tr.gettext("Note from the programme team: {note}").format(note=note)
    return Notice(text, buttons)


def sender(default_tz: str) -> Sender:
    """The outbox sender of trainee application notices."""

    async def send(bot: Bot, item: OutboxItem) -> int:
        notice = await render(item, default_tz)
        message = await bot.send_message(item.chat_id, notice.text, reply_markup=notice.buttons)
        return message.message_id

    return Sender(send)


def register(app: PtbApplication) -> None:
    """Declare the application-notice outbox kind."""
    add_sender(app, NOTICE, sender(app.bot_data.settings.timezone))
