"""Follow-up response figures per course, computed from the stored rows (staff screen, exports)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import fmean

from sqlalchemy import String, cast, func, literal, or_, select

from bot.core.models import Person
from bot.core.names import display_name
from bot.core.outbox import OutboxMessage
from bot.db import session_scope
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.followups.schedule import (
    EVALUATION,
    FOLLOWUP_KINDS,
    NUDGE_1,
    NUDGE_2,
    POSTCARD_RETURN,
)
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course


@dataclass(frozen=True)
class FollowupStats:
    """One course's follow-up loop in figures."""

    course_id: int
    course_code: str
    title: dict
    postcards_written: int
    returned: int
    evaluations_sent: int
    evaluations_answered: int
    nudges_sent: int
    surveys_answered: int
    satisfaction: float | None  # mean of the 1–5 survey scores, None without answers
    volunteers: list[str] = field(default_factory=list)  # forum presenters, by name

    @property
    def response_rate(self) -> float | None:
        """Evaluations answered per evaluation sent (None before any was sent)."""
        if not self.evaluations_sent:
            return None
        return self.evaluations_answered / self.evaluations_sent


def response_score(scores: dict) -> float | None:
    """One survey's score: its 'overall' item if given, else the mean of its items."""
    if isinstance(scores.get("overall"), int | float):
        return float(scores["overall"])
    values = [float(v) for v in scores.values() if isinstance(v, int | float)]
    return fmean(values) if values else None


async def _stats(session, course: Course) -> FollowupStats:
    cards = await session.scalars(select(Postcard).where(Postcard.course_id == course.id))
    written = sum(1 for c in cards if c.state == "final" or c.actions)
    sent = Counter(
        dict(
            (
                await session.execute(
                    select(OutboxMessage.kind, func.count())
                    .where(
                        OutboxMessage.kind.in_(FOLLOWUP_KINDS),
                        OutboxMessage.key.like(f"%:{course.id}"),
                        OutboxMessage.state == "sent",
                    )
                    .group_by(OutboxMessage.kind)
                )
            ).all()
        )
    )
    answered = await session.scalar(
        select(func.count())
        .select_from(Evaluation)
        .where(Evaluation.course_id == course.id, Evaluation.completed_at.is_not(None))
    )
    surveys = await session.scalars(
        select(SurveyResponse.scores).where(
            SurveyResponse.course_id == course.id, SurveyResponse.completed_at.is_not(None)
        )
    )
    scores = [s for s in (response_score(dict(x or {})) for x in surveys) if s is not None]
    volunteers = await session.scalars(
        select(Person)
        .join(Evaluation, Evaluation.person_id == Person.id)
        .where(Evaluation.course_id == course.id, Evaluation.volunteer.is_(True))
        .order_by(Person.id)
    )
    return FollowupStats(
        course_id=course.id,
        course_code=course.code,
        title=dict(course.title or {}),
        postcards_written=written,
        returned=sent[POSTCARD_RETURN],
        evaluations_sent=sent[EVALUATION],
        evaluations_answered=answered or 0,
        nudges_sent=sent[NUDGE_1] + sent[NUDGE_2],
        surveys_answered=len(scores),
        satisfaction=round(fmean(scores), 2) if scores else None,
        volunteers=[display_name(p) for p in volunteers],
    )


async def course_followup_stats(course_code: str) -> FollowupStats | None:
    """The follow-up figures of one course (None for an unknown code)."""
    async with session_scope() as session:
        course = await session.scalar(select(Course).where(Course.code == course_code))
        return await _stats(session, course) if course else None


async def followup_courses() -> list[FollowupStats]:
    """Figures for every course with a postcard or a follow-up row, in course order."""
    async with session_scope() as session:
        keyed = select(OutboxMessage.id).where(
            OutboxMessage.kind.in_(FOLLOWUP_KINDS),
            # `||` works alike on SQLite and PostgreSQL; the key ends with the course id.
            OutboxMessage.key.like(literal("%:", String).concat(cast(Course.id, String))),
        )
        with_cards = select(Postcard.id).where(Postcard.course_id == Course.id)
        courses = await session.scalars(
            select(Course)
            .where(or_(keyed.exists(), with_cards.exists()))
            .order_by(Course.starts, Course.code)
        )
        return [await _stats(session, c) for c in courses]
