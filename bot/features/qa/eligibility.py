"""Which courses a city, country or organisation may apply to, by each course's audience."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.features.schedule.api import MEMBERS, OPEN, OTHERS, Catalogue, CourseView, audience_fit


@dataclass(frozen=True)
class Asker:
    """Where the person asking (or the person asked about) comes from; any part may be unknown."""

    cities: frozenset[str] = frozenset()  # catalogue city keys
    countries: frozenset[str] = frozenset()  # ISO codes
    orgs: frozenset[str] = frozenset()  # organisation codes
    place: str | None = None  # how to name them in the answer, e.g. "Bishkek"

    def known(self) -> bool:
        """Whether anything narrows the answer."""
        return bool(self.cities or self.countries or self.orgs)


@dataclass(frozen=True)
class Openness:
    """Courses sorted by whether the asker may apply: open, open to members, or for others."""

    open: tuple[CourseView, ...]
    members: tuple[CourseView, ...]  # open if the asker's city belongs to the partner network
    others: tuple[CourseView, ...]  # restricted to other cities, countries or organisations


def upcoming_year(catalogue: Catalogue, year: int | None, today: date | None) -> list[CourseView]:
    """The courses still to start; when none is (an old programme year), the whole year."""
    pool = [c for c in catalogue.courses if year is None or c.year == year]
    if today is None:
        return pool
    ahead = [c for c in pool if c.starts and c.starts >= today]
    return ahead or pool


def sort_courses(catalogue: Catalogue, asker: Asker, courses: list[CourseView]) -> Openness:
    """Sort courses by their audience rules for this asker."""
    countries = set(asker.countries)
    for key in asker.cities:
        if city := catalogue.cities.get(key):
            countries.add(city.country)
    groups: dict[str, list[CourseView]] = {OPEN: [], MEMBERS: [], OTHERS: []}
    for c in courses:
        fit = audience_fit(c, countries=countries, cities=asker.cities, orgs=asker.orgs)
        groups[fit].append(c)
    opened, members, others = groups[OPEN], groups[MEMBERS], groups[OTHERS]
    return Openness(tuple(opened), tuple(members), tuple(others))
