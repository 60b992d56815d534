"""When a course takes applications: pure functions of the course, the date and the counts."""

from __future__ import annotations

from datetime import date

OPEN_STATUSES = ("planned", "open")
# Statuses in which an application still counts as the person's live application.
WITHDRAWABLE = ("submitted", "under_review", "waitlisted", "accepted")


def window(status: str, starts: date | None, apply_until: date | None, today: date) -> str:
    """Why a course does or does not take applications today.

    "open", "closed" (status not planned/open), "past" (deadline or start passed) or
    "no_dates" (neither a deadline nor a start date is set yet).
    """
    if status not in OPEN_STATUSES:
        # A finished course is "past" to the trainee, not merely "closed".
        return "past" if status == "completed" else "closed"
    if apply_until is not None:
        return "open" if today <= apply_until else "past"
    if starts is None:
        return "no_dates"
    return "open" if today < starts else "past"


def course_window(course, today: date) -> str:
    """`window` for a CourseView."""
    return window(course.status, course.starts, course.apply_until, today)


def is_full(accepted: int, seats: int) -> bool:
    """True when the accepted applications fill the seats (0 seats means not set, never full)."""
    return seats > 0 and accepted >= seats


def can_withdraw(status: str) -> bool:
    """True for the statuses a trainee may withdraw from."""
    return status in WITHDRAWABLE
