"""The waiting list: a freed seat is offered to the next applicant in priority order.

An offer lasts `hours`; the trainee takes or declines it with buttons, and a repeating job
lapses unanswered offers and offers the seat to the next in line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import utcnow
from bot.core import audit
from bot.core.models import Person
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.applications.review_common import accepted_count, lock_course, notice, ranked
from bot.features.schedule.models import Course

OFFER_HOURS = 72


@dataclass(frozen=True)
class OfferResult:
    """A trainee's answer to an offer; `reason` is "invalid", "expired" or "full" if refused."""

    ok: bool
    application_id: int
    reason: str | None = None
    outbox_ids: list[int] = field(default_factory=list)


async def _outstanding(session: AsyncSession, course_id: int, now: datetime) -> int:
    """Offers still open: each holds a seat until it is taken, declined or lapses."""
    query = select(func.count()).where(
        Application.course_id == course_id,
        Application.status == "waitlisted",
        Application.offer_state == "offered",
        Application.offer_expires_at > now,
    )
    return int(await session.scalar(query) or 0)


async def _offer_next(
    session: AsyncSession, course: Course, now: datetime, hours: int
) -> Application | None:
    """Offer a free seat to the first waitlisted applicant never offered one; None if none."""
    taken = await accepted_count(session, course.id) + await _outstanding(session, course.id, now)
    if taken >= course.seats:
        return None
    for app, person, _strategic in await ranked(session, course.id):
        # Lapsed and declined offers are not repeated; an open offer is already counted.
        if app.status != "waitlisted" or app.offer_state is not None:
            continue
        app.offer_state, app.offer_expires_at = "offered", now + timedelta(hours=hours)
        audit.record(session, None, "application.offer", "application", app.id, hours=hours)
        session.add(notice(app, person, "offer"))
        return app
    return None


async def _offer_all(session: AsyncSession, course: Course, now: datetime, hours: int) -> None:
    """Offer every free seat of the course."""
    while await _offer_next(session, course, now, hours) is not None:
        await session.flush()  # the next count must see this offer


async def promote_waitlist(
    course_id: int, *, now: datetime | None = None, hours: int = OFFER_HOURS
) -> int | None:
    """After a withdrawal: offer a free seat to the next waitlisted applicant; their id."""
    now = now or utcnow()
    async with session_scope() as session:
        await lock_course(session, course_id)
        course = await session.get(Course, course_id)
        if course is None:
            return None
        app = await _offer_next(session, course, now, hours)
        return app.id if app else None


async def _own_offer(
    session: AsyncSession, person_id: int, app_id: int
) -> tuple[Application, Course] | None:
    """The application if it belongs to the person and has an open offer, after the lock."""
    course_id = await session.scalar(
        select(Application.course_id).where(
            Application.id == app_id, Application.person_id == person_id
        )
    )
    if course_id is None:
        return None
    await lock_course(session, course_id)
    app = await session.get(Application, app_id, populate_existing=True)
    course = await session.get(Course, course_id)
    if app is None or course is None or app.status != "waitlisted":
        return None
    if app.offer_state != "offered":
        return None
    return app, course


async def take_offer(person_id: int, app_id: int, *, now: datetime | None = None) -> OfferResult:
    """The trainee takes the offered seat: accepted while the offer is open and a seat free."""
    now = now or utcnow()
    async with session_scope() as session:
        found = await _own_offer(session, person_id, app_id)
        if found is None:
            return OfferResult(False, app_id, "invalid")
        app, course = found
        if app.offer_expires_at is None or app.offer_expires_at <= now:
            return OfferResult(False, app_id, "expired")
        if await accepted_count(session, course.id) >= course.seats:
            return OfferResult(False, app_id, "full")
        app.status, app.offer_state, app.decided_at = "accepted", "taken", now
        audit.record(session, person_id, "application.offer_taken", "application", app.id)
        person = await session.get(Person, person_id)
        assert person is not None
        message = notice(app, person, "accepted")
        session.add(message)
        await session.flush()
        return OfferResult(True, app_id, outbox_ids=[message.id])


async def decline_offer(
    person_id: int, app_id: int, *, now: datetime | None = None, hours: int = OFFER_HOURS
) -> OfferResult:
    """The trainee declines the offered seat; it is offered to the next in line."""
    now = now or utcnow()
    async with session_scope() as session:
        found = await _own_offer(session, person_id, app_id)
        if found is None:
            return OfferResult(False, app_id, "invalid")
        app, course = found
        app.offer_state = "declined"
        audit.record(session, person_id, "application.offer_declined", "application", app.id)
        await session.flush()
        await _offer_all(session, course, now, hours)
    return OfferResult(True, app_id)


async def expire_offers(now: datetime | None = None, hours: int = OFFER_HOURS) -> int:
    """Lapse unanswered offers past their deadline and offer the seats on; how many lapsed."""
    now = now or utcnow()
    async with session_scope() as session:
        course_ids = set(
            await session.scalars(
                select(Application.course_id).where(
                    Application.offer_state == "offered", Application.offer_expires_at <= now
                )
            )
        )
    lapsed = 0
    # One transaction per course, so one course's trouble does not hold back the others.
    for course_id in sorted(course_ids):
        async with session_scope() as session:
            await lock_course(session, course_id)
            course = await session.get(Course, course_id)
            rows = await session.execute(
                select(Application, Person)
                .join(Person, Person.id == Application.person_id)
                .where(
                    Application.course_id == course_id,
                    Application.offer_state == "offered",
                    Application.offer_expires_at <= now,
                )
                .execution_options(populate_existing=True)
            )
            for app, person in rows:
                app.offer_state = "lapsed"
                audit.record(session, None, "application.offer_lapsed", "application", app.id)
                session.add(notice(app, person, "offer_lapsed"))
                lapsed += 1
            await session.flush()
            if course is not None:
                await _offer_all(session, course, now, hours)
    return lapsed
