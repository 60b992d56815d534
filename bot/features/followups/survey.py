"""The end-of-course satisfaction survey: five items scored 1–5, then a comment.

Only accepted trainees of a course answer it. Progress lives in the SurveyResponse row: `step`
is the item awaiting a score, "comment", or None once completed. The form engine
(bot.core.forms) runs it from the declaration below, in one group with the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.core.forms import engine, steps
from bot.core.forms.spec import BUTTONS, TAKE, Reading, Turn
from bot.core.forms.steps import Step
from bot.core.forms.validate import check_length, clean
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.followups.evaluation import FollowupForm, enrolled, row_for
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
    def at(self) -> Step | None:
        """The question awaiting an answer, paused or not; None once completed."""
        return steps.parse(self.step)

    @property
    def current(self) -> str | None:
        """The step awaiting an answer without its modes ("st0", "comment"); None once done."""
        return self.at.body if self.at else None


@dataclass(frozen=True)
class Begin:
    """The outcome of pressing the invitation or choosing a course after /survey."""

    outcome: str  # started | resumed | completed | invalid
    view: SurveyView | None = None
    title: dict | None = None


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
            outcome = "started"
        await engine.take_up(session, SURVEY, row)
        await session.flush()
        return Begin(outcome, _view(row, course), title)


class SurveyForm(FollowupForm):
    """A course's survey: a score per item, then a comment."""

    model = SurveyResponse
    first = ITEMS[0]

    async def load(self, session, row: SurveyResponse, env) -> Course:
        return await session.get(Course, row.course_id)

    def view(self, row: SurveyResponse, ctx: Course) -> SurveyView:
        return _view(row, ctx)

    def text_mode(self, step: Step) -> str:
        return TAKE if step.key == "comment" else BUTTONS

    async def read_text(self, turn: Turn, text: str) -> Reading:
        value = clean(text)
        problem = check_length(value, COMMENT_LIMIT)
        return Reading(problem=problem) if problem else Reading({"comment": value})

    async def read_press(self, turn: Turn, value: str | None) -> dict | None:
        key = turn.step.key
        if key in ITEMS and value and value.isdigit() and int(value) in SCORES:
            return {"score": int(value)}
        return {"comment": None} if key == "comment" and value is None else None  # Skip

    def store(self, turn: Turn, values: dict) -> None:
        row = turn.row
        if "score" in values:
            # A new dict, so SQLAlchemy sees the JSON column change.
            row.scores = {**(row.scores or {}), turn.step.key: values["score"]}
        else:
            row.comment = values["comment"]

    def after(self, turn: Turn, values: dict) -> Step | None:
        key = turn.step.key
        if key not in ITEMS:
            return None
        i = ITEMS.index(key)
        return Step(ITEMS[i + 1]) if i + 1 < len(ITEMS) else Step("comment")


SURVEY = engine.declare(SurveyForm())


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
