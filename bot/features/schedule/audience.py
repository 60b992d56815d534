"""Who may apply to a course, by its audience rule: one rule for answers, forms and cards."""

from __future__ import annotations

from bot.features.schedule.service import CourseView

OPEN, MEMBERS, OTHERS = "open", "members", "others"


def open_to_all(course: CourseView) -> bool:
    """Whether officials of every city may apply (no network, place or body restriction)."""
    return (course.audience or {}).get("scope", "all") == "all"


def audience_fit(
    course: CourseView,
    *,
    countries: set[str] | frozenset[str] = frozenset(),
    cities: set[str] | frozenset[str] = frozenset(),
    orgs: set[str] | frozenset[str] = frozenset(),
) -> str:
    """OPEN when people of these countries, catalogue cities or organisations may apply;
    MEMBERS when they may if their city belongs to the partner network; else OTHERS."""
    aud = course.audience or {}
    scope = aud.get("scope") or "all"
    org = aud.get("organisation") or course.partner
    if scope == "all":
        return OPEN
    if scope == "members":
        return OPEN if org in orgs else MEMBERS
    if scope == "country":
        return OPEN if set(countries) & set(aud.get("countries") or ()) else OTHERS
    if scope == "cities":
        targets = set(aud.get("cities") or ()) | set(course.target_cities)
        return OPEN if set(cities) & targets else OTHERS
    # A course for one organisation's own participants.
    return OPEN if org in orgs else OTHERS
