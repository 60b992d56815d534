"""Postcards: who may write one, the form's answers and steps, and the card to render.

Every function owns its transaction, checks that the card belongs to the person and that its
window is open (so forged, replayed or late button data changes nothing) and returns
dataclasses, never rows. Steps are described in form.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, exists, select

from bot.core.models import City, Person
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.postcards import form
from bot.features.postcards.form import Problem, make_step, parse_step
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course
from bot.i18n import pick

GRACE_DAYS = 7  # the card can be written and edited until a week after the course ends
SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class PlanAction:
    """One planned action and its target month ("YYYY-MM", None until chosen)."""

    text: str
    target: str | None


@dataclass(frozen=True)
class PostcardCard:
    """Everything needed to draw a postcard, now or months later (followups render it too)."""

    person_id: int
    course_id: int
    course_code: str
    course_title: dict  # per-language titles; see title()
    starts: date | None
    ends: date | None
    name: str  # the signature: the name as in the passport when known
    city: str | None  # their city, as they wrote it or as the programme names it
    inspired_by: str
    actions: tuple[PlanAction, ...]
    obstacles: str
    support: str | None
    locale: str  # the language the card was written in
    written_on: date  # Seoul date of the last change
    final: bool  # False while still a draft

    def title(self, locale: str | None = None) -> str:
        """The course title in a locale (falls back to English)."""
        return pick(self.course_title, locale or self.locale)


@dataclass(frozen=True)
class CourseRef:
    """A course someone may write a postcard for."""

    id: int
    title: dict
    starts: date
    ends: date

    def t(self, locale: str | None = None) -> str:
        """The title in a locale."""
        return pick(self.title, locale)


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may write a postcard today, and for which courses."""

    outcome: str  # ok | upcoming | closed | none
    courses: tuple[CourseRef, ...] = ()
    opens_on: date | None = None  # upcoming: the first course day
    closed_on: date | None = None  # closed: the last day it was possible


@dataclass(frozen=True)
class CardView:
    """A postcard as the form shows it."""

    id: int
    course_id: int
    course_title: dict
    closes_on: date | None  # the last day it can be edited
    step: str | None
    state: str
    inspired_by: str | None
    actions: tuple[PlanAction, ...]
    obstacles: str | None
    support: str | None

    @property
    def at(self) -> form.Step:
        """The decoded step."""
        return parse_step(self.step)

    def title(self, locale: str | None = None) -> str:
        """The course title in a locale."""
        return pick(self.course_title, locale)


@dataclass(frozen=True)
class Opened:
    """The outcome of opening a card: the card, or refused for that course."""

    outcome: str  # started | resumed | final | refused
    card: CardView | None = None


@dataclass(frozen=True)
class Answered:
    """The card after an answer; `problem` when the answer was not taken."""

    card: CardView
    problem: Problem | None = None


def window(starts: date | None, ends: date | None, today: date) -> str:
    """ "open" from the first course day to a week after the last, else upcoming/closed."""
    if starts is None or ends is None:
        return "upcoming"
    if today < starts:
        return "upcoming"
    return "open" if today <= ends + timedelta(days=GRACE_DAYS) else "closed"


def _actions(card: Postcard) -> tuple[PlanAction, ...]:
    return tuple(PlanAction(a.get("text", ""), a.get("target")) for a in card.actions or [])


def _view(card: Postcard, course: Course) -> CardView:
    return CardView(
        id=card.id,
        course_id=course.id,
        course_title=dict(course.title or {}),
        closes_on=course.ends + timedelta(days=GRACE_DAYS) if course.ends else None,
        step=card.step,
        state=card.state,
        inspired_by=card.inspired_by,
        actions=_actions(card),
        obstacles=card.obstacles,
        support=card.support,
    )


async def _enrolled(session, person_id: int) -> list[Course]:
    rows = await session.scalars(
        select(Course)
        .join(Application, Application.course_id == Course.id)
        .where(Application.person_id == person_id, Application.status == "accepted")
        .order_by(Course.starts, Course.id)
    )
    return list(rows)


async def eligibility(person_id: int, today: date) -> Eligibility:
    """The courses the person may write a postcard for today, or when/why not."""
    async with session_scope() as session:
        courses = await _enrolled(session, person_id)
    states = [(window(c.starts, c.ends, today), c) for c in courses]
    open_ = [CourseRef(c.id, dict(c.title), c.starts, c.ends) for w, c in states if w == "open"]
    if open_:
        return Eligibility("ok", tuple(open_))
    upcoming = [c.starts for s, c in states if s == "upcoming" and c.starts]
    if upcoming:
        return Eligibility("upcoming", opens_on=min(upcoming))
    closed = [c.ends + timedelta(days=GRACE_DAYS) for s, c in states if s == "closed"]
    if closed:
        return Eligibility("closed", closed_on=max(closed))
    return Eligibility("none")


async def _pause_others(session, person_id: int, keep: int | None) -> None:
    rows = await session.scalars(select(Postcard).where(Postcard.person_id == person_id))
    for other in rows:
        if other.id != keep and other.step and not other.step.startswith(form.PAUSED):
            other.step = form.PAUSED + other.step


async def open_card(person_id: int, course_id: int, today: date, locale: str) -> Opened:
    """Start, resume or reopen (a saved card, at its summary) the card for one course."""
    async with session_scope() as session:
        enrolled = {c.id: c for c in await _enrolled(session, person_id)}
        course = enrolled.get(course_id)
        if course is None or window(course.starts, course.ends, today) != "open":
            return Opened("refused")
        card = await session.scalar(
            select(Postcard).where(
                Postcard.person_id == person_id, Postcard.course_id == course_id
            )
        )
        await _pause_others(session, person_id, card.id if card else None)
        if card is None:
            card = Postcard(person_id=person_id, course_id=course_id, actions=[], step=form.FIRST)
            session.add(card)
            outcome = "started"
        elif card.state == "final":
            card.step, outcome = form.SUMMARY, "final"
        else:
            card.step, outcome = (card.step or form.FIRST).removeprefix(form.PAUSED), "resumed"
        card.locale = locale
        await session.flush()
        return Opened(outcome, _view(card, course))


async def _owned(session, person_id: int, card_id: int, today: date):
    card = await session.get(Postcard, card_id)
    if card is None or card.person_id != person_id:
        return None
    course = await session.get(Course, card.course_id)
    if window(course.starts, course.ends, today) != "open":
        return None
    return card, course


def _next_after(kind: str, n: int, editing: bool) -> str:
    """The step after answering `kind` (action n), in order or back to the summary."""
    if kind == "action":
        return make_step("target", n, editing=editing)
    if editing:
        return form.SUMMARY
    if kind == "inspired_by":
        return make_step("action", 1)
    if kind == "target":
        return "more" if n < form.MAX_ACTIONS else "obstacles"
    return "support" if kind == "obstacles" else form.SUMMARY


def _set_action(card: Postcard, n: int, **values) -> None:
    actions = [dict(a) for a in card.actions or []]
    if n > len(actions):
        actions.append({"text": "", "target": None})
    actions[n - 1].update(values)
    card.actions = actions  # a new list, so SQLAlchemy sees the JSON column change


def waiting_for_text(person_id: int) -> ColumnElement[bool]:
    """EXISTS: a postcard of the person is at a step (the text router's predicate)."""
    return exists().where(Postcard.person_id == person_id, Postcard.step.is_not(None))


async def answer_text(person_id: int, text: str, today: date, locale: str) -> Answered | None:
    """A typed answer for the card being written; None when no card waits for text."""
    async with session_scope() as session:
        rows = await session.scalars(select(Postcard).where(Postcard.person_id == person_id))
        card = next((c for c in rows if parse_step(c.step).typed and c.step), None)
        if card is None:
            return None
        course = await session.get(Course, card.course_id)
        at = parse_step(card.step)
        if window(course.starts, course.ends, today) != "open":
            card.step = form.PAUSED + card.step  # the window closed while they were writing
            return Answered(_view(card, course), Problem("closed"))
        if at.kind == "more":
            return Answered(_view(card, course), Problem("buttons"))
        if at.kind == "target":
            value = form.read_month(text, today)
            if value is None:
                return Answered(_view(card, course), Problem("month"))
            _set_action(card, at.n, target=value)
        else:
            value, problem = form.check_text("action" if at.kind == "action" else at.kind, text)
            if problem:
                return Answered(_view(card, course), problem)
            if at.kind == "action":
                _set_action(card, at.n, text=value)
            else:
                setattr(card, at.kind, value)
        card.step, card.locale = _next_after(at.kind, at.n, at.editing), locale
        await session.flush()
        return Answered(_view(card, course))


async def choose_month(
    person_id: int, card_id: int, n: int, value: str, today: date
) -> CardView | None:
    """A pressed target month for action n."""
    month = form.read_month(value, today)
    async with session_scope() as session:
        found = await _owned(session, person_id, card_id, today)
        at = parse_step(found[0].step) if found else None
        if month is None or at is None or at.paused or (at.kind, at.n) != ("target", n):
            return None
        card, course = found
        _set_action(card, n, target=month)
        card.step = _next_after("target", n, at.editing)
        await session.flush()
        return _view(card, course)


async def more(person_id: int, card_id: int, add: bool, today: date) -> CardView | None:
    """ "Add another action" or "That's all"."""
    async with session_scope() as session:
        found = await _owned(session, person_id, card_id, today)
        if found is None or found[0].step != "more":
            return None
        card, course = found
        count = len(card.actions or [])
        room = add and count < form.MAX_ACTIONS
        card.step = make_step("action", count + 1) if room else "obstacles"
        await session.flush()
        return _view(card, course)


async def skip_support(person_id: int, card_id: int, today: date) -> CardView | None:
    """ "Skip" at the support question."""
    async with session_scope() as session:
        found = await _owned(session, person_id, card_id, today)
        at = parse_step(found[0].step) if found else None
        if at is None or at.paused or at.kind != "support":
            return None
        card, course = found
        card.support, card.step = None, form.SUMMARY
        await session.flush()
        return _view(card, course)


async def start_edit(person_id: int, card_id: int, key: str, today: date) -> CardView | None:
    """Re-ask one field (or action, or add one) from the summary; None if not valid now."""
    if key not in form.EDIT_KEYS:
        return None
    async with session_scope() as session:
        found = await _owned(session, person_id, card_id, today)
        if found is None:
            return None
        card, course = found
        count = len(card.actions or [])
        if key == "add":
            if count >= form.MAX_ACTIONS:
                return None
            card.step = make_step("action", count + 1, editing=True)
        elif key.startswith("a"):
            if int(key[1:]) > count:
                return None
            card.step = make_step("action", int(key[1:]), editing=True)
        else:
            card.step = make_step(key, editing=True)
        await _pause_others(session, person_id, card.id)
        await session.flush()
        return _view(card, course)


def missing(card: Postcard) -> str | None:
    """The first step still unanswered, or None when the card is complete."""
    if not card.inspired_by:
        return form.FIRST
    actions = card.actions or []
    if not actions:
        return make_step("action", 1, editing=True)
    for i, action in enumerate(actions, 1):
        if not action.get("text"):
            return make_step("action", i, editing=True)
        if not action.get("target"):
            return make_step("target", i, editing=True)
    return None if card.obstacles else make_step("obstacles", editing=True)


async def save(person_id: int, card_id: int, today: date) -> Opened | None:
    """Save the card as final ("saved"), or go to what is missing ("incomplete")."""
    async with session_scope() as session:
        found = await _owned(session, person_id, card_id, today)
        if found is None:
            return None
        card, course = found
        gap = missing(card)
        if gap is not None:
            card.step = gap
            await session.flush()
            return Opened("incomplete", _view(card, course))
        card.state, card.step = "final", None
        await session.flush()
        return Opened("saved", _view(card, course))


async def pause(person_id: int) -> bool:
    """Stop writing (/cancel): answers are kept; False when no card was being written."""
    async with session_scope() as session:
        rows = await session.scalars(select(Postcard).where(Postcard.person_id == person_id))
        paused = False
        for card in rows:
            if card.step and not card.step.startswith(form.PAUSED):
                card.step, paused = form.PAUSED + card.step, True
        return paused


async def card_for(person_id: int, course_id: int) -> PostcardCard | None:
    """The person's postcard for a course, ready to render; None when they wrote none."""
    async with session_scope() as session:
        card = await session.scalar(
            select(Postcard).where(
                Postcard.person_id == person_id, Postcard.course_id == course_id
            )
        )
        if card is None:
            return None
        course = await session.get(Course, course_id)
        person = await session.get(Person, person_id)
        answers = (
            await session.scalar(
                select(Application.answers).where(
                    Application.person_id == person_id, Application.course_id == course_id
                )
            )
            or {}
        )
        city = answers.get("city")
        if not city and person.city_id:
            row = await session.get(City, person.city_id)
            city = (row.names or {}).get(card.locale) or row.name
        written = card.updated_at or card.created_at
    name = answers.get("full_name") or person.full_name
    name = name or " ".join(x for x in (person.first_name, person.last_name) if x)
    return PostcardCard(
        person_id=person_id,
        course_id=course_id,
        course_code=course.code,
        course_title=dict(course.title or {}),
        starts=course.starts,
        ends=course.ends,
        name=name,
        city=city,
        inspired_by=card.inspired_by or "",
        actions=_actions(card),
        obstacles=card.obstacles or "",
        support=card.support,
        locale=card.locale,
        written_on=_seoul_date(written),
        final=card.state == "final",
    )


def _seoul_date(value: datetime) -> date:
    # SQLite hands back naive UTC datetimes, PostgreSQL aware ones.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(SEOUL).date()
