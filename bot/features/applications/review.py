"""Staff review of applications: priority lists, decisions with seats and optimistic locking.

The waiting list (offers of freed seats) lives in `review_offers`, the wait for a decision's
note in `review_notes`; both are re-exported here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from bot.clock import utcnow
from bot.core import audit
from bot.core.authz import require_staff
from bot.core.models import Person
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.applications.review_common import (
    NOTICE,
    accepted_count,
    display_name,
    lock_course,
    notice,
    ranked,
)
from bot.features.applications.review_notes import (
    PendingNote,
    close_note,
    pending_note,
    request_note,
)
from bot.features.applications.review_offers import (
    OfferResult,
    decline_offer,
    expire_offers,
    promote_waitlist,
    take_offer,
)
from bot.features.schedule.models import Course

DECISIONS = ("accepted", "waitlisted", "declined", "under_review")


@dataclass(frozen=True)
class CourseCount:
    """A course that has applications, with how many are in each state."""

    id: int
    code: str
    title: dict
    seats: int
    total: int
    accepted: int
    waitlisted: int
    undecided: int  # submitted or under review


@dataclass(frozen=True)
class ApplicationRow:
    """One application as the staff list shows it; `rank` is its place in priority order."""

    id: int
    rank: int
    course_id: int
    status: str
    name: str
    city: str
    country: str
    organisation: str
    position: str
    seniority: str
    strategic: bool  # the city is one of the course's priority (strategic) cities
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_note: str | None
    offer_state: str | None
    offer_expires_at: datetime | None
    version: int


@dataclass(frozen=True)
class ApplicationDetail:
    """One application with every answer, its course and the seats situation."""

    row: ApplicationRow
    course_code: str
    course_title: dict
    seats: int
    accepted: int
    answers: dict
    telegram_id: int
    decided_by: str | None


@dataclass(frozen=True)
class DecisionResult:
    """A decision's outcome; `reason` is "not_found", "conflict" or "seats_full" if refused."""

    ok: bool
    application_id: int
    reason: str | None = None
    status: str | None = None
    version: int | None = None
    outbox_id: int | None = None


def _row(rank: int, app: Application, person: Person, strategic: bool) -> ApplicationRow:
    answers = app.answers or {}
    return ApplicationRow(
        id=app.id,
        rank=rank,
        course_id=app.course_id,
        status=app.status,
        name=display_name(app, person),
        city=answers.get("city", ""),
        country=answers.get("country", ""),
        organisation=answers.get("organisation", ""),
        position=answers.get("position", ""),
        seniority=answers.get("seniority", ""),
        strategic=strategic,
        submitted_at=app.submitted_at,
        decided_at=app.decided_at,
        decision_note=app.decision_note,
        offer_state=app.offer_state,
        offer_expires_at=app.offer_expires_at,
        version=app.version,
    )


async def list_courses_with_applications(actor: UserCtx) -> list[CourseCount]:
    """Courses that have submitted applications, by start date, with counts per state."""
    require_staff(actor)
    async with session_scope() as session:
        counts = await session.execute(
            select(Application.course_id, Application.status, func.count())
            .where(Application.status != "draft")
            .group_by(Application.course_id, Application.status)
        )
        per: dict[int, Counter] = {}
        for course_id, status, n in counts:
            per.setdefault(course_id, Counter())[status] += n
        order = (Course.starts.is_(None), Course.starts, Course.code)
        courses = await session.scalars(select(Course).where(Course.id.in_(per)).order_by(*order))
        return [
            CourseCount(
                id=c.id,
                code=c.code,
                title=dict(c.title or {}),
                seats=c.seats,
                total=sum(per[c.id].values()),
                accepted=per[c.id]["accepted"],
                waitlisted=per[c.id]["waitlisted"],
                undecided=per[c.id]["submitted"] + per[c.id]["under_review"],
            )
            for c in courses
        ]


async def list_applications(actor: UserCtx, course_code: str) -> list[ApplicationRow]:
    """A course's applications (drafts excluded) in selection-priority order."""
    require_staff(actor)
    async with session_scope() as session:
        course_id = await session.scalar(select(Course.id).where(Course.code == course_code))
        if course_id is None:
            return []
        items = await ranked(session, course_id)
    return [_row(i, a, p, s) for i, (a, p, s) in enumerate(items, start=1)]


async def get_application(actor: UserCtx, app_id: int) -> ApplicationDetail | None:
    """One application with all its answers, or None (drafts are not shown to staff)."""
    require_staff(actor)
    async with session_scope() as session:
        app = await session.get(Application, app_id)
        if app is None or app.status == "draft":
            return None
        course = await session.get(Course, app.course_id)
        assert course is not None
        items = await ranked(session, app.course_id)
        rank, (app, person, strategic) = next(
            (i, item) for i, item in enumerate(items, start=1) if item[0].id == app_id
        )
        decider = await session.get(Person, app.decided_by) if app.decided_by else None
        return ApplicationDetail(
            row=_row(rank, app, person, strategic),
            course_code=course.code,
            course_title=dict(course.title or {}),
            seats=course.seats,
            accepted=await accepted_count(session, course.id),
            answers=dict(app.answers or {}),
            telegram_id=person.telegram_id,
            decided_by=(decider.full_name or decider.first_name) if decider else None,
        )


async def decide(
    actor: UserCtx, app_id: int, decision: str, note: str | None, expected_version: int
) -> DecisionResult:
    """Record a staff decision and queue the trainee's notice, unless seats or a rival refuse."""
    require_staff(actor)
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    note = (note or "").strip() or None
    try:
        async with session_scope() as session:
            course_id = await session.scalar(
                select(Application.course_id).where(Application.id == app_id)
            )
            if course_id is None:
                return DecisionResult(False, app_id, "not_found")
            await lock_course(session, course_id)
            # Re-read after taking the lock: a rival's committed decision must be seen.
            app = await session.get(Application, app_id, populate_existing=True)
            if app is None or app.status == "draft":
                return DecisionResult(False, app_id, "not_found")
            if app.version != expected_version:
                return DecisionResult(False, app_id, "conflict", app.status, app.version)
            if decision == "accepted" and app.status != "accepted":
                course = await session.get(Course, course_id)
                assert course is not None
                if await accepted_count(session, course_id) >= course.seats:
                    return DecisionResult(False, app_id, "seats_full", app.status, app.version)
            previous = app.status
            app.status, app.decision_note = decision, note
            app.decided_at, app.decided_by = utcnow(), actor.person_id
            if decision != "waitlisted":
                app.offer_state = app.offer_expires_at = None
            audit.record(
                session,
                actor.person_id,
                "application.decide",
                "application",
                app.id,
                note=note,
                decision=decision,
                previous=previous,
            )
            person = await session.get(Person, app.person_id)
            assert person is not None
            message = notice(app, person, decision, note)
            session.add(message)
            await session.flush()
            return DecisionResult(True, app_id, None, decision, app.version, message.id)
    except StaleDataError:
        # The version check in the UPDATE lost to a concurrent writer: nothing was saved.
        return DecisionResult(False, app_id, "conflict")


__all__ = [
    "NOTICE",
    "ApplicationDetail",
    "ApplicationRow",
    "CourseCount",
    "DecisionResult",
    "OfferResult",
    "PendingNote",
    "close_note",
    "decide",
    "decline_offer",
    "expire_offers",
    "get_application",
    "list_applications",
    "list_courses_with_applications",
    "pending_note",
    "promote_waitlist",
    "request_note",
    "take_offer",
]
