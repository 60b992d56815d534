"""Calendar files (.ics) for courses: one all-day event spanning the course's days."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from bot.clock import utcnow
from bot.features.schedule.service import CourseView
from bot.i18n import pick

PRODID = "-//liaison-bot//Seoul HRD Center international training//EN"
UID_DOMAIN = "liaison-bot"


def ics_filename(course: CourseView) -> str:
    """The file name a course's calendar file is sent under, e.g. liaison-2018-01.ics."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in course.code)
    return f"liaison-{safe}.ics"


def course_ics(course: CourseView, locale: str) -> bytes:
    """An iCalendar file for a dated course, its texts in the reader's language."""
    if course.starts is None:
        raise ValueError(f"course {course.code} has no dates")
    ends = course.ends or course.starts
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    event = Event()
    # Stable per course, so importing the file again updates the event instead of adding one.
    event.add("uid", f"{course.code}@{UID_DOMAIN}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", course.starts)  # a DATE value: an all-day event
    event.add("dtend", ends + timedelta(days=1))  # DTEND of all-day events is exclusive
    event.add("summary", course.t(locale))
    venue = pick(course.venue, locale)
    if venue:
        event.add("location", venue)
    description = pick(course.description, locale)
    if description:
        event.add("description", description)
    cal.add_component(event)
    return cal.to_ical()
