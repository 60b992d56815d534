"""The day-by-day programme of a course week: import, and what happens on a given day."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import DEFAULT_TIMEZONE
from bot.db import session_scope
from bot.features.schedule.models import Course, CourseSession

WEEK_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "course_week.json"
SESSION_KINDS = (
    "lecture",
    "site_visit",
    "presentation",
    "cultural",
    "ceremony",
    "meal",
    "travel",
    "free",
)


@dataclass(frozen=True)
class SessionView:
    """One programme item, with per-language title, place and speaker."""

    course_code: str
    starts_at: datetime
    ends_at: datetime | None
    kind: str
    title: dict
    place: dict
    speaker: dict
    is_sample: bool


def _local(text: str, tz: ZoneInfo) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def load_week_file(path: Path = WEEK_FILE) -> dict:
    """Read the bundled sample course week (empty when the file is absent)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


async def import_week(data: dict, tz: str = DEFAULT_TIMEZONE) -> int:
    """Load course weeks; a course whose sessions are unchanged is left alone."""
    zone, sample, written = ZoneInfo(tz), bool(data.get("sample")), 0
    async with session_scope() as session:
        for code, items in data.get("courses", {}).items():
            course = await session.scalar(select(Course).where(Course.code == code))
            if course is None:
                continue
            wanted = [
                (
                    _local(i["starts"], zone),
                    _local(i["ends"], zone) if i.get("ends") else None,
                    i["kind"],
                    i["title"],
                    i.get("place") or {},
                    i.get("speaker") or {},
                )
                for i in items
            ]
            rows = list(
                await session.scalars(
                    select(CourseSession)
                    .where(CourseSession.course_id == course.id)
                    .order_by(CourseSession.starts_at)
                )
            )
            have = [(r.starts_at, r.ends_at, r.kind, r.title, r.place, r.speaker) for r in rows]
            if have == sorted(wanted, key=lambda w: w[0]):
                continue
            for row in rows:
                await session.delete(row)
            for starts, ends, kind, title, place, speaker in wanted:
                session.add(
                    CourseSession(
                        course_id=course.id,
                        starts_at=starts,
                        ends_at=ends,
                        kind=kind,
                        title=title,
                        place=place,
                        speaker=speaker,
                        is_sample=sample,
                    )
                )
                written += 1
    return written


async def sessions_on(
    course_code: str, day: date, tz: str = DEFAULT_TIMEZONE
) -> list[SessionView]:
    """The programme items of a course on one Seoul calendar day, in time order."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, datetime.min.time(), zone)
    async with session_scope() as session:
        rows = (
            await session.execute(
                select(CourseSession, Course.code)
                .join(Course, Course.id == CourseSession.course_id)
                .where(
                    Course.code == course_code,
                    CourseSession.starts_at >= start,
                    CourseSession.starts_at < start + timedelta(days=1),
                )
                .order_by(CourseSession.starts_at)
            )
        ).all()
    return [
        SessionView(
            code,
            s.starts_at,
            s.ends_at,
            s.kind,
            dict(s.title),
            dict(s.place),
            dict(s.speaker),
            s.is_sample,
        )
        for s, code in rows
    ]
