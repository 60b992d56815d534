"""Whether the applicant's place is in the course's audience: a note before they submit."""

from __future__ import annotations

from bot.features.applications.service import AppView
from bot.features.schedule.api import (
    MEMBERS,
    OPEN,
    Catalogue,
    CourseView,
    audience_fit,
    load_catalogue,
    open_to_all,
)
from bot.i18n import _, pick


async def _course(app: AppView) -> tuple[Catalogue, CourseView | None]:
    catalogue = await load_catalogue()
    return catalogue, next((c for c in catalogue.courses if c.id == app.course_id), None)


def _same(name: str, city) -> bool:
    names = {city.name, *city.aliases, *(city.names or {}).values()}
    return name in {n.casefold() for n in names if n}


async def audience_note(app: AppView) -> str:
    """A warning when the course is reserved for others or for a network's members; empty
    when the applicant may apply or their place is not known."""
    answers = app.answers or {}
    country = answers.get("city_country") or answers.get("country")
    name = (answers.get("city_name") or answers.get("city") or "").strip().casefold()
    if not country:
        return ""
    catalogue, course = await _course(app)
    if course is None:
        return ""
    keys = {
        key
        for key, city in catalogue.cities.items()
        if city.country == country and name and _same(name, city)
    }
    fit = audience_fit(course, countries={country}, cities=keys)
    if fit == OPEN:
        return ""
    target = pick(course.target)
    if fit == MEMBERS:
        return _(
            "ℹ️ This course is meant for: {target}. Send your application if your city or "
            "organisation is a member."
        ).format(target=target)
    return _(
        "⚠️ This course is meant for: {target}. You can still send your application, but the "
        "team may not be able to select you."
    ).format(target=target)


async def audience_line(app: AppView) -> str:
    """Whom the course is meant for, said when an application to a reserved or network course
    starts (before the applicant's place is known); empty for a course open to all."""
    _catalogue, course = await _course(app)
    if course is None or open_to_all(course):
        return ""
    return _("ℹ️ This course is meant for: {target}.").format(target=pick(course.target))
