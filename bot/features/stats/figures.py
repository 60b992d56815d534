"""The figures of a year as plain dataclasses, and the pure arithmetic that builds them.

The service (service.py) reads rows into `CourseRow`s; everything here is computed from those,
so the same numbers feed the JSON, the text report and the charts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from statistics import fmean

from bot.features.schedule.models import COURSE_TYPES, THEMES

NO_THEME = "unspecified"
# Where a course's trainees come from: the recorded result row, the accepted applications
# (a year without results yet), or nothing but the planned seats.
RESULTS, APPLICATIONS, PLAN = "results", "applications", "plan"


@dataclass
class CourseRow:
    """One course as read from the database (the service fills it, nothing here queries)."""

    id: int
    code: str
    year: int
    type: str
    theme: str | None
    seats: int
    title: dict
    basis: str  # results | applications | plan
    trainees: int | None  # None for a course with neither results nor accepted applications
    recorded_satisfaction: float | None = None
    survey_scores: list[float] = field(default_factory=list)  # "overall" items answered
    places: list[tuple[str, int | None]] = field(default_factory=list)  # (country, city id)
    # Trainees per country, known only when they come from accepted applications.
    country_trainees: Counter = field(default_factory=Counter)


@dataclass
class TypeFigures:
    """Courses and trainees (or planned seats) of one course type or theme."""

    courses: int = 0
    trainees: int = 0
    seats: int = 0


@dataclass
class CourseFigures:
    """One course's line in the report."""

    code: str
    title: dict
    type: str
    theme: str
    basis: str
    trainees: int | None
    seats: int
    satisfaction: float | None
    satisfaction_source: str | None  # recorded | survey | None

    def as_json(self) -> dict:
        """A JSON-ready dict (titles left out: they are long and per-language)."""
        data = asdict(self)
        del data["title"]
        return data


@dataclass
class CountryFigures:
    """One country of the year: distinct cities, courses, and trainees when known."""

    cities: int = 0
    courses: int = 0
    trainees: int | None = None


@dataclass
class Funnel:
    """The follow-up loop of a year's courses, each stage a subset of the one before."""

    postcards_written: int = 0
    postcards_returned: int = 0  # the postcard_return outbox row was sent
    evaluations_answered: int = 0  # completed 4-month evaluations
    applied_at_home: int = 0  # answered, with at least one action done or in progress


@dataclass
class Cumulative:
    """All years up to and including the year."""

    first_year: int | None = None
    courses: int = 0
    trainees: int = 0
    countries: int = 0
    cities: int = 0


@dataclass
class YearStats:
    """The figures the training team reports for a year."""

    year: int
    basis: str  # results | applications | plan (what `trainees` counts)
    courses: int
    trainees: int
    seats: int
    countries: int
    cities: int
    by_type: dict[str, TypeFigures] = field(default_factory=dict)
    satisfaction_mean: float | None = None  # unweighted mean of the courses' satisfaction
    by_theme: dict[str, TypeFigures] = field(default_factory=dict)
    by_course: list[CourseFigures] = field(default_factory=list)
    by_country: dict[str, CountryFigures] = field(default_factory=dict)
    funnel: Funnel = field(default_factory=Funnel)
    repeat_cities: list[str] = field(default_factory=list)  # city keys, sorted
    repeat_city_names: dict[str, dict] = field(default_factory=dict)  # key → names by locale
    cumulative: Cumulative = field(default_factory=Cumulative)

    def as_json(self) -> dict:
        """A JSON-ready dict; a planned year reports seats instead of trainees per type/theme."""
        key = "seats" if self.basis == PLAN else "trainees"

        def counts(groups: dict[str, TypeFigures]) -> dict:
            return {g: {"courses": f.courses, key: getattr(f, key)} for g, f in groups.items()}

        return {
            "year": self.year,
            "basis": self.basis,
            "courses": self.courses,
            "trainees": self.trainees,
            "seats": self.seats,
            "countries": self.countries,
            "cities": self.cities,
            "by_type": counts(self.by_type),
            "satisfaction_mean": self.satisfaction_mean,
            "by_theme": counts(self.by_theme),
            "by_course": [c.as_json() for c in self.by_course],
            "by_country": {
                c: {k: v for k, v in asdict(f).items() if v is not None}
                for c, f in self.by_country.items()
            },
            "funnel": asdict(self.funnel),
            "repeat_cities": {"count": len(self.repeat_cities), "cities": self.repeat_cities},
            "cumulative": asdict(self.cumulative),
        }


def course_satisfaction(row: CourseRow) -> tuple[float | None, str | None]:
    """The recorded satisfaction, else the mean of the survey's "overall" answers."""
    if row.recorded_satisfaction is not None:
        return round(float(row.recorded_satisfaction), 2), "recorded"
    if row.survey_scores:
        return round(fmean(row.survey_scores), 2), "survey"
    return None, None


def year_basis(rows: list[CourseRow]) -> str:
    """Results if any course recorded them, else applications if any were accepted, else plan."""
    kinds = {r.basis for r in rows}
    return next((b for b in (RESULTS, APPLICATIONS) if b in kinds), PLAN)


def _group(rows: list[CourseRow], key, order) -> dict[str, TypeFigures]:
    groups = {g: TypeFigures() for g in order}
    for row in rows:
        fig = groups.setdefault(key(row), TypeFigures())
        fig.courses += 1
        fig.seats += row.seats or 0
        fig.trainees += row.trainees or 0
    return groups


def _by_country(rows: list[CourseRow], basis: str) -> dict[str, CountryFigures]:
    cities: dict[str, set[int]] = {}
    courses: Counter = Counter()
    for row in rows:
        for country in {c for c, _ in row.places}:
            courses[country] += 1
        for country, city in row.places:
            cities.setdefault(country, set())
            if city is not None:
                cities[country].add(city)
    trainees: Counter = Counter()
    for row in rows:
        trainees.update(row.country_trainees)
    out = {
        c: CountryFigures(
            cities=len(cities[c]),
            courses=courses[c],
            # Result rows list places, not trainees per place: per-country trainees are only
            # known when every trainee of the year comes from an accepted application.
            trainees=trainees[c] if basis == APPLICATIONS else None,
        )
        for c in cities
    }
    return dict(sorted(out.items(), key=lambda kv: (-(kv[1].trainees or kv[1].cities), kv[0])))


def _cumulative(rows: list[CourseRow]) -> Cumulative:
    places = [p for r in rows for p in r.places]
    return Cumulative(
        first_year=min((r.year for r in rows), default=None),
        courses=len(rows),
        trainees=sum(r.trainees or 0 for r in rows),
        countries=len({c for c, _ in places}),
        cities=len({city for _, city in places if city is not None}),
    )


def build(year: int, rows: list[CourseRow], funnel: Funnel, city_keys: dict) -> YearStats:
    """The year's figures from the course rows of every year up to it."""
    this = [r for r in rows if r.year == year]
    basis = year_basis(this)
    places = [p for r in this for p in r.places]
    by_course, scores = [], []
    for row in sorted(this, key=lambda r: r.code):
        value, source = course_satisfaction(row)
        if value is not None:
            scores.append(value)
        by_course.append(
            CourseFigures(
                row.code,
                row.title,
                row.type,
                row.theme or NO_THEME,
                row.basis,
                row.trainees,
                row.seats,
                value,
                source,
            )
        )
    by_theme = {
        t: f for t, f in _group(this, lambda r: r.theme or NO_THEME, THEMES).items() if f.courses
    }
    cities = {city for _, city in places if city is not None}
    earlier = {city for r in rows if r.year < year for _, city in r.places if city is not None}
    repeat = sorted(city_keys[c][0] for c in cities & earlier)
    return YearStats(
        year=year,
        basis=basis,
        courses=len(this),
        trainees=sum(r.trainees or 0 for r in this),
        seats=sum(r.seats or 0 for r in this),
        countries=len({c for c, _ in places}),
        cities=len(cities),
        by_type=_group(this, lambda r: r.type, COURSE_TYPES),
        satisfaction_mean=round(fmean(scores), 2) if scores else None,
        by_theme=by_theme,
        by_course=by_course,
        by_country=_by_country(this, basis),
        funnel=funnel,
        repeat_cities=repeat,
        repeat_city_names={city_keys[c][0]: city_keys[c][1] for c in cities & earlier},
        cumulative=_cumulative(rows),
    )
