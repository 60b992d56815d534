"""A postcard as the form shows it, and the window in which it can be written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.forms import steps
from bot.core.forms.steps import Step
from bot.features.postcards.form import FIRST
from bot.features.postcards.models import Postcard
from bot.features.schedule.models import Course
from bot.i18n import pick

GRACE_DAYS = 7  # the card can be written and edited until a week after the course ends


@dataclass(frozen=True)
class PlanAction:
    """One planned action and its target month ("YYYY-MM", None until chosen)."""

    text: str
    target: str | None


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
    def at(self) -> Step:
        """The decoded step (form.py names them)."""
        return steps.parse(self.step) or Step(FIRST)

    def title(self, locale: str | None = None) -> str:
        """The course title in a locale."""
        return pick(self.course_title, locale)


def window(starts: date | None, ends: date | None, today: date) -> str:
    """ "open" from the first course day to a week after the last, else upcoming/closed."""
    if starts is None or ends is None:
        return "upcoming"
    if today < starts:
        return "upcoming"
    return "open" if today <= ends + timedelta(days=GRACE_DAYS) else "closed"


def plan_actions(card: Postcard) -> tuple[PlanAction, ...]:
    """The card's actions as written so far."""
    return tuple(PlanAction(a.get("text", ""), a.get("target")) for a in card.actions or [])


def card_view(card: Postcard, course: Course) -> CardView:
    """A card as a view, with its course."""
    return CardView(
        id=card.id,
        course_id=course.id,
        course_title=dict(course.title or {}),
        closes_on=course.ends + timedelta(days=GRACE_DAYS) if course.ends else None,
        step=card.step,
        state=card.state,
        inspired_by=card.inspired_by,
        actions=plan_actions(card),
        obstacles=card.obstacles,
        support=card.support,
    )
