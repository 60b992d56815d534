"""Texts of the course catalogue screens and the course card, in the current locale."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_interval, format_skeleton, get_timezone_location

from bot.features.schedule.labels import (
    THEME_ICONS,
    TYPE_HINTS,
    TYPE_LABELS,
    theme_label,
    type_label,
)
from bot.features.schedule.service import (
    Catalogue,
    CourseFilter,
    CourseView,
    TraineeZone,
    year_courses,
)
from bot.i18n import _, babel_locale, fmt_date_range, fmt_time, ngettext, pick

# The hour used to show the time difference: a working morning in Seoul.
SEOUL_MORNING = time(9, 0)


def _count(n: int) -> str:
    return ngettext("{count} course", "{count} courses", n).format(count=n)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def home_text(catalogue: Catalogue, year: int) -> str:
    """The start screen of a year: how many courses, and how to browse them."""
    lines = [
        _("📚 Course catalogue {year}: {count}").format(
            year=year, count=_count(len(year_courses(catalogue, year)))
        ),
        "",
        _("How would you like to browse them?"),
    ]
    if len(catalogue.years()) > 1:
        lines.append(_("Other years with courses are on the 📆 buttons."))
    return "\n".join(lines)


def pick_text(kind: str, year: int) -> str:
    """The prompt above the month, theme or course-type buttons."""
    if kind == "m":
        return _("Courses of {year} by month. Choose a month:").format(year=year)
    if kind == "t":
        return _("Courses of {year} by theme. Choose a theme:").format(year=year)
    lines = [_("Courses of {year} by type. Choose a type:").format(year=year), ""]
    lines += [f"• {_(TYPE_LABELS[k])} — {_(TYPE_HINTS[k])}" for k in TYPE_LABELS]
    return "\n".join(lines)


def filter_title(flt: CourseFilter) -> str:
    """The heading of a course list, e.g. “January 2018” or “💧 Water management · 2018”."""
    if flt.kind == "m":
        first = date(flt.year, int(flt.value), 1)
        return "🗓 " + _cap(format_skeleton("yMMMM", first, locale=babel_locale()))
    if flt.kind == "t":
        return f"{THEME_ICONS.get(flt.value, '•')} {theme_label(flt.value)} · {flt.year}"
    if flt.kind == "k":
        return f"🧭 {type_label(flt.value)} · {flt.year}"
    return "⏳ " + _("Dates to be agreed") + f" · {flt.year}"


def course_dates(course: CourseView) -> str:
    """A course's dates, short (e.g. “21–28 ene 2018”), or that they are still to be agreed."""
    if course.starts is None:
        return _("dates to be agreed")
    return fmt_date_range(course.starts, course.ends or course.starts)


def list_text(flt: CourseFilter, courses: list[CourseView]) -> str:
    """A list of courses: heading, count and one line per course."""
    if not courses:
        return f"{filter_title(flt)}\n\n" + _("There are no courses here.")
    lines = [f"{filter_title(flt)} — {_count(len(courses))}", ""]
    lines += [f"• {course_dates(c)} — {c.t()}" for c in courses]
    lines += ["", _("Choose a course to see the details:")]
    return "\n".join(lines)


def zone_line(course: CourseView, zone: TraineeZone | None, home_tz: str) -> str | None:
    """How Seoul's morning on the first day falls in the reader's time zone; None if moot."""
    if zone is None or course.starts is None:
        return None
    try:
        here, there = ZoneInfo(home_tz), ZoneInfo(zone.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    seoul = datetime.combine(course.starts, SEOUL_MORNING, tzinfo=here)
    local = seoul.astimezone(there)
    if local.utcoffset() == seoul.utcoffset():
        return None
    loc = babel_locale()
    name = pick(zone.city_names) if zone.city_names else None
    name = name or get_timezone_location(there, locale=loc, return_city=True)
    clock = fmt_time(local)
    morning = fmt_time(seoul)
    if local.date() == course.starts:
        return "🕘 " + _("In your time zone ({zone}), {seoul} in Seoul is {time}.").format(
            zone=name, seoul=morning, time=clock
        )
    day = format_skeleton("yMMMEd", local.date(), locale=loc)
    return "🕘 " + _(
        "In your time zone ({zone}), {seoul} in Seoul on the first day is {time} on {date}."
    ).format(zone=name, seoul=morning, time=clock, date=day)


def _dates_line(course: CourseView) -> str:
    if course.starts is None:
        return "📅 " + _("Dates: to be agreed")
    ends = course.ends or course.starts
    days = (ends - course.starts).days + 1
    span = format_interval(course.starts, ends, skeleton="yMMMEd", locale=babel_locale())
    return "📅 " + _("Dates: {dates} (Seoul time), {days}").format(
        dates=span, days=ngettext("{count} day", "{count} days", days).format(count=days)
    )


def _apply_line(course: CourseView, today: date, can_apply: bool) -> str | None:
    if course.status == "cancelled":
        return "❌ " + _("This course has been cancelled.")
    if course.status == "completed" or (course.ends or course.starts or today) < today:
        return "✔️ " + _("This course has already taken place.")
    if course.year < today.year:
        return "🔒 " + _("Applications for this course are closed.")
    if not can_apply:  # the applications feature is not installed
        return None
    return "✍️ " + _("How to apply: use the Apply button below or send /apply.")


def card_text(
    course: CourseView,
    catalogue: Catalogue,
    *,
    zone: TraineeZone | None,
    home_tz: str,
    today: date,
    can_apply: bool = False,
) -> str:
    """The course card: everything a trainee needs to decide whether to apply."""
    loc = babel_locale()
    lines = [f"🎓 {course.t()}"]
    description = pick(course.description)
    if description:
        lines += ["", description]
    lines += ["", _dates_line(course)]
    lines += [x for x in [zone_line(course, zone, home_tz)] if x]
    kind = _("Type: {type}").format(type=type_label(course.type, plural=False))
    if course.theme:
        kind += " · " + _("Theme: {theme}").format(theme=theme_label(course.theme))
    lines.append(f"🏷 {kind}")
    target = pick(course.target)
    if target:
        lines.append("👥 " + _("Target audience: {audience}").format(audience=target))
    org = catalogue.orgs.get(course.partner or "")
    if org:
        lines.append("🤝 " + _("Partner: {partner}").format(partner=pick(org.name)))
    if course.seats:
        seats = ngettext("{count} seat", "{count} seats", course.seats)
        lines.append("🪑 " + seats.format(count=course.seats))
    language = loc.languages.get(course.language, course.language)
    lines.append("🗣 " + _("Language of instruction: {language}").format(language=language))
    venue = pick(course.venue)
    if venue:
        lines.append("📍 " + _("Venue: {venue}").format(venue=venue))
    note = pick(course.note)
    if note:
        lines.append("📝 " + _("Note: {note}").format(note=note))
    status = _apply_line(course, today, can_apply)
    lines += ["", status] if status else []
    return "\n".join(lines)
