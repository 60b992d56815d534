"""Building spreadsheets for the import tests and snapshotting the programme tables."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import select

from bot import db
from bot.core.models import City
from bot.features.schedule.models import (
    Course,
    CourseCity,
    CourseResult,
    CourseSession,
    ResultPlace,
)

COURSE_HEADERS = [
    "code", "year", "type", "theme", "title_en", "title_ko", "partner", "starts", "ends",
    "seats", "language", "audience", "status",
]  # fmt: skip
COURSES_2019 = [
    ["2019-01", 2019, "planned", "water", "Water Management", "상수도 과정", "METROPOLIS",
     date(2019, 6, 16), date(2019, 6, 23), 13, "en", "all", "completed"],
    ["2019-02", 2019, "cooperative", "transport", "Urban Transport", "도시교통 과정", "CITYNET",
     date(2019, 4, 7), date(2019, 4, 14), 13, "en", "members:CITYNET", "completed"],
]  # fmt: skip
RESULT_HEADERS = ["course", "trainees", "satisfaction", "budget", "places"]
RESULTS_2019 = [
    ["2019-01", 12, 4.8, 24000, "Mexico (Jalisco); Philippines (Manila, General Santos)"],
    ["2019-02", 9, 4.6, None, "Nepal (Kathmandu); Kenya (Nairobi); Singapore"],
]
SESSION_HEADERS = ["course", "date", "start", "end", "kind", "title_en", "title_ko"]
SESSIONS_2019 = [
    ["2019-01", date(2019, 6, 17), "09:30", "12:00", "lecture", "Water supply", "상수도 정책"],
    ["2019-01", date(2019, 6, 17), "14:00", "17:00", "site_visit", "Arisu plant", "아리수센터"],
]  # fmt: skip


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with one sheet per entry: the first list is the header row."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def year_2019() -> bytes:
    """A clean workbook: two 2019 courses, their results and two sessions."""
    return xlsx(
        {
            "courses": [COURSE_HEADERS, *COURSES_2019],
            "sessions": [SESSION_HEADERS, *SESSIONS_2019],
            "results": [RESULT_HEADERS, *RESULTS_2019],
        }
    )


async def snapshot() -> dict[str, list]:
    """Every programme row as plain tuples, to prove that nothing changed."""
    tables = (Course, CourseCity, CourseResult, ResultPlace, CourseSession, City)
    shot = {}
    async with db.session_scope() as s:
        for model in tables:
            rows = await s.scalars(select(model).order_by(model.id))
            cols = [c.key for c in model.__table__.columns]
            shot[model.__tablename__] = [tuple(getattr(r, c) for c in cols) for r in rows]
    return shot
