"""The 4-month field-application evaluation: how far a trainee got with their own action plan.

The evaluation walks the actions of the trainee's postcard, one question at a time, and keeps
its progress in the Evaluation row (so /cancel, a restart or another process resume it):

    st<i>   the status of action i (buttons)      ev<i>  a line of evidence for it (text/Skip)
    rating  how useful the course was (1–5)       comment  free text (text/Skip)
    vol     present the case at the forum? (only when an action is done)

The form engine (bot.core.forms) runs it from the declaration below: it owns the
transactions, checks that the row belongs to the person (forged or replayed button data changes
nothing) and pauses the survey while the evaluation is answered, and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select

from bot.clock import utcnow
from bot.core.forms import engine, steps
from bot.core.forms.spec import BUTTONS, TAKE, Form, Reading, Turn
from bot.core.forms.steps import Step
from bot.core.forms.validate import check_length, clean
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.followups.models import Evaluation
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course

STATUSES = ("done", "in_progress", "not_started", "dropped")
EVIDENCE_LIMIT = 500
COMMENT_LIMIT = 1000
RATINGS = range(1, 6)
GROUP = "followups"  # the evaluation and the survey: one of them waits for text at a time


@dataclass(frozen=True)
class Action:
    """One action of the postcard: what the trainee planned and by when ("YYYY-MM")."""

    text: str
    target: str


@dataclass(frozen=True)
class EvalView:
    """An evaluation as the trainee sees it."""

    id: int
    course_id: int
    course_title: dict
    actions: tuple[Action, ...]
    results: tuple[dict, ...]
    rating: int | None
    comment: str | None
    volunteer: bool | None
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

    def status_of(self, index: int) -> str | None:
        """The recorded status of action `index`."""
        return next((r["status"] for r in self.results if r["action"] == index), None)


@dataclass(frozen=True)
class Begin:
    """The outcome of pressing the invitation."""

    outcome: str  # started | resumed | completed | no_postcard | invalid
    view: EvalView | None = None
    title: dict | None = None


def _actions(card: Postcard | None) -> tuple[Action, ...]:
    items = (card.actions if card else None) or []
    return tuple(
        Action(str(a.get("text") or ""), str(a.get("target") or ""))
        for a in items
        if isinstance(a, dict) and a.get("text")
    )


def _view(ev: Evaluation, course: Course, card: Postcard | None) -> EvalView:
    return EvalView(
        id=ev.id,
        course_id=course.id,
        course_title=dict(course.title or {}),
        actions=_actions(card),
        results=tuple(dict(r) for r in ev.results or []),
        rating=ev.rating,
        comment=ev.comment,
        volunteer=ev.volunteer,
        step=ev.step,
        completed_at=ev.completed_at,
    )


async def _postcard(session, person_id: int, course_id: int) -> Postcard | None:
    return await session.scalar(
        select(Postcard).where(Postcard.person_id == person_id, Postcard.course_id == course_id)
    )


async def enrolled(session, person_id: int, course_id: int) -> bool:
    status = await session.scalar(
        select(Application.status).where(
            Application.person_id == person_id, Application.course_id == course_id
        )
    )
    return status == "accepted"  # an accepted application is the enrolment


async def row_for(session, model, person_id: int, course_id: int):
    """The person's evaluation or survey row of a course (both are unique per pair)."""
    return await session.scalar(
        select(model).where(model.person_id == person_id, model.course_id == course_id)
    )


async def evaluation_done(person_id: int, course_id: int) -> bool:
    """True when the person has completed the evaluation of the course (no more nudges)."""
    async with session_scope() as session:
        ev = await row_for(session, Evaluation, person_id, course_id)
        return ev is not None and ev.completed_at is not None


async def begin(person_id: int, course_id: int) -> Begin:
    """Start or resume the evaluation of a course the person took and wrote a postcard for."""
    async with session_scope() as session:
        course = await session.get(Course, course_id)
        if course is None or not await enrolled(session, person_id, course_id):
            return Begin("invalid")
        card = await _postcard(session, person_id, course_id)
        if not _actions(card):
            return Begin("no_postcard", title=dict(course.title or {}))
        ev = await row_for(session, Evaluation, person_id, course_id)
        if ev is not None and ev.completed_at is not None:
            return Begin("completed", _view(ev, course, card), dict(course.title or {}))
        outcome = "resumed"
        if ev is None:
            ev, outcome = (
                Evaluation(person_id=person_id, course_id=course_id, results=[]),
                "started",
            )
            session.add(ev)
        await engine.take_up(session, EVALUATION, ev)
        await session.flush()
        return Begin(outcome, _view(ev, course, card), dict(course.title or {}))


def _set_result(ev: Evaluation, index: int, **values) -> None:
    results = [dict(r) for r in ev.results or []]
    entry = next((r for r in results if r["action"] == index), None)
    if entry is None:
        entry = {"action": index, "status": None, "evidence": None}
        results.append(entry)
    entry.update(values)
    # A new list, so SQLAlchemy sees the JSON column change.
    ev.results = sorted(results, key=lambda r: r["action"])


class FollowupForm(Form):
    """A follow-up of one course (evaluation, survey): open until it is completed."""

    group = GROUP
    ref = "course_id"  # ▶️ Continue after /cancel reopens the course's form

    def open(self) -> ColumnElement[bool]:
        return self.model.completed_at.is_(None)

    def is_open(self, row) -> bool:
        return row.completed_at is None

    def finish(self, turn: Turn) -> None:
        turn.row.completed_at = utcnow()


class EvaluationForm(FollowupForm):
    """The evaluation of one course: each action's status and evidence, then the rest."""

    model = Evaluation
    first = "st0"

    async def load(self, session, row: Evaluation, env) -> tuple[Course, Postcard | None]:
        course = await session.get(Course, row.course_id)
        return course, await _postcard(session, row.person_id, row.course_id)

    def view(self, row: Evaluation, ctx: tuple[Course, Postcard | None]) -> EvalView:
        return _view(row, *ctx)

    def text_mode(self, step: Step) -> str:
        return TAKE if step.key in ("ev", "comment") else BUTTONS

    async def read_text(self, turn: Turn, text: str) -> Reading:
        value = clean(text)
        limit = COMMENT_LIMIT if turn.step.key == "comment" else EVIDENCE_LIMIT
        problem = check_length(value, limit)
        return Reading(problem=problem) if problem else Reading({"text": value})

    async def read_press(self, turn: Turn, value: str | None) -> dict | None:
        key, count = turn.step.key, len(_actions(turn.ctx[1]))
        if key == "st" and value in STATUSES and turn.step.n < count:
            return {"status": value}
        if key == "rating" and value and value.isdigit() and int(value) in RATINGS:
            return {"rating": int(value)}
        if key == "vol" and value in ("yes", "no"):
            return {"volunteer": value == "yes"}
        if key in ("ev", "comment") and value is None:
            return {"text": None}  # Skip
        return None

    def store(self, turn: Turn, values: dict) -> None:
        ev, at = turn.row, turn.step
        if at.key == "st":
            _set_result(ev, at.n, status=values["status"])
        elif at.key == "ev":
            _set_result(ev, at.n, evidence=values["text"])
        elif at.key == "rating":
            ev.rating = values["rating"]
        elif at.key == "comment":
            ev.comment = values["text"]
        else:
            ev.volunteer = values["volunteer"]

    def after(self, turn: Turn, values: dict) -> Step | None:
        ev, at, count = turn.row, turn.step, len(_actions(turn.ctx[1]))
        if at.key == "st":
            return Step("ev", at.n, sep="")
        if at.key == "ev":
            return Step("st", at.n + 1, sep="") if at.n + 1 < count else Step("rating")
        if at.key == "rating":
            return Step("comment")
        # The forum wants cases of applied policy, so only someone with a done action is asked.
        done = any(r.get("status") == "done" for r in ev.results or [])
        return Step("vol") if at.key == "comment" and done else None


EVALUATION = engine.declare(EvaluationForm())


def question(kind: str, value: str) -> tuple[Step, str | None] | None:
    """The question a button answers and its value: "st" with "<action>:<status>", "rt" with
    the rating, "vo" with yes/no, "sk" (Skip) with the step it skips."""
    if kind == "st" and value.count(":") == 1 and value.split(":")[0].isdigit():
        index, status = value.split(":")
        return Step("st", int(index), sep=""), status
    if kind in ("rt", "vo"):
        return Step("rating" if kind == "rt" else "vol"), value
    at = steps.parse(value) if kind == "sk" else None
    return (at, None) if at is not None else None


async def choose(person_id: int, eval_id: int, kind: str, value: str) -> EvalView | None:
    """A pressed button (status, rating, volunteer, skip); None when it is not for the person's
    current question (another person's, an old question's, out of range)."""
    found = question(kind, value)
    if found is None:
        return None
    return await engine.answer_press(EVALUATION, person_id, eval_id, *found)
