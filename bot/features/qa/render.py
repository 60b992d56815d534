"""How answers look: course lists and day programmes in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from bot.features.schedule.service import CourseView
from bot.features.schedule.week import SessionView
from bot.i18n import N_, babel_locale, fmt_date, fmt_date_range, fmt_time, pick, translator


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
        over = today is not None and c.ends is not None and c.ends < today
        done = f" ({tr.gettext('already over')})" if over else ""
        lines.append(f"• {c.t(loc)} — {course_dates(c, loc)}{done}")
        if target := pick(c.target, loc):
            lines.append(f"  {target}")
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


def _bullet(loc: str, course: CourseView) -> str:
    return f"• {course.t(loc)} — {course_dates(course, loc)}"


def seats(loc: str, courses: Sequence[CourseView]) -> str:
    """How many places each course has."""
    tr = translator(loc)
    lines = [tr.gettext("Places per course:")]
    for c in courses:
        places = tr.ngettext("{count} place", "{count} places", c.seats).format(count=c.seats)
        lines.append(f"{_bullet(loc, c)}: {places}")
    lines += ["", tr.gettext("Send /courses for details, a calendar file and how to apply.")]
    return "\n".join(lines)


def _deadline_line(loc: str, course: CourseView, today: date) -> str:
    tr = translator(loc)
    if course.apply_until:
        when = fmt_date(course.apply_until, loc, "long")
        if course.apply_until >= today:
            return tr.gettext("apply by {date}").format(date=when)
        return tr.gettext("applications closed on {date}").format(date=when)
    if course.starts is None:
        return tr.gettext("dates to be agreed; a coordinator can tell you more")
    when = fmt_date(course.starts, loc, "long")
    if course.starts >= today:
        return tr.gettext("applications are open until the course starts on {date}").format(
            date=when
        )
    return tr.gettext("the course started on {date}; applications are closed").format(date=when)


def deadlines(loc: str, courses: Sequence[CourseView], today: date) -> str:
    """The last day to apply for each course."""
    tr = translator(loc)
    lines = [tr.gettext("Last day to apply:")]
    lines += [f"• {c.t(loc)}: {_deadline_line(loc, c, today)}" for c in courses]
    lines += ["", tr.gettext("To apply, send /apply.")]
    return "\n".join(lines)


def eligibility(loc: str, place: str, opened, members, others) -> str:
    """The courses open to a place, those open to its partner networks' members, and the rest."""
    tr = translator(loc)
    if opened:
        lines = [tr.gettext("Officials from {place} may apply to:").format(place=place)]
        lines += [_bullet(loc, c) for c in opened]
    else:
        none = tr.gettext("I found no course open to {place} at the moment.")
        lines = [none.format(place=place)]
    if members:
        lines += ["", tr.gettext("Open if your city is a member of the partner network:")]
        lines += [f"{_bullet(loc, c)} ({c.partner})" for c in members]
    if others:
        lines += ["", tr.gettext("Reserved for other participants:")]
        for c in others:
            target = pick(c.target, loc)
            lines.append(f"• {c.t(loc)}" + (f": {target}" if target else ""))
    lines += [
        "",
        tr.gettext(
            "Priority goes to senior officials who make policy decisions. To apply, send /apply."
        ),
    ]
    return "\n".join(lines)


def open_to_all(loc: str, opened, members, others) -> str:
    """Courses open to every city, to partner-network members, and reserved for others."""
    tr = translator(loc)
    lines = [tr.gettext("Open to officials of every city:")]
    lines += [_bullet(loc, c) for c in opened] or ["—"]
    if members:
        lines += ["", tr.gettext("Open if your city is a member of the partner network:")]
        lines += [f"{_bullet(loc, c)} ({c.partner})" for c in members]
    if others:
        lines += ["", tr.gettext("Reserved for other participants:")]
        for c in others:
            target = pick(c.target, loc)
            lines.append(f"• {c.t(loc)}" + (f": {target}" if target else ""))
    lines += ["", tr.gettext("Tell me your city and I will say which courses are open to it.")]
    return "\n".join(lines)


SMALLTALK = {
    "greet": N_(
        "Hello! I answer questions about the training courses: dates, applying, costs, your "
        "action-plan postcard and more. What would you like to know?"
    ),
    "thanks": N_("You are welcome! Write to me any time you have another question."),
    "bye": N_("Goodbye, and all the best! Write to me any time you have another question."),
    "other": N_("I am here to help. Ask me anything about the training courses."),
}


def smalltalk(loc: str, kind: str) -> str:
    """A short polite reply to a greeting, thanks or goodbye."""
    return translator(loc).gettext(SMALLTALK.get(kind, SMALLTALK["other"]))


def not_sure(loc: str) -> str:
    """The honest reply when the question was not understood well enough to answer."""
    return translator(loc).gettext(
        "I am not sure I understood your question. Could you put it another way? I can also "
        "pass it to a person."
    )


def place_name(loc: str, catalogue, asker) -> str:
    """How the answer names the asker's place: city, else country, else organisation."""
    for key in sorted(asker.cities):
        if city := catalogue.cities.get(key):
            return pick({"en": city.name, **(city.names or {})}, loc)
    names = babel_locale(loc).territories
    for code in sorted(asker.countries):
        return names.get(code, code)
    for code in sorted(asker.orgs):
        org = catalogue.orgs.get(code)
        return pick(org.name, loc) if org else code
    return ""
