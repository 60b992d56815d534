"""An application as the trainee (and the staff side) sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.forms import steps
from bot.core.forms.steps import Step
from bot.features.applications.models import Application
from bot.features.schedule.api import CourseView
from bot.features.schedule.models import Course
from bot.i18n import pick


@dataclass(frozen=True)
class AppView:
    """One application as the trainee (and the staff side) sees it."""

    id: int
    course_id: int
    course_code: str
    course_title: dict
    starts: date | None
    ends: date | None
    status: str
    step: str | None
    answers: dict
    submitted_at: datetime | None
    withdrawn_at: datetime | None
    decision_note: str | None

    @property
    def at(self) -> Step | None:
        """Where the draft stands in the form (steps.py); None once submitted."""
        return steps.parse(self.step)

    def title(self, locale: str | None = None) -> str:
        """The course title in a locale."""
        return pick(self.course_title, locale)


def view(app: Application, course: Course | CourseView) -> AppView:
    """An application as a view, with its course (the row, or the catalogue's view)."""
    return AppView(
        id=app.id,
        course_id=course.id,
        course_code=course.code,
        course_title=dict(course.title or {}),
        starts=course.starts,
        ends=course.ends,
        status=app.status,
        step=app.step,
        answers=dict(app.answers or {}),
        submitted_at=app.submitted_at,
        withdrawn_at=app.withdrawn_at,
        decision_note=app.decision_note,
    )
