"""The end-of-course satisfaction survey: five items scored 1–5, then a comment.

Only accepted trainees of a course answer it. Progress lives in the SurveyResponse row: `step`
is the item awaiting a score, "comment", or None once completed; "paused:" marks a survey that
is not waiting for typed text (after /cancel or while another flow is answered).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.clock import utcnow
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.applications.validators import Problem, check_length, clean
from bot.features.followups.evaluation import PAUSED, active_row, enrolled, pause_open, row_for
from bot.features.followups.models import SurveyResponse
from bot.features.schedule.models import Course

ITEMS = ("overall", "lectures", "site_visits", "organisation", "usefulness")
SCORES = range(1, 6)
COMMENT_LIMIT = 1000
LATE_DAYS = 14  # /survey still offers a course this many days after its last day


@dataclass(frozen=True)
class SurveyView:
    """A survey response as the trainee sees it."""

    id: int
    course_id: int
    course_title: dict
    scores: dict
    comment: str | None
    step: str | None
    completed_at: datetime | None

    @property
    def current(self) -> str | None:
        """The step awaiting an answer, paused or not; None once completed."""
        return (self.step or "").removeprefix(PAUSED) or None


@dataclass(frozen=True)
class Begin:
    """The outcome of pressing the invitation or choosing a course after /survey."""

    outcome: str  # started | resumed | completed | invalid
    view: SurveyView | None = None
    title: dict | None = None


@dataclass(frozen=True)
class Answered:
    """The survey after typed text; `problem` when it was not taken."""

    view: SurveyView
    problem: Problem | None = None


@dataclass(frozen=True)
class OpenSurvey:
    """A course the person may still answer the survey of (for /survey)."""

    course_id: int
    title: dict
    done: bool


def _view(row: SurveyResponse, course: Course) -> SurveyView:
    return SurveyView(
        id=row.id,
        course_id=course.id,
        course_title=dict(course.title or {}),
        scores=dict(row.scores or {}),
        comment=row.comment,
        step=row.step,
        completed_at=row.completed_at,
    )


async def survey_done(person_id: int, course_id: int) -> bool:
    """True when the person has completed the course's survey (no more nudges)."""
    async with session_scope() as session:
        row = await row_for(session, SurveyResponse, person_id, course_id)
        return row is not None and row.completed_at is not None


async def begin(person_id: int, course_id: int) -> Begin:
    """Start or resume the survey of a course the person was accepted to."""
    async with session_scope() as session:
        course = await session.get(Course, course_id)
        if course is None or not await enrolled(session, person_id, course_id):
            return Begin("invalid")
        title = dict(course.title or {})
        row = await row_for(session, SurveyResponse, person_id, course_id)
        if row is not None and row.completed_at is not None:
            return Begin("completed", _view(row, course), title)
        outcome = "resumed"
        if row is None:
            row = SurveyResponse(person_id=person_id, course_id=course_id, scores={})
            session.add(row)
            await session.flush()
            outcome = "started"
        row.step = (row.step or ITEMS[0]).removeprefix(PAUSED)
        await pause_open(session, person_id, keep_survey=row.id)
        await session.flush()
        return Begin(outcome, _view(row, course), title)


async def _owned(session, person_id: int, response_id: int):
    row = await session.get(SurveyResponse, response_id)
    if row is None or row.person_id != person_id or row.completed_at is not None:
        return None
    return row, await session.get(Course, row.course_id)


def _next(item: str) -> str:
    i = ITEMS.index(item)
    return ITEMS[i + 1] if i + 1 < len(ITEMS) else "comment"


def _finish(row: SurveyResponse, comment: str | None) -> None:
    row.comment, row.step, row.completed_at = comment, None, utcnow()


async def score(person_id: int, response_id: int, item: str, value: str) -> SurveyView | None:
    """A pressed score; None unless it answers the person's current item with 1–5."""
    async with session_scope() as session:
        found = await _owned(session, person_id, response_id)
        if found is None or not value.isdigit() or int(value) not in SCORES:
            return None
        row, course = found
        if item not in ITEMS or (row.step or "").removeprefix(PAUSED) != item:
            return None
        # A new dict, so SQLAlchemy sees the JSON column change.
        row.scores = {**(row.scores or {}), item: int(value)}
        row.step = _next(item)
        await pause_open(session, person_id, keep_survey=row.id)
        await session.flush()
        return _view(row, course)


async def skip_comment(person_id: int, response_id: int) -> SurveyView | None:
    """Finish without a comment; None unless the survey waits for its comment."""
    async with session_scope() as session:
        found = await _owned(session, person_id, response_id)
        if found is None or (found[0].step or "").removeprefix(PAUSED) != "comment":
            return None
        row, course = found
        _finish(row, None)
        await session.flush()
        return _view(row, course)


async def answer_text(person_id: int, text: str) -> Answered | None:
    """Typed text for the active survey; None when none is active.

    At a score question the view comes back with Problem("buttons"), so the handler re-asks.
    """
    async with session_scope() as session:
        row = await active_row(session, SurveyResponse, person_id)
        if row is None:
            return None
        course = await session.get(Course, row.course_id)
        if row.step != "comment":
            return Answered(_view(row, course), Problem("buttons"))
        value = clean(text)
        problem = check_length(value, COMMENT_LIMIT)
        if problem is None:
            _finish(row, value)
            await session.flush()
        return Answered(_view(row, course), problem)


async def pause(person_id: int) -> int | None:
    """/cancel: stop answering, the scores kept; the paused survey's course id, or None."""
    async with session_scope() as session:
        row = await active_row(session, SurveyResponse, person_id)
        if row is None:
            return None
        row.step = PAUSED + row.step
        return row.course_id


async def open_surveys(person_id: int, today: date) -> list[OpenSurvey]:
    """Accepted courses in progress or ended at most LATE_DAYS ago, for /survey."""
    async with session_scope() as session:
        rows = await session.execute(
            select(Course, SurveyResponse.completed_at)
            .join(Application, Application.course_id == Course.id)
            .outerjoin(
                SurveyResponse,
                (SurveyResponse.course_id == Course.id) & (SurveyResponse.person_id == person_id),
            )
            .where(
                Application.person_id == person_id,
                Application.status == "accepted",
                Course.starts <= today,
                Course.ends >= today - timedelta(days=LATE_DAYS),
            )
            .order_by(Course.starts, Course.id)
        )
        return [OpenSurvey(c.id, dict(c.title or {}), done is not None) for c, done in rows]


async def course_satisfaction(course_id: int) -> float | None:
    """Mean "overall" score over completed responses, to 2 decimals (as the 2017 table)."""
    async with session_scope() as session:
        rows = await session.scalars(
            select(SurveyResponse.scores).where(
                SurveyResponse.course_id == course_id, SurveyResponse.completed_at.is_not(None)
            )
        )
        # Read in Python: JSON field access differs between SQLite and PostgreSQL.
        values = [s["overall"] for s in rows if isinstance((s or {}).get("overall"), int)]
    return round(sum(values) / len(values), 2) if values else None
