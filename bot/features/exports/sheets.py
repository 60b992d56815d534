"""The six sheets of the staff workbook: their columns and rows, read from the feature tables."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel import Locale
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Person
from bot.core.names import display_name
from bot.core.outbox import OutboxMessage
from bot.core.sheets import Column, Sheet, wall_clock
from bot.features.applications.api import COLUMNS as APPLICATION_COLUMNS
from bot.features.applications.api import application_row, ranked
from bot.features.applications.models import Application
from bot.features.followups.api import FOLLOWUP_KINDS, ITEMS
from bot.features.followups.labels import ITEM_LABELS, KIND_LABELS, STATE_LABELS
from bot.features.followups.labels import STATUS_LABELS as ACTION_STATUS
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.postcards.models import Postcard
from bot.features.schedule.labels import THEME_LABELS, TYPE_NAMES
from bot.features.schedule.models import Course
from bot.i18n import N_, Translator, pick

MAX_ACTIONS = 3  # a postcard holds at most three actions


@dataclass(frozen=True)
class Reader:
    """Who the sheets are written for: translator, Babel locale and wall-clock time zone."""

    tr: Translator
    loc: Locale
    zone: ZoneInfo

    def label(self, labels: dict[str, str], value: str | None) -> str:
        """A stored code as its translated label (the code itself when unknown)."""
        if not value:
            return ""
        return self.tr.gettext(labels[value]) if value in labels else value


def person_name(person: Person | None) -> str:
    """A person's name as in the passport when known, else as on Telegram."""
    return "" if person is None else display_name(person)


COURSE = Column("course", N_("Course"), 10)
TITLE = Column("title", N_("Course title"), 40)
TRAINEE = Column("trainee", N_("Trainee"), 26)

COURSES = (
    COURSE,
    Column("year", N_("Year"), 7, "int"),
    TITLE,
    Column("type", N_("Course type"), 16),
    Column("theme", N_("Theme"), 18),
    Column("starts", N_("Starts"), 12, "date"),
    Column("ends", N_("Ends"), 12, "date"),
    Column("seats", N_("Seats"), 7, "int"),
    Column("applications", N_("Applications"), 9, "int"),
    Column("accepted", N_("Accepted"), 9, "int"),
)
APPLICATIONS = (COURSE, TITLE, *APPLICATION_COLUMNS)
POSTCARDS = (
    COURSE,
    TRAINEE,
    Column("state", N_("State"), 10),
    Column("inspired_by", N_("Inspired by"), 40),
    *(
        column
        for n in range(1, MAX_ACTIONS + 1)
        for column in (
            Column(f"action{n}", N_("Action {n}"), 36, number=n),
            Column(f"target{n}", N_("Target month {n}"), 10, number=n),
        )
    ),
    Column("obstacles", N_("Obstacles"), 30),
    Column("support", N_("Support wanted"), 30),
    Column("updated_at", N_("Last change"), 17, "datetime"),
)
FOLLOWUPS = (
    COURSE,
    TRAINEE,
    Column("kind", N_("Follow-up"), 16),
    Column("due_at", N_("Due"), 17, "datetime"),
    Column("state", N_("State"), 10),
    Column("sent_at", N_("Sent at"), 17, "datetime"),
    Column("attempts", N_("Attempts"), 8, "int"),
)
EVALUATIONS = (
    COURSE,
    TRAINEE,
    *(
        column
        for n in range(1, MAX_ACTIONS + 1)
        for column in (
            Column(f"action{n}", N_("Action {n}"), 36, number=n),
            Column(f"status{n}", N_("Status {n}"), 14, number=n),
            Column(f"evidence{n}", N_("Evidence {n}"), 30, number=n),
        )
    ),
    Column("rating", N_("Usefulness (1–5)"), 10, "int"),
    Column("comment", N_("Comment"), 40),
    Column("volunteer", N_("Forum volunteer"), 10),
    Column("completed_at", N_("Completed"), 17, "datetime"),
)
SURVEYS = (
    COURSE,
    TRAINEE,
    *(Column(item, ITEM_LABELS[item], 12, "int") for item in ITEMS),
    Column("comment", N_("Comment"), 40),
    Column("completed_at", N_("Completed"), 17, "datetime"),
)


def _course(course: Course, reader: Reader) -> dict:
    return {"course": course.code, "title": pick(course.title, reader.tr.locale)}


async def _courses(session: AsyncSession, courses: list[Course], reader: Reader) -> list[dict]:
    ids = [c.id for c in courses]
    counts: dict[tuple[int, bool], int] = {}
    found = await session.execute(
        select(Application.course_id, Application.status, func.count())
        .where(Application.course_id.in_(ids), Application.status != "draft")
        .group_by(Application.course_id, Application.status)
    )
    for course_id, status, count in found:
        key = (course_id, status == "accepted")
        counts[key] = counts.get(key, 0) + int(count)
    return [
        {
            **_course(c, reader),
            "year": c.year,
            "type": reader.label(TYPE_NAMES, c.type),
            "theme": reader.label(THEME_LABELS, c.theme),
            "starts": c.starts,
            "ends": c.ends,
            "seats": c.seats,
            "applications": counts.get((c.id, True), 0) + counts.get((c.id, False), 0),
            "accepted": counts.get((c.id, True), 0),
        }
        for c in courses
    ]


async def _applications(session: AsyncSession, courses: list[Course], r: Reader) -> list[dict]:
    rows = []
    for course in courses:
        for rank, (app, person, _s) in enumerate(await ranked(session, course.id), start=1):
            row = application_row(rank, app, person, r.tr, r.loc, r.zone)
            rows.append({**_course(course, r), **row})
    return rows


async def _pairs(session: AsyncSession, model, courses: list[Course]) -> list:
    by_id = {c.id: c for c in courses}
    found = await session.execute(
        select(model, Person)
        .join(Person, Person.id == model.person_id)
        .where(model.course_id.in_(list(by_id)))
        .order_by(model.course_id, model.id)
    )
    return [(by_id[row.course_id], row, person) for row, person in found]


async def _postcards(session: AsyncSession, courses: list[Course], r: Reader) -> list[dict]:
    rows = []
    for course, card, person in await _pairs(session, Postcard, courses):
        row = {
            **_course(course, r),
            "trainee": person_name(person),
            "state": r.tr.gettext(N_("final") if card.state == "final" else N_("draft")),
            "inspired_by": card.inspired_by or "",
            "obstacles": card.obstacles or "",
            "support": card.support or "",
            "updated_at": wall_clock(card.updated_at, r.zone),
        }
        for n, action in enumerate((card.actions or [])[:MAX_ACTIONS], start=1):
            row[f"action{n}"] = str(action.get("text") or "")
            row[f"target{n}"] = str(action.get("target") or "")
        rows.append(row)
    return rows


async def _followups(session: AsyncSession, courses: list[Course], r: Reader) -> list[dict]:
    rows = []
    for course in courses:
        found = await session.execute(
            select(OutboxMessage, Person)
            .outerjoin(Person, Person.id == OutboxMessage.person_id)
            # The key ends with the course id (see followups.schedule.followup_key).
            .where(
                OutboxMessage.kind.in_(FOLLOWUP_KINDS),
                OutboxMessage.key.like(f"%:{course.id}"),
            )
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
        for message, person in found:
            rows.append(
                {
                    **_course(course, r),
                    "trainee": person_name(person),
                    "kind": r.label(KIND_LABELS, message.kind),
                    "due_at": wall_clock(message.due_at, r.zone),
                    "state": r.label(STATE_LABELS, message.state),
                    "sent_at": wall_clock(message.sent_at, r.zone),
                    "attempts": message.attempts,
                }
            )
    return rows


async def _evaluations(session: AsyncSession, courses: list[Course], r: Reader) -> list[dict]:
    cards = {
        (card.person_id, card.course_id): card.actions or []
        for _c, card, _p in await _pairs(session, Postcard, courses)
    }
    yes, no = r.tr.gettext(N_("yes")), r.tr.gettext(N_("no"))
    rows = []
    for course, ev, person in await _pairs(session, Evaluation, courses):
        actions = cards.get((person.id, course.id), [])
        row = {
            **_course(course, r),
            "trainee": person_name(person),
            "rating": ev.rating,
            "comment": ev.comment or "",
            "volunteer": "" if ev.volunteer is None else (yes if ev.volunteer else no),
            "completed_at": wall_clock(ev.completed_at, r.zone),
        }
        for result in ev.results or []:
            index = result.get("action")
            if not isinstance(index, int) or not 0 <= index < MAX_ACTIONS:
                continue
            n = index + 1
            if index < len(actions) and isinstance(actions[index], dict):
                row[f"action{n}"] = str(actions[index].get("text") or "")
            row[f"status{n}"] = r.label(ACTION_STATUS, result.get("status"))
            row[f"evidence{n}"] = result.get("evidence") or ""
        rows.append(row)
    return rows


async def _surveys(session: AsyncSession, courses: list[Course], r: Reader) -> list[dict]:
    rows = []
    for course, response, person in await _pairs(session, SurveyResponse, courses):
        scores = response.scores or {}
        rows.append(
            {
                **_course(course, r),
                "trainee": person_name(person),
                **{item: scores.get(item) for item in ITEMS},
                "comment": response.comment or "",
                "completed_at": wall_clock(response.completed_at, r.zone),
            }
        )
    return rows


Builder = Callable[[AsyncSession, list[Course], Reader], Awaitable[list[dict]]]
# name → (tab title msgid, columns, rows); the order is the workbook's.
SHEETS: dict[str, tuple[str, tuple[Column, ...], Builder]] = {
    "courses": (N_("Courses"), COURSES, _courses),
    "applications": (N_("Applications"), APPLICATIONS, _applications),
    "postcards": (N_("Postcards"), POSTCARDS, _postcards),
    "followups": (N_("Follow-ups"), FOLLOWUPS, _followups),
    "evaluations": (N_("Evaluations"), EVALUATIONS, _evaluations),
    "surveys": (N_("Surveys"), SURVEYS, _surveys),
}


async def build_sheet(
    session: AsyncSession, name: str, courses: list[Course], reader: Reader
) -> Sheet:
    """One sheet of the workbook for the given courses, in the reader's language."""
    title, columns, builder = SHEETS[name]
    return Sheet(name, reader.tr.gettext(title), columns, await builder(session, courses, reader))
