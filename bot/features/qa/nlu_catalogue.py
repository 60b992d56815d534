"""Catalogue side of the NLU engine: entity phrases (cities, organisations, countries) and the
course selection behind a schedule answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from babel import Locale

from bot.features.schedule.api import Catalogue, CourseView

LOCALES = ("en", "zh", "es", "ru")
# Country names Babel knows but the catalogue does not use are only spotted when long enough
# not to be ordinary words (Russian "Того" is Togo, and also "of that").
MIN_FOREIGN_COUNTRY = 5
_PARENS = re.compile(r"[()（）]")


def _split_name(name: str) -> list[str]:
    # "CITYNET (Regional Network of …)" is typed as either part, rarely both.
    parts = [p.strip(" ,–-") for p in _PARENS.split(name)]
    return [p for p in parts if p]


def _locale_of(key: str) -> str:
    return key if key in LOCALES else "*"


def entity_phrases(catalogue: Catalogue) -> Iterator[tuple[str, str, str, str]]:
    """(kind, value, locale, phrase) rows for every city, organisation and country name."""
    for city in catalogue.cities.values():
        yield "city", city.key, "en", city.name
        yield "city", city.key, "*", city.key.replace("_", " ")
        for loc, name in (city.names or {}).items():
            # "Paraná (state)": what is in brackets qualifies the name; "state" alone is not it.
            for part in _split_name(name)[:1]:
                yield "city", city.key, _locale_of(loc), part
        for alias in city.aliases:
            yield "city", city.key, "*", alias
    for org in catalogue.orgs.values():
        yield "org", org.code, "*", org.code
        for loc, name in (org.name or {}).items():
            for part in _split_name(name):
                yield "org", org.code, _locale_of(loc), part
        for alias in org.aliases:
            yield "org", org.code, "*", alias
    used = {c.country for c in catalogue.cities.values()}
    for course in catalogue.courses:
        used.update(course.audience.get("countries") or ())
    for loc in LOCALES:
        for code, name in Locale.parse(loc).territories.items():
            if not (len(code) == 2 and code.isalpha()):
                continue
            if code in used or len(name) >= MIN_FOREIGN_COUNTRY or loc == "zh":
                yield "country", code, loc, name


def _audience_cities(course: CourseView) -> set[str]:
    return set(course.audience.get("cities") or ()) | set(course.target_cities)


def _targets(course: CourseView, cities: set[str], countries: set[str], orgs: set[str]) -> bool:
    aud = course.audience
    if cities & _audience_cities(course):
        return True
    if countries & set(aud.get("countries") or ()):
        return True
    return bool(orgs & {aud.get("organisation"), course.partner} - {None})


def _start_key(course: CourseView) -> tuple:
    return (course.starts is None, course.starts or date.min, course.code)


def select_courses(
    catalogue: Catalogue,
    *,
    year: int | None,
    themes: frozenset[str] = frozenset(),
    months: frozenset[int] = frozenset(),
    types: frozenset[str] = frozenset(),
    languages: frozenset[str] = frozenset(),
    cities: frozenset[str] = frozenset(),
    countries: frozenset[str] = frozenset(),
    orgs: frozenset[str] = frozenset(),
) -> tuple[CourseView, ...]:
    """Courses of a year matching every given kind of filter, sorted by start date.

    Places and organisations narrow in tiers: the courses aimed at them, else the ones that
    give them priority, else the planned courses that are open to every city."""
    pool = [
        c
        for c in catalogue.courses
        if (year is None or c.year == year)
        and (not themes or c.theme in themes)
        # A course is "in June" when any of its days is: Kyiv's 27 May–3 Jun counts for both.
        and (not months or bool(c.months & months))
        and (not types or c.type in types)
        and (not languages or c.language in languages)
    ]
    if cities or countries or orgs:
        # A city is also reached through its country's audience ("Chinese cities").
        all_countries = set(countries)
        for key in cities:
            city = catalogue.cities.get(key)
            if city:
                all_countries.add(city.country)
        chosen = [c for c in pool if _targets(c, set(cities), all_countries, set(orgs))]
        if not chosen and cities:
            chosen = [c for c in pool if set(cities) & set(c.priority_cities)]
        if not chosen:
            chosen = [c for c in pool if c.type == "planned"]
        pool = chosen
    return tuple(sorted(pool, key=_start_key))
