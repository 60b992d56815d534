"""Rendering handoff outbox rows at send time, each in its recipient's language."""

from __future__ import annotations

from babel import Locale
from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import City, Person
from bot.core.names import display_name
from bot.core.outbox_dispatch import Skip
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.handoff.models import HandoffQuestion
from bot.features.schedule.models import Course
from bot.i18n import LANGUAGE_NAMES, fmt_date_range, pick, translator

FORWARD = "handoff_forward"
ANSWER = "handoff_answer"
TELEGRAM_LIMIT = 4096
QUOTE_LIMIT = 200


def shorten(text: str, limit: int) -> str:
    """The text cut to `limit` characters with an ellipsis when it is longer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def language_label(code: str, reader: str) -> str:
    """A language named in the reader's language and in its own, e.g. 'Russian (Русский)'."""
    try:
        name = Locale.parse(code).get_display_name(reader) or code
    except ValueError:
        return code
    native = LANGUAGE_NAMES.get(code)
    return f"{name} ({native})" if native and native != name else name


# Which of a trainee's applications the team means by "their course": the one they attend
# before one awaiting a decision, never a draft they did not send or one that ended.
_LIVE_RANK = case(
    (Application.status == "accepted", 0),
    (Application.status == "waitlisted", 1),
    (Application.status.in_(("submitted", "under_review")), 2),
    else_=3,
)


async def _course_title(session: AsyncSession, row: HandoffQuestion, locale: str) -> str | None:
    course_id = row.course_id
    if course_id is None:
        # No course named with the question: the trainee's live application, if any.
        course_id = await session.scalar(
            select(Application.course_id)
            .where(
                Application.person_id == row.person_id,
                Application.status.in_(("accepted", "waitlisted", "submitted", "under_review")),
            )
            .order_by(_LIVE_RANK, Application.created_at.desc(), Application.id.desc())
            .limit(1)
        )
    course = await session.get(Course, course_id) if course_id else None
    if course is None:
        return None
    title = pick(course.title, locale) or course.code
    if course.starts and course.ends:
        # The dates, not the code: "2018-10" reads as October for a course of late August.
        span = fmt_date_range(course.starts, course.ends, locale)
        return f"{title} ({span})"
    return title


async def forward_text(handoff_id: int, locale: str) -> str:
    """The question as the liaison chat reads it, in `locale`; raises Skip if it is gone."""
    tr = translator(locale)
    async with session_scope() as session:
        row = await session.get(HandoffQuestion, handoff_id)
        if row is None:
            raise Skip(f"handoff question {handoff_id} no longer exists")
        person = await session.get(Person, row.person_id)
        assert person is not None
        city = await session.get(City, person.city_id) if person.city_id else None
        course = await _course_title(session, row, locale)
    who = tr.gettext("From: {name}, Telegram ID {telegram_id}").format(
        name=display_name(person) + (f" (@{person.username})" if person.username else ""),
        telegram_id=person.telegram_id,
    )
    lines = [tr.gettext("Question from a trainee (no. {number})").format(number=row.id), who]
    place = ", ".join(p for p in (city.name if city else None, person.country) if p)
    if place:
        lines.append(tr.gettext("City: {city}").format(city=place))
    if person.organisation:
        # "DEPW Manila (Engineer II)": read as one organisation, not a list of two.
        org = person.organisation + (f" ({person.position})" if person.position else "")
        lines.append(tr.gettext("Organisation: {organisation}").format(organisation=org))
    lines.append(
        tr.gettext("Language: {language}").format(language=language_label(row.locale, locale))
    )
    if course:
        lines.append(tr.gettext("Course: {course}").format(course=course))
    head = "\n".join(lines)
    foot = tr.gettext("Reply to this message to answer.")
    room = TELEGRAM_LIMIT - len(head) - len(foot) - 8
    question = row.text if len(row.text) <= room else row.text[: room - 1] + "…"
    return f"{head}\n\n{question}\n\n↩️ {foot}"


async def answer_texts(handoff_id: int) -> list[str]:
    """The answer as the trainee reads it, in their current language, split to fit Telegram."""
    async with session_scope() as session:
        row = await session.get(HandoffQuestion, handoff_id)
        if row is None or not row.answer:
            raise Skip(f"handoff question {handoff_id} has no answer to deliver")
        person = await session.get(Person, row.person_id)
        assert person is not None
    tr = translator(person.locale)
    head = tr.gettext("A coordinator has answered your question: «{question}»").format(
        question=shorten(row.text, QUOTE_LIMIT)
    )
    text = f"{head}\n\n{row.answer}"
    if len(text) <= TELEGRAM_LIMIT:
        return [text]
    # An officer's long answer is never cut: it follows the heading in as many parts as needed.
    answer = row.answer
    return [head] + [answer[i : i + TELEGRAM_LIMIT] for i in range(0, len(answer), TELEGRAM_LIMIT)]
