"""How answers look: course lists and day programmes in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from bot.features.schedule.api import CourseView, SessionView
from bot.i18n import babel_locale, fmt_date, fmt_date_range, fmt_time, pick, translator


def course_dates(course: CourseView, loc: str) -> str:
    """The course's dates, or 'dates to be agreed'."""
    if course.starts and course.ends:
        return fmt_date_range(course.starts, course.ends, loc)
    return translator(loc).gettext("dates to be agreed")


def course_list(loc: str, courses: Sequence[CourseView], today: date | None = None) -> str:
    """A bulleted list of courses with dates and audience, headed by how many were found;
    courses already over are marked so, so nobody plans for them."""
    tr = translator(loc)
    head = tr.ngettext("I found {count} course:", "I found {count} courses:", len(courses)).format(
        count=len(courses)
    )
    lines = [head]
    for c in courses:
        # Outside the f-strings, or pybabel would not extract the messages.
        finished, running = tr.gettext("(already over)"), tr.gettext("(in progress)")
        done = ""
        if today is not None and c.starts and c.ends:
            if c.ends < today:
                done = f" {finished}"
            elif c.starts <= today:
                done = f" {running}"
        lines.append(f"• {c.t(loc)} — {course_dates(c, loc)}{done}")
        if target := pick(c.target, loc):
            lines.append(f"  {target}")
        if c.language:
            # "Which language is the transport course in?" is answered by the list itself.
            name = babel_locale(loc).languages.get(c.language, c.language)
            lines.append(
                "  🗣 " + tr.gettext("Language of instruction: {language}").format(language=name)
            )
    lines += ["", tr.gettext("Send /courses for details, a calendar file and how to apply.")]
    return "\n".join(lines)


def no_course(loc: str) -> str:
    """The reply when no course matches."""
    return translator(loc).gettext(
        "I could not find a course that matches your question. Send /courses to see all "
        "courses, or I can pass your question to a person."
    )


def programme(loc: str, day: date, sessions: Sequence[SessionView], tz: str) -> str:
    """A day's programme, times in Seoul."""
    tr = translator(loc)
    when = fmt_date(day, loc, "full")
    if not sessions:
        return tr.gettext("I have no course programme for {date}.").format(date=when)
    lines = [tr.gettext("Programme for {date} (Seoul time):").format(date=when)]
    zone = ZoneInfo(tz)
    for s in sessions:
        start = fmt_time(s.starts_at.astimezone(zone), loc)
        span = start
        if s.ends_at:
            span = f"{start}–{fmt_time(s.ends_at.astimezone(zone), loc)}"
        line = f"{span}  {pick(s.title, loc)}"
        if place := pick(s.place, loc):
            line += f" — {place}"
        if speaker := pick(s.speaker, loc):
            line += f" ({speaker})"
        lines.append(line)
    if any(s.is_sample for s in sessions):
        lines += ["", tr.gettext("This is a sample programme for demonstration.")]
    return "\n".join(lines)
