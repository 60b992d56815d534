"""The 4-month field-application evaluation: how far a trainee got with their own action plan.

The evaluation walks the actions of the trainee's postcard, one question at a time, and keeps
its progress in the Evaluation row (so /cancel, a restart or another process resume it):

    st<i>   the status of action i (buttons)      ev<i>  a line of evidence for it (text/Skip)
    rating  how useful the course was (1–5)       comment  free text (text/Skip)
    vol     present the case at the forum? (only when an action is done)

A step prefixed with "paused:" is not waiting for typed text. Every function owns its
transaction, checks that the row belongs to the person (forged or replayed button data changes
nothing) and returns dataclasses, never rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, or_, select

from bot.clock import utcnow
from bot.core.models import Person
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.applications.validators import Problem, check_length, clean
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course

STATUSES = ("done", "in_progress", "not_started", "dropped")
EVIDENCE_LIMIT = 500
COMMENT_LIMIT = 1000
RATINGS = range(1, 6)
PAUSED = "paused:"
TEXT_STEPS = ("comment",)  # plus every ev<i>


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
    def current(self) -> str | None:
        """The step awaiting an answer, paused or not; None once completed."""
        return (self.step or "").removeprefix(PAUSED) or None

    def status_of(self, index: int) -> str | None:
        """The recorded status of action `index`."""
        return next((r["status"] for r in self.results if r["action"] == index), None)


@dataclass(frozen=True)
class Begin:
    """The outcome of pressing the invitation."""

    outcome: str  # started | resumed | completed | no_postcard | invalid
    view: EvalView | None = None
    title: dict | None = None


@dataclass(frozen=True)
class Answered:
    """The evaluation after an answer; `problem` when a typed answer was not taken."""

    view: EvalView
    problem: Problem | None = None


@dataclass(frozen=True)
class VolunteerView:
    """A trainee who offered to present their case at the forum, for staff."""

    person_id: int
    telegram_id: int
    name: str
    country: str | None
    organisation: str | None
    done_actions: tuple[str, ...]
    evidence: tuple[str, ...]
    rating: int | None
    completed_at: datetime | None


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


async def pause_open(
    session, person_id: int, *, keep_eval: int | None = None, keep_survey: int | None = None
) -> bool:
    """Pause every evaluation and survey of the person except the kept one; True if any was.

    Only one flow may wait for typed text at a time, else a comment could land in the wrong one.
    """
    paused = False
    for model, keep in ((Evaluation, keep_eval), (SurveyResponse, keep_survey)):
        rows = await session.scalars(
            select(model).where(model.person_id == person_id, model.completed_at.is_(None))
        )
        for row in rows:
            if row.id != keep and row.step and not row.step.startswith(PAUSED):
                row.step, paused = PAUSED + row.step, True
    return paused


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
            await session.flush()
        ev.step = (ev.step or "st0").removeprefix(PAUSED)
        await pause_open(session, person_id, keep_eval=ev.id)
        await session.flush()
        return Begin(outcome, _view(ev, course, card), dict(course.title or {}))


async def _owned(session, person_id: int, eval_id: int):
    ev = await session.get(Evaluation, eval_id)
    if ev is None or ev.person_id != person_id or ev.completed_at is not None:
        return None
    course = await session.get(Course, ev.course_id)
    return ev, course, await _postcard(session, person_id, ev.course_id)


def _after_action(index: int, count: int) -> str:
    return f"st{index + 1}" if index + 1 < count else "rating"


def _finish_or_volunteer(ev: Evaluation) -> None:
    # The forum wants cases of applied policy, so only someone with a done action is asked.
    if any(r.get("status") == "done" for r in ev.results or []):
        ev.step = "vol"
    else:
        ev.step, ev.completed_at = None, utcnow()


def _set_result(ev: Evaluation, index: int, **values) -> None:
    results = [dict(r) for r in ev.results or []]
    entry = next((r for r in results if r["action"] == index), None)
    if entry is None:
        entry = {"action": index, "status": None, "evidence": None}
        results.append(entry)
    entry.update(values)
    # A new list, so SQLAlchemy sees the JSON column change.
    ev.results = sorted(results, key=lambda r: r["action"])


async def choose(person_id: int, eval_id: int, kind: str, value: str) -> EvalView | None:
    """A pressed button (status, rating, volunteer, skip); None when it is not for the person's
    current question (another person's, an old question's, out of range)."""
    async with session_scope() as session:
        found = await _owned(session, person_id, eval_id)
        if found is None:
            return None
        ev, course, card = found
        step, count = (ev.step or "").removeprefix(PAUSED), len(_actions(card))
        if kind == "st" and value.count(":") == 1:
            index, status = value.split(":")
            if step != f"st{index}" or status not in STATUSES or not int(index) < count:
                return None
            _set_result(ev, int(index), status=status)
            ev.step = f"ev{index}"
        elif kind == "rt" and step == "rating" and value.isdigit() and int(value) in RATINGS:
            ev.rating, ev.step = int(value), "comment"
        elif kind == "vo" and step == "vol" and value in ("yes", "no"):
            ev.volunteer, ev.step, ev.completed_at = value == "yes", None, utcnow()
        elif kind == "sk" and step == value and (step == "comment" or step[:2] == "ev"):
            _advance_text(ev, step, None, count)
        else:
            return None
        await pause_open(session, person_id, keep_eval=ev.id)
        await session.flush()
        return _view(ev, course, card)


def _advance_text(ev: Evaluation, step: str, text: str | None, count: int) -> None:
    if step == "comment":
        ev.comment = text
        _finish_or_volunteer(ev)
        return
    index = int(step[2:])
    _set_result(ev, index, evidence=text)
    ev.step = _after_action(index, count)


def _waiting(model, person_id: int) -> ColumnElement[bool]:
    return exists().where(
        model.person_id == person_id,
        model.completed_at.is_(None),
        model.step.is_not(None),
        model.step.not_like(PAUSED + "%"),
    )


def waiting_for_text(person_id: int) -> ColumnElement[bool]:
    """EXISTS: an evaluation or survey of the person waits for an answer (text router)."""
    return or_(_waiting(Evaluation, person_id), _waiting(SurveyResponse, person_id))


async def active_row(session, model, person_id: int):
    """The person's evaluation or survey row waiting for an answer now (not paused), if any."""
    return await session.scalar(
        select(model).where(
            model.person_id == person_id,
            model.completed_at.is_(None),
            model.step.is_not(None),
            model.step.not_like(PAUSED + "%"),
        )
    )


async def answer_text(person_id: int, text: str) -> Answered | None:
    """Typed text for the active evaluation; None when none is active.

    At a button question the view comes back with Problem("buttons"), so the handler re-asks.
    """
    async with session_scope() as session:
        ev = await active_row(session, Evaluation, person_id)
        if ev is None:
            return None
        course = await session.get(Course, ev.course_id)
        card = await _postcard(session, person_id, ev.course_id)
        step = ev.step or ""
        if step != "comment" and not step.startswith("ev"):
            return Answered(_view(ev, course, card), Problem("buttons"))
        value = clean(text)
        problem = check_length(value, EVIDENCE_LIMIT if step != "comment" else COMMENT_LIMIT)
        if problem is None:
            _advance_text(ev, step, value, len(_actions(card)))
            await session.flush()
        return Answered(_view(ev, course, card), problem)


async def pause(person_id: int) -> int | None:
    """/cancel: stop answering, the answers kept; the paused evaluation's course id, or None."""
    async with session_scope() as session:
        ev = await active_row(session, Evaluation, person_id)
        if ev is None:
            return None
        ev.step = PAUSED + ev.step
        return ev.course_id


async def volunteers(course_id: int) -> list[VolunteerView]:
    """Trainees of a course who offered to present their case at the forum, first answers first."""
    async with session_scope() as session:
        rows = await session.execute(
            select(Evaluation, Person)
            .join(Person, Person.id == Evaluation.person_id)
            .where(
                Evaluation.course_id == course_id,
                Evaluation.volunteer.is_(True),
                Evaluation.completed_at.is_not(None),
            )
            .order_by(Evaluation.completed_at, Evaluation.id)
        )
        out = []
        for ev, person in rows:
            actions = _actions(await _postcard(session, person.id, course_id))
            done = [r for r in ev.results or [] if r.get("status") == "done"]
            out.append(
                VolunteerView(
                    person_id=person.id,
                    telegram_id=person.telegram_id,
                    name=person.full_name
                    or " ".join(filter(None, (person.first_name, person.last_name))),
                    country=person.country,
                    organisation=person.organisation,
                    done_actions=tuple(
                        actions[r["action"]].text for r in done if r["action"] < len(actions)
                    ),
                    evidence=tuple(r["evidence"] for r in done if r.get("evidence")),
                    rating=ev.rating,
                    completed_at=ev.completed_at,
                )
            )
        return out
