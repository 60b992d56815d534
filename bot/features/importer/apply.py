"""Writing a validated plan in the caller's transaction, counting what changed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import City, Organisation
from bot.db import assign_changed
from bot.features.importer.columns import norm
from bot.features.importer.places import HANGUL, city_slug, country_zone
from bot.features.importer.validation import CourseIn, Lookup, Plan, ResultIn, SessionIn
from bot.features.schedule.models import (
    Course,
    CourseCity,
    CourseResult,
    CourseSession,
    ResultPlace,
)


@dataclass
class KindCounts:
    """Rows of one kind the import created, updated, left unchanged or removed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def add(self, *, created: bool = False, changed: bool = False) -> None:
        """Count one row."""
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1

    @property
    def changed(self) -> bool:
        """True when this kind wrote anything."""
        return bool(self.created or self.updated or self.deleted)


def merged_texts(old: dict | None, new: dict[str, str | None]) -> dict:
    """A per-language field after the file's columns: blank cells remove that language."""
    result = dict(old or {})
    for lang, text in new.items():
        if text:
            result[lang] = text
        else:
            result.pop(lang, None)
    return result


async def _sync_targets(session: AsyncSession, course: Course, keys: list[str]) -> bool:
    """Make the course's target-city links match the audience cell; True if they changed."""
    ids = set(await session.scalars(select(City.id).where(City.key.in_(keys)))) if keys else set()
    links = {
        link.city_id: link
        for link in await session.scalars(
            select(CourseCity).where(
                CourseCity.course_id == course.id, CourseCity.role == "target"
            )
        )
    }
    for city_id in ids - links.keys():
        session.add(CourseCity(course_id=course.id, city_id=city_id, role="target"))
    for city_id in links.keys() - ids:
        await session.delete(links[city_id])
    return ids != links.keys()


async def apply_course(
    session: AsyncSession, item: CourseIn, orgs: dict[str, int], old: Course | None
) -> tuple[bool, bool]:
    """Create or update one course (`old` is its row, if any); (created, changed)."""
    values = dict(item.values)
    if "partner" in values:
        partner = values.pop("partner")
        values["partner_id"] = orgs[partner] if partner else None
    for name, langs in item.texts.items():
        if langs:
            values[name] = merged_texts(getattr(old, name) if old else None, langs)
    if old is None:
        course, changed = Course(**values), True
        session.add(course)
        if item.targets is not None:
            await session.flush()  # the links need the new course's id
    else:
        course, changed = old, assign_changed(old, values)
    if item.targets is not None:
        changed = await _sync_targets(session, course, item.targets) or changed
    return old is None, changed


async def _sessions(
    session: AsyncSession, code: str, items: list[SessionIn], course_id: int, counts: KindCounts
) -> None:
    """Replace one course's programme with the file's rows, keeping unchanged rows."""
    rows = {
        r.starts_at: r
        for r in await session.scalars(
            select(CourseSession).where(CourseSession.course_id == course_id)
        )
    }
    for item in items:
        values = {
            "ends_at": item.ends_at,
            "kind": item.kind,
            "title": item.texts["title"],
            "place": item.texts["place"],
            "speaker": item.texts["speaker"],
            "is_sample": False,
        }
        row = rows.pop(item.starts_at, None)
        if row is None:
            session.add(CourseSession(course_id=course_id, starts_at=item.starts_at, **values))
            counts.add(created=True)
        else:
            counts.add(changed=assign_changed(row, values))
    for row in rows.values():
        await session.delete(row)
        counts.deleted += 1


class _Cities:
    """Resolves written city names, creating the cities the database does not know yet."""

    def __init__(self, session: AsyncSession, lookup: Lookup) -> None:
        self.session, self.lookup, self.created = session, lookup, []
        self.ids: dict[str, int] | None = None  # city key → id, loaded on first use

    async def id_for(self, name: str | None, country: str) -> int | None:
        """The city's id; a new city (named as written) when unknown."""
        if not name:
            return None
        if self.ids is None:
            self.ids = dict((await self.session.execute(select(City.key, City.id))).all())
        key = self.lookup.cities.get(norm(name))
        if key is None:
            korean = bool(HANGUL.search(name))
            city = City(
                key=city_slug(name, set(self.ids)),
                name=name[:200],
                name_ko=name[:200] if korean else None,
                country=country,
                timezone=country_zone(country),
                names={"ko" if korean else "en": name},
                aliases=[],
            )
            self.session.add(city)
            await self.session.flush()
            key = self.lookup.cities[norm(name)] = city.key
            self.ids[key] = city.id
            self.created.append(name)
        return self.ids[key]


async def _result(
    session: AsyncSession, item: ResultIn, course_id: int, cities: _Cities
) -> tuple[bool, bool]:
    """Create or update one course's result and its places; (created, changed)."""
    result = await session.scalar(select(CourseResult).where(CourseResult.course_id == course_id))
    created = result is None
    if created:
        result = CourseResult(course_id=course_id, **item.values)
        session.add(result)
        await session.flush()
        changed = True
    else:
        changed = assign_changed(result, item.values)
    if item.places is None:
        return created, changed
    old = list(
        await session.scalars(
            select(ResultPlace)
            .where(ResultPlace.result_id == result.id)
            .order_by(ResultPlace.position)
        )
    )
    for pos, place in enumerate(item.places):
        values = {
            "result_id": result.id,
            "position": pos,
            "country": place.country,
            "country_recorded": place.recorded,
            "country_recorded_ko": place.recorded_ko,
            "city_id": await cities.id_for(place.city, place.country),
        }
        if pos < len(old):
            changed = assign_changed(old[pos], values) or changed
        else:
            session.add(ResultPlace(**values))
            changed = True
    for extra in old[len(item.places) :]:
        await session.delete(extra)
        changed = True
    return created, changed


async def apply_plan(
    session: AsyncSession, plan: Plan, lookup: Lookup
) -> tuple[dict[str, KindCounts], list[str]]:
    """Write the plan; the counts per kind and the names of cities created."""
    counts = {kind: KindCounts() for kind in ("courses", "sessions", "results")}
    orgs = dict((await session.execute(select(Organisation.code, Organisation.id))).all())
    # One query for every course of the file, not one per row: 2,000 rows stay quick.
    codes = [item.code for item in plan.courses]
    rows = await session.scalars(select(Course).where(Course.code.in_(codes))) if codes else []
    existing = {course.code: course for course in rows}
    for item in plan.courses:
        created, changed = await apply_course(session, item, orgs, existing.get(item.code))
        counts["courses"].add(created=created, changed=changed)
    await session.flush()
    codes = {i.course for i in [*plan.sessions, *plan.results]}
    ids = dict(
        (await session.execute(select(Course.code, Course.id).where(Course.code.in_(codes)))).all()
    )
    grouped: dict[str, list[SessionIn]] = defaultdict(list)
    for item in plan.sessions:
        grouped[item.course].append(item)
    for code, items in grouped.items():
        await _sessions(session, code, items, ids[code], counts["sessions"])
    cities = _Cities(session, lookup)
    for item in plan.results:
        created, changed = await _result(session, item, ids[item.course], cities)
        counts["results"].add(created=created, changed=changed)
    await session.flush()
    return counts, cities.created
