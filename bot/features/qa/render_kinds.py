"""How the answers about particular needs look: places, deadlines, who may apply, small talk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.features.qa.render import course_dates
from bot.features.schedule.api import CourseView
from bot.i18n import N_, babel_locale, fmt_date, pick, translator


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


def _members_and_others(loc: str, members, others) -> list[str]:
    tr = translator(loc)
    lines: list[str] = []
    if members:
        lines += ["", tr.gettext("Open if your city is a member of the partner network:")]
        lines += [f"{_bullet(loc, c)} ({c.partner})" for c in members]
    if others:
        lines += ["", tr.gettext("Reserved for other participants:")]
        for c in others:
            target = pick(c.target, loc)
            lines.append(f"• {c.t(loc)}" + (f": {target}" if target else ""))
    return lines


def eligibility(loc: str, place: str, opened, members, others) -> str:
    """The courses open to a place, those open to its partner networks' members, and the rest."""
    tr = translator(loc)
    if opened:
        lines = [tr.gettext("Officials from {place} may apply to:").format(place=place)]
        lines += [_bullet(loc, c) for c in opened]
    else:
        none = tr.gettext("I found no course open to {place} at the moment.")
        lines = [none.format(place=place)]
    lines += _members_and_others(loc, members, others)
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
    lines += _members_and_others(loc, members, others)
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
    "ok": N_("👍 Write to me any time you have another question."),
    "bot": N_(
        "Yes, I am the training programme's bot: I answer questions about the courses. To "
        "write to a person, send /contact."
    ),
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
    if asker.place:
        return asker.place
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
