"""Who a broadcast reaches: filters chosen in the wizard, resolved to chats.

Filters of different kinds are combined with AND (a course cohort *and* a country); several
values of one kind with OR (two courses, three countries). An audience with no filter reaches
nobody: "everyone" is never an accident of an empty selection.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import Select, select

from bot.core.models import City, Person
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.schedule.models import Course
from bot.i18n import VARIANTS

COHORT = ("accepted",)
# A draft is not an application anyone should hear about; every other status can be addressed.
ADDRESSABLE_STATUSES = (
    "submitted",
    "under_review",
    "accepted",
    "waitlisted",
    "declined",
    "withdrawn",
)


@dataclass(frozen=True)
class Audience:
    """The wizard's filters; stored as JSON in Broadcast.audience (+ include_groups)."""

    courses: tuple[str, ...] = ()  # course codes
    statuses: tuple[str, ...] = COHORT  # application statuses within those courses
    years: tuple[int, ...] = ()  # alumni: accepted in any course of the year
    countries: tuple[str, ...] = ()  # ISO alpha-2 of Person.country
    cities: tuple[str, ...] = ()  # City.key of Person.city_id
    languages: tuple[str, ...] = ()  # Person.locale
    include_groups: bool = False  # also the group chats of the chosen courses / years

    @property
    def empty(self) -> bool:
        """True when no filter is chosen (such an audience reaches nobody)."""
        return not (self.courses or self.years or self.countries or self.cities or self.languages)

    def to_json(self) -> dict:
        """The JSON kept in Broadcast.audience (include_groups has its own column)."""
        data = asdict(self)
        data.pop("include_groups")
        return {k: list(v) for k, v in data.items()}

    @classmethod
    def from_json(cls, data: dict | None, include_groups: bool = False) -> Audience:
        """Rebuild from Broadcast.audience, ignoring unknown keys (e.g. the stored scope)."""
        data = data or {}
        return cls(
            courses=tuple(data.get("courses") or ()),
            statuses=tuple(data.get("statuses") or COHORT),
            years=tuple(int(y) for y in data.get("years") or ()),
            countries=tuple(data.get("countries") or ()),
            cities=tuple(data.get("cities") or ()),
            languages=tuple(data.get("languages") or ()),
            include_groups=include_groups,
        )


@dataclass(frozen=True)
class Recipient:
    """One chat to write to: a person's private chat, or a course group (person_id None)."""

    person_id: int | None
    chat_id: int
    locale: str


@dataclass(frozen=True)
class Options:
    """What the wizard can offer for each kind of filter, within the sender's scope."""

    courses: list[tuple[int, str, dict]] = field(default_factory=list)  # id, code, title
    years: list[int] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    cities: list[tuple[int, str, str]] = field(default_factory=list)  # id, key, name


def _alumni(course_ids: Select | None = None) -> Select:
    """Person ids accepted in a course (of `course_ids` when given)."""
    query = select(Application.person_id).where(Application.status == "accepted")
    if course_ids is not None:
        query = query.where(Application.course_id.in_(course_ids))
    return query


def _course_filter(
    codes: tuple[str, ...] = (), years: tuple[int, ...] = (), within: frozenset[int] | None = None
) -> Select:
    """Ids of courses by code or year, cut to the sender's scope when it is limited."""
    query = select(Course.id)
    if codes:
        query = query.where(Course.code.in_(codes))
    if years:
        query = query.where(Course.year.in_(years))
    if within is not None:
        query = query.where(Course.id.in_(within))
    return query


def _people(audience: Audience, within: frozenset[int] | None) -> Select:
    """The private-chat part of the audience as one query (blocked people excluded)."""
    query = select(Person.id, Person.telegram_id, Person.locale).where(Person.blocked_at.is_(None))
    if audience.courses:
        courses = _course_filter(audience.courses, within=within)
        query = query.where(
            Person.id.in_(
                select(Application.person_id).where(
                    Application.course_id.in_(courses),
                    Application.status.in_(audience.statuses),
                )
            )
        )
    if audience.years:
        query = query.where(
            Person.id.in_(_alumni(_course_filter(years=audience.years, within=within)))
        )
    if within is not None and not audience.courses:
        # A liaison officer's city/country/language audiences: only their courses' alumni.
        query = query.where(Person.id.in_(_alumni(_course_filter(within=within))))
    if audience.countries:
        query = query.where(Person.country.in_(audience.countries))
    if audience.cities:
        query = query.where(
            Person.city_id.in_(select(City.id).where(City.key.in_(audience.cities)))
        )
    if audience.languages:
        # Chinese readers include those who read it in Traditional characters.
        langs = {*audience.languages, *(v for v, b in VARIANTS.items() if b in audience.languages)}
        query = query.where(Person.locale.in_(sorted(langs)))
    return query.order_by(Person.id)


async def resolve(audience: Audience, within: frozenset[int] | None = None) -> list[Recipient]:
    """Every chat the audience reaches, deduplicated; `within` limits it to those courses."""
    if audience.empty:
        return []
    out: dict[int, Recipient] = {}
    async with session_scope() as session:
        for person_id, chat_id, locale in await session.execute(_people(audience, within)):
            out.setdefault(chat_id, Recipient(person_id, chat_id, locale or "en"))
        if audience.include_groups and (audience.courses or audience.years):
            query = select(Course.group_chat_id, Course.language).where(
                Course.group_chat_id.is_not(None)
            )
            if audience.courses:
                query = query.where(Course.id.in_(_course_filter(audience.courses, within=within)))
            if audience.years:
                query = query.where(
                    Course.id.in_(_course_filter(years=audience.years, within=within))
                )
            for chat_id, language in await session.execute(query.order_by(Course.code)):
                out.setdefault(chat_id, Recipient(None, chat_id, language or "en"))
    return list(out.values())


async def count(audience: Audience, within: frozenset[int] | None = None) -> int:
    """How many chats the audience reaches (what the wizard shows before sending)."""
    return len(await resolve(audience, within))


async def options(within: frozenset[int] | None) -> Options:
    """Courses, years, countries and cities the sender may choose from."""
    async with session_scope() as session:
        courses = list(
            await session.execute(
                select(Course.id, Course.code, Course.title)
                .where(Course.id.in_(_course_filter(within=within)))
                .order_by(Course.year.desc(), Course.code)
            )
        )
        reachable = select(Person.id)
        if within is not None:
            reachable = reachable.where(Person.id.in_(_alumni(_course_filter(within=within))))
        countries = await session.scalars(
            select(Person.country)
            .where(Person.id.in_(reachable), Person.country.is_not(None))
            .distinct()
            .order_by(Person.country)
        )
        cities = await session.execute(
            select(City.id, City.key, City.name)
            .join(Person, Person.city_id == City.id)
            .where(Person.id.in_(reachable))
            .distinct()
            .order_by(City.name)
        )
        years = await session.scalars(
            select(Course.year)
            .where(Course.id.in_(_course_filter(within=within)))
            .distinct()
            .order_by(Course.year.desc())
        )
        return Options(
            courses=[(i, c, t) for i, c, t in courses],
            years=list(years),
            countries=list(countries),
            cities=[(i, k, n) for i, k, n in cities],
        )
