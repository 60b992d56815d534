"""Planning the follow-ups as outbox rows: postcard return, evaluation, nudges, survey.

Every row has a unique key `<kind>:<person_id>:<course_id>`, so scheduling is idempotent and
safe to run from the repeating job, the `tick` command and several processes at once. Rows are
rendered only at send time (senders.py); here we decide who gets what, and when.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import local_today, programme_zone, zone_name
from bot.core import audit
from bot.core.authz import require_staff
from bot.core.models import City, Person
from bot.core.names import display_name
from bot.core.outbox import OutboxMessage
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course

POSTCARD_RETURN = "postcard_return"
EVALUATION = "evaluation"
NUDGE_1 = "evaluation_nudge_1"
NUDGE_2 = "evaluation_nudge_2"
SURVEY = "survey"
FOLLOWUP_KINDS = (SURVEY, POSTCARD_RETURN, EVALUATION, NUDGE_1, NUDGE_2)
NUDGES = ((NUDGE_1, 7), (NUDGE_2, 14))
LOCAL_HOUR = 10  # follow-ups land mid-morning in the trainee's home zone, never at night
SURVEY_TIME = time(14, 0)  # the last course day, after the closing session
# A survey missed because the bot was down on the last day may still go out a few days late;
# months later it would only puzzle the trainee.
SURVEY_GRACE_DAYS = 3
MOVABLE_STATES = ("pending", "failed")


@dataclass(frozen=True)
class FollowupRow:
    """One follow-up outbox row as staff see it."""

    id: int
    kind: str
    person_id: int | None
    person_name: str
    chat_id: int
    course_id: int
    course_code: str
    due_at: datetime
    state: str
    sent_at: datetime | None


@dataclass(frozen=True)
class FollowupChange:
    """The outcome of a staff move or cancel: ok, or the reason it was refused."""

    ok: bool
    reason: str | None = None  # not_found | not_pending
    row: FollowupRow | None = None


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, the day clamped to the month end (Aug 31 → Nov 30)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def zone_or_seoul(name: str | None) -> ZoneInfo:
    """The zone named, or Seoul when it is empty or unknown (a typo must not stop delivery)."""
    try:
        return ZoneInfo(name) if name else programme_zone()
    except (ZoneInfoNotFoundError, ValueError):
        return programme_zone()


def local_instant(day: date, zone: ZoneInfo, at: time = time(LOCAL_HOUR)) -> datetime:
    """The aware instant of `at` on `day` in `zone` (ZoneInfo resolves DST gaps forward)."""
    return datetime.combine(day, at, tzinfo=zone)


def followup_key(kind: str, person_id: int, course_id: int) -> str:
    """The unique outbox key of one follow-up."""
    return f"{kind}:{person_id}:{course_id}"


async def home_zone(session: AsyncSession, person: Person) -> ZoneInfo:
    """Where the trainee lives: their own zone, else their city's, else Seoul."""
    if person.timezone:
        return zone_or_seoul(person.timezone)
    city = await session.get(City, person.city_id) if person.city_id else None
    return zone_or_seoul(city.timezone if city else None)


def _wrote_postcard(card: Postcard) -> bool:
    return card.state == "final" or bool(card.actions)


async def insert_rows(session: AsyncSession, rows: list[dict]) -> int:
    """Insert outbox rows whose key is new; returns how many were created.

    Existing keys are read first (the common case: nothing to do); ON CONFLICT DO NOTHING
    covers two schedulers racing for the same key without failing the transaction.
    """
    if not rows:
        return 0
    keys = [r["key"] for r in rows]
    existing = set(
        await session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys)))
    )
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    created = 0
    for row in rows:
        if row["key"] in existing:
            continue
        values = {"state": "pending", "attempts": 0, **row}
        stmt = (
            insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
        )
        created += (await session.execute(stmt)).rowcount or 0
    return created


def _row(kind: str, person: Person, course: Course, due: datetime, **payload: object) -> dict:
    return {
        "key": followup_key(kind, person.id, course.id),
        "kind": kind,
        "chat_id": person.telegram_id,
        "person_id": person.id,
        "payload": {"course_id": course.id, **payload},
        "due_at": due,
    }


async def _after_course_rows(session: AsyncSession, today: date) -> list[dict]:
    """Postcard return (+2 months) and evaluation (+4 months) for every postcard written."""
    found = await session.execute(
        select(Postcard, Person, Course)
        .join(Person, Person.id == Postcard.person_id)
        .join(Course, Course.id == Postcard.course_id)
        .where(Course.ends.is_not(None), Course.ends < today, Person.blocked_at.is_(None))
    )
    rows = []
    for card, person, course in found:
        if not _wrote_postcard(card):
            continue
        zone = await home_zone(session, person)
        returned = local_instant(add_months(course.ends, 2), zone)
        evaluated = local_instant(add_months(course.ends, 4), zone)
        rows.append(_row(POSTCARD_RETURN, person, course, returned, postcard_id=card.id))
        rows.append(_row(EVALUATION, person, course, evaluated))
    return rows


async def _survey_rows(session: AsyncSession, today: date) -> list[dict]:
    """The satisfaction survey for every accepted trainee of a course in progress."""
    found = await session.execute(
        select(Person, Course)
        .join(Application, Application.person_id == Person.id)
        .join(Course, Course.id == Application.course_id)
        .where(
            Application.status == "accepted",
            Person.blocked_at.is_(None),
            Course.starts.is_not(None),
            Course.ends.is_not(None),
            Course.starts <= today,
            Course.ends >= today - timedelta(days=SURVEY_GRACE_DAYS),
        )
    )
    seoul = programme_zone()
    return [
        _row(SURVEY, person, course, local_instant(course.ends, seoul, SURVEY_TIME))
        for person, course in found
    ]


async def schedule_followups(now: datetime) -> int:
    """Create the follow-up rows that are due to exist at `now`; returns how many were new."""
    today = local_today(now, zone_name())
    async with session_scope() as session:
        rows = await _after_course_rows(session, today) + await _survey_rows(session, today)
        return await insert_rows(session, rows)


async def schedule_nudges(
    session: AsyncSession, person_id: int, course_id: int, sent: datetime
) -> int:
    """After the evaluation went out: two reminders, +7 and +14 days at 10:00 local."""
    person = await session.get(Person, person_id)
    course = await session.get(Course, course_id)
    if person is None or course is None or person.blocked_at is not None:
        return 0
    zone = await home_zone(session, person)
    day = sent.astimezone(zone).date()
    rows = [
        _row(kind, person, course, local_instant(day + timedelta(days=days), zone))
        for kind, days in NUDGES
    ]
    return await insert_rows(session, rows)


# ------------------------------------------------------------------ staff: see, move, cancel


def _view(row: OutboxMessage, person: Person | None, code: str) -> FollowupRow:
    return FollowupRow(
        id=row.id,
        kind=row.kind,
        person_id=row.person_id,
        person_name=display_name(person) if person else "?",
        chat_id=row.chat_id,
        course_id=int((row.payload or {}).get("course_id") or 0),
        course_code=code,
        due_at=row.due_at,
        state=row.state,
        sent_at=row.sent_at,
    )


async def _load_view(session: AsyncSession, row: OutboxMessage) -> FollowupRow:
    person = await session.get(Person, row.person_id) if row.person_id else None
    course_id = int((row.payload or {}).get("course_id") or 0)
    code = await session.scalar(select(Course.code).where(Course.id == course_id))
    return _view(row, person, code or "?")


async def list_followups(actor: UserCtx, course_code: str) -> list[FollowupRow]:
    """Every follow-up row of a course, by due time (staff only)."""
    require_staff(actor)
    async with session_scope() as session:
        course_id = await session.scalar(select(Course.id).where(Course.code == course_code))
        if course_id is None:
            return []
        found = await session.execute(
            select(OutboxMessage, Person)
            .outerjoin(Person, Person.id == OutboxMessage.person_id)
            # The key ends with the course id: no JSON query, the same SQL on both databases.
            .where(
                OutboxMessage.kind.in_(FOLLOWUP_KINDS),
                OutboxMessage.key.like(f"%:{course_id}"),
            )
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
        return [_view(row, person, course_code) for row, person in found]


async def _change(actor: UserCtx, outbox_id: int, due: datetime | None) -> FollowupChange:
    require_staff(actor)
    async with session_scope() as session:
        row = await session.get(OutboxMessage, outbox_id, with_for_update=True)
        if row is None or row.kind not in FOLLOWUP_KINDS:
            return FollowupChange(False, "not_found")
        if row.state not in MOVABLE_STATES:
            return FollowupChange(False, "not_pending", await _load_view(session, row))
        old = row.due_at
        if due is None:
            row.state = "cancelled"
            audit.record(
                session, actor.person_id, "followup.cancel", "outbox", row.id, kind=row.kind
            )
        else:
            # A failed row moved by staff gets a fresh set of attempts.
            row.state, row.due_at, row.attempts = "pending", due, 0
            audit.record(
                session,
                actor.person_id,
                "followup.move",
                "outbox",
                row.id,
                kind=row.kind,
                old_due=old.isoformat(),
                new_due=due.isoformat(),
            )
        return FollowupChange(True, None, await _load_view(session, row))


async def get_followup(actor: UserCtx, outbox_id: int) -> FollowupRow | None:
    """One follow-up row (staff only)."""
    require_staff(actor)
    async with session_scope() as session:
        row = await session.get(OutboxMessage, outbox_id)
        if row is None or row.kind not in FOLLOWUP_KINDS:
            return None
        return await _load_view(session, row)


async def move_followup(actor: UserCtx, outbox_id: int, new_due_utc: datetime) -> FollowupChange:
    """Give a pending (or failed) follow-up a new due time; audited."""
    if new_due_utc.tzinfo is None:
        raise ValueError("new_due_utc must be aware")
    return await _change(actor, outbox_id, new_due_utc)


async def cancel_followup(actor: UserCtx, outbox_id: int) -> FollowupChange:
    """Cancel a pending (or failed) follow-up so it is never sent; audited."""
    return await _change(actor, outbox_id, None)
