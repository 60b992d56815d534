"""Loads the bundled programme data (2018 plan, 2017 results) idempotently."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import City, Organisation
from bot.db import assign_changed, session_scope
from bot.features.schedule.models import Course, CourseCity, CourseResult, ResultPlace

SAMPLE = Path(__file__).resolve().parent.parent.parent / "data" / "programme.json"


@dataclass
class ImportReport:
    """How many rows of each kind an import created or changed."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, *, created: bool) -> None:
        """Count one created or updated row."""
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        """True when anything was written."""
        return bool(self.created or self.updated)


async def _upsert(
    session: AsyncSession, model: type, key: str, values: dict[str, Any], report: ImportReport
) -> Any:
    row = await session.scalar(select(model).where(getattr(model, key) == values[key]))
    if row is None:
        row = model(**values)
        session.add(row)
        report.count(model.__tablename__, created=True)
    elif assign_changed(row, values):
        report.count(model.__tablename__, created=False)
    await session.flush()
    return row


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


async def _import_course(
    session: AsyncSession, item: dict, orgs: dict, cities: dict, report: ImportReport
) -> Course:
    values = {
        "code": item["code"],
        "year": item["year"],
        "type": item["type"],
        "theme": item.get("theme"),
        "partner_id": orgs[item["partner"]].id if item.get("partner") else None,
        "audience": item.get("audience") or {},
        "starts": _date(item.get("starts")),
        "ends": _date(item.get("ends")),
        "seats": item.get("seats") or 0,
        "language": item.get("language") or "en",
        "status": item.get("status") or "planned",
        "title": item["title"],
        "target": item.get("target") or {},
        "description": item.get("description") or {},
        "venue": item.get("venue") or {},
        "note": item.get("note") or {},
    }
    course = await _upsert(session, Course, "code", values, report)
    wanted = {(cities[k].id, "target") for k in item.get("audience", {}).get("cities", [])}
    wanted |= {(cities[k].id, "priority") for k in item.get("priority_cities", [])}
    existing = {
        (link.city_id, link.role): link
        for link in await session.scalars(
            select(CourseCity).where(CourseCity.course_id == course.id)
        )
    }
    for pair in wanted - existing.keys():
        session.add(CourseCity(course_id=course.id, city_id=pair[0], role=pair[1]))
        report.count("course_cities", created=True)
    for pair in existing.keys() - wanted:
        await session.delete(existing[pair])
        report.count("course_cities", created=False)
    return course


async def _import_result(
    session: AsyncSession, item: dict, courses: dict, cities: dict, report: ImportReport
) -> None:
    course = courses[item["course"]]
    values = {
        "course_id": course.id,
        "trainees": item["trainees"],
        "budget_krw_thousand": item.get("budget_krw_thousand"),
        "budget_note": item.get("budget_note") or {},
        "satisfaction": item.get("satisfaction"),
    }
    result = await _upsert(session, CourseResult, "course_id", values, report)
    old = list(
        await session.scalars(select(ResultPlace).where(ResultPlace.result_id == result.id))
    )
    new = [
        {
            "result_id": result.id,
            "position": pos,
            "country": p["country"],
            "country_recorded": p["country_recorded"],
            "country_recorded_ko": p.get("country_recorded_ko"),
            "city_id": cities[p["city"]].id if p.get("city") else None,
        }
        for pos, p in enumerate(item.get("places", []))
    ]
    for pos, values in enumerate(new):
        if pos < len(old):
            if assign_changed(old[pos], values):
                report.count("result_places", created=False)
        else:
            session.add(ResultPlace(**values))
            report.count("result_places", created=True)
    for extra in old[len(new) :]:
        await session.delete(extra)
        report.count("result_places", created=False)


async def import_programme(data: dict) -> ImportReport:
    """Create or update organisations, cities, courses and results; unchanged rows stay."""
    report = ImportReport()
    async with session_scope() as session:
        orgs = {}
        for o in data.get("organisations", []):
            values = {
                "code": o["code"],
                "kind": o.get("kind", "network"),
                "name": o["name"],
                "aliases": o.get("aliases", []),
            }
            orgs[o["code"]] = await _upsert(session, Organisation, "code", values, report)
        cities = {}
        for c in data.get("cities", []):
            values = {k: c.get(k) for k in ("key", "name", "name_ko", "country", "timezone")}
            values |= {"names": c.get("names", {}), "aliases": c.get("aliases", [])}
            cities[c["key"]] = await _upsert(session, City, "key", values, report)
        courses = {}
        for item in data.get("courses", []):
            courses[item["code"]] = await _import_course(session, item, orgs, cities, report)
        for item in data.get("results", []):
            await _import_result(session, item, courses, cities, report)
    return report


def load_sample(path: Path = SAMPLE) -> dict:
    """Read the bundled programme data file."""
    return json.loads(path.read_text(encoding="utf-8"))
