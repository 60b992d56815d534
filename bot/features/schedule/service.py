"""Course catalogue service: plain dataclasses for handlers, the QA engine and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from bot.clock import utcnow
from bot.core.models import City, Organisation, Person
from bot.core.refdata import cached, watch
from bot.db import session_scope
from bot.features.schedule.models import Course, CourseCity
from bot.i18n import pick


@dataclass(frozen=True)
class OrgView:
    """A partner organisation with every name people may type for it."""

    code: str
    kind: str
    name: dict
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class CityView:
    """A known city with its spellings and time zone."""

    key: str
    name: str
    country: str
    timezone: str
    names: dict
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class CourseView:
    """Everything shown about a course; per-language texts are dicts with an English fallback."""

    id: int
    code: str
    year: int
    type: str
    theme: str | None
    partner: str | None  # organisation code
    audience: dict
    target_cities: tuple[str, ...]
    priority_cities: tuple[str, ...]
    starts: date | None
    ends: date | None
    seats: int
    language: str
    status: str
    title: dict
    target: dict
    description: dict
    venue: dict
    note: dict
    apply_until: date | None = None  # last day applications are taken; None: until `starts`

    def t(self, locale: str | None = None) -> str:
        """The title in a locale (falls back to English)."""
        return pick(self.title, locale)

    def runs_on(self, day: date) -> bool:
        """Whether the course is under way on that day (both dates set)."""
        return bool(self.starts and self.ends and self.starts <= day <= self.ends)

    @property
    def months(self) -> frozenset[int]:
        """Months (1–12) the course runs in; empty when the dates are not set."""
        if not self.starts:
            return frozenset()
        end = self.ends or self.starts
        months, y, m = set(), self.starts.year, self.starts.month
        while (y, m) <= (end.year, end.month):
            months.add(m)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return frozenset(months)


@dataclass(frozen=True)
class Catalogue:
    """A snapshot of courses, organisations and cities for answering questions."""

    courses: tuple[CourseView, ...]
    orgs: dict[str, OrgView] = field(default_factory=dict)
    cities: dict[str, CityView] = field(default_factory=dict)

    def years(self) -> list[int]:
        """Years that have courses, ascending."""
        return sorted({c.year for c in self.courses})

    def default_year(self, today: date | None = None) -> int | None:
        """The programme year questions refer to: this year if it has courses, else the latest."""
        years = self.years()
        if not years:
            return None
        year = (today or utcnow().date()).year
        if year in years:
            return year
        earlier = [y for y in years if y <= year]
        return earlier[-1] if earlier else years[0]

    def by_code(self, code: str) -> CourseView | None:
        """The course with that code."""
        return next((c for c in self.courses if c.code == code), None)

    def by_id(self, course_id: int) -> CourseView | None:
        """The course with that id."""
        return next((c for c in self.courses if c.id == course_id), None)


def _view(course: Course, links: list[CourseCity], keys: dict[int, str], orgs: dict) -> CourseView:
    return CourseView(
        id=course.id,
        code=course.code,
        year=course.year,
        type=course.type,
        theme=course.theme,
        partner=orgs.get(course.partner_id),
        audience=dict(course.audience or {}),
        target_cities=tuple(keys[x.city_id] for x in links if x.role == "target"),
        priority_cities=tuple(keys[x.city_id] for x in links if x.role == "priority"),
        starts=course.starts,
        ends=course.ends,
        seats=course.seats,
        language=course.language,
        status=course.status,
        title=dict(course.title or {}),
        target=dict(course.target or {}),
        description=dict(course.description or {}),
        venue=dict(course.venue or {}),
        note=dict(course.note or {}),
        apply_until=course.apply_until,
    )


# Courses, partners and cities are reference data: read once per change, not per update.
watch(Organisation, City, Course, CourseCity)


async def load_catalogue() -> Catalogue:
    """Every course, organisation and city (the process's copy, reloaded after a change)."""
    return await cached("catalogue", _read_catalogue)


async def _read_catalogue() -> Catalogue:
    """Read every course, organisation and city into a Catalogue (one transaction)."""
    async with session_scope() as session:
        orgs = list(await session.scalars(select(Organisation)))
        cities = list(await session.scalars(select(City)))
        order = (Course.starts.is_(None), Course.starts, Course.code)
        courses = list(await session.scalars(select(Course).order_by(*order)))
        links = list(await session.scalars(select(CourseCity)))
    city_keys = {c.id: c.key for c in cities}
    org_codes = {o.id: o.code for o in orgs}
    by_course: dict[int, list[CourseCity]] = {}
    for link in links:
        by_course.setdefault(link.course_id, []).append(link)
    return Catalogue(
        courses=tuple(_view(c, by_course.get(c.id, []), city_keys, org_codes) for c in courses),
        orgs={o.code: OrgView(o.code, o.kind, dict(o.name), tuple(o.aliases)) for o in orgs},
        cities={
            c.key: CityView(c.key, c.name, c.country, c.timezone, dict(c.names), tuple(c.aliases))
            for c in cities
        },
    )


FILTER_KINDS = ("m", "t", "k", "u")  # month, theme, course type, dates to be agreed


@dataclass(frozen=True)
class CourseFilter:
    """One way of narrowing a year's courses: by month, theme, type, or undated ones."""

    kind: str  # one of FILTER_KINDS
    year: int
    value: str = ""  # month "1"–"12", a theme key, a course type, or "" for undated

    def matches(self, course: CourseView) -> bool:
        """True when the course belongs to this filter's list."""
        if course.year != self.year:
            return False
        if self.kind == "m":
            return int(self.value) in course.months
        if self.kind == "t":
            return course.theme == self.value
        if self.kind == "k":
            return course.type == self.value
        return course.starts is None


def filter_courses(catalogue: Catalogue, flt: CourseFilter) -> list[CourseView]:
    """The courses of a filter, in catalogue order (by start date, undated last)."""
    return [c for c in catalogue.courses if flt.matches(c)]


def year_courses(catalogue: Catalogue, year: int) -> list[CourseView]:
    """All courses of a year."""
    return [c for c in catalogue.courses if c.year == year]


def month_counts(catalogue: Catalogue, year: int) -> dict[int, int]:
    """Month (1–12) → how many of the year's courses run in it; empty months left out."""
    counts: dict[int, int] = {}
    for course in year_courses(catalogue, year):
        for month in course.months:
            counts[month] = counts.get(month, 0) + 1
    return dict(sorted(counts.items()))


def field_counts(catalogue: Catalogue, year: int, attr: str) -> dict[str, int]:
    """Value of `attr` ("theme" or "type") → number of that year's courses, None left out."""
    counts: dict[str, int] = {}
    for course in year_courses(catalogue, year):
        value = getattr(course, attr)
        if value:
            counts[value] = counts.get(value, 0) + 1
    return counts


@dataclass(frozen=True)
class TraineeZone:
    """Where a person lives in time: an IANA zone and, when known, their city's names."""

    timezone: str
    city_names: dict | None = None


async def trainee_zone(person_id: int) -> TraineeZone | None:
    """The person's own time zone: their stated one, else their city's; None when unknown."""
    async with session_scope() as session:
        person = await session.get(Person, person_id)
        if person is None:
            return None
        city = await session.get(City, person.city_id) if person.city_id else None
        zone = person.timezone or (city.timezone if city else None)
        if not zone:
            return None
        names = dict(city.names or {"en": city.name}) if city and city.timezone == zone else None
        return TraineeZone(zone, names)
