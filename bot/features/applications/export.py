"""A course's applications as a spreadsheet (XLSX or CSV) for staff, in priority order."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.applications.review_common import display_name, ranked, require_staff
from bot.features.schedule.models import Course
from bot.i18n import N_, babel_locale, translator

FORMATS = ("xlsx", "csv")
SEOUL = ZoneInfo("Asia/Seoul")
COLUMNS = (
    ("rank", N_("Priority"), 8),
    ("status", N_("Status"), 14),
    ("submitted_at", N_("Submitted (Seoul time)"), 18),
    ("full_name", N_("Full name"), 28),
    ("country", N_("Country"), 16),
    ("city", N_("City"), 16),
    ("organisation", N_("Organisation"), 30),
    ("position", N_("Position"), 24),
    ("seniority", N_("Seniority"), 14),
    ("email", N_("E-mail"), 28),
    ("phone", N_("Phone"), 16),
    ("language", N_("Preferred language"), 12),
    ("motivation", N_("Motivation"), 60),
    ("decision_note", N_("Decision note"), 30),
    ("decided_at", N_("Decided (Seoul time)"), 18),
)
STATUS_LABELS = {
    "submitted": N_("Submitted"),
    "under_review": N_("Under review"),
    "accepted": N_("Accepted"),
    "waitlisted": N_("Waitlisted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}
SENIORITY_LABELS = {"senior": N_("Senior / managerial"), "working": N_("Working level")}


def _seoul(value: datetime | None) -> datetime | None:
    # Spreadsheets cannot hold time zones: Seoul wall-clock time, as the header says.
    return value.astimezone(SEOUL).replace(tzinfo=None) if value else None


async def export_rows(course_code: str, locale: str = "ko") -> list[dict]:
    """The course's applications as export rows (values translated); LookupError if unknown."""
    tr = translator(locale)
    loc = babel_locale(tr.locale)
    async with session_scope() as session:
        course_id = await session.scalar(select(Course.id).where(Course.code == course_code))
        if course_id is None:
            raise LookupError(f"no course with code {course_code!r}")
        items = await ranked(session, course_id)
    rows = []
    for rank, (app, person, _strategic) in enumerate(items, start=1):
        answers = app.answers or {}
        country, lang = answers.get("country") or "", answers.get("language") or ""
        status, seniority = app.status, answers.get("seniority") or ""
        rows.append(
            {
                "rank": rank,
                "status": tr.gettext(STATUS_LABELS[status]) if status in STATUS_LABELS else status,
                "submitted_at": _seoul(app.submitted_at),
                "full_name": display_name(app, person),
                "country": loc.territories.get(country.upper(), country),
                "city": answers.get("city") or "",
                "organisation": answers.get("organisation") or "",
                "position": answers.get("position") or "",
                "seniority": tr.gettext(SENIORITY_LABELS[seniority])
                if seniority in SENIORITY_LABELS
                else seniority,
                "email": answers.get("email") or "",
                "phone": answers.get("phone") or "",
                "language": loc.languages.get(lang, lang),
                "motivation": answers.get("motivation") or "",
                "decision_note": app.decision_note or "",
                "decided_at": _seoul(app.decided_at),
            }
        )
    return rows


def _xlsx(headers: list[str], rows: list[dict], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([row[key] for key, _label, _width in COLUMNS])
    for index, (key, _label, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if key.endswith("_at"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd hh:mm"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _csv(headers: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else v
                for v in (row[key] for key, _label, _width in COLUMNS)
            ]
        )
    # The BOM makes Excel read UTF-8, so Korean, Chinese and Cyrillic names survive.
    return buf.getvalue().encode("utf-8-sig")


async def export_applications(course_code: str, fmt: str, locale: str = "ko") -> tuple[str, bytes]:
    """A course's applications as (file name, bytes) in XLSX or CSV, headers in `locale`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    rows = await export_rows(course_code, locale)
    tr = translator(locale)
    headers = [tr.gettext(label) for _key, label, _width in COLUMNS]
    name = f"applications-{course_code}.{fmt}"
    if fmt == "xlsx":
        return name, _xlsx(headers, rows, course_code)
    return name, _csv(headers, rows)


async def export_for(
    actor: UserCtx, course_code: str, fmt: str, locale: str = "ko"
) -> tuple[str, bytes]:
    """export_applications for a staff member in the bot (PermissionDenied for others)."""
    require_staff(actor)
    return await export_applications(course_code, fmt, locale)


async def run_cli(course_code: str, fmt: str, out: str, locale: str = "ko") -> int:
    """`python -m bot export applications`: write the file; exit status 0, or 1 if unknown."""
    import asyncio
    import sys
    from pathlib import Path

    try:
        _name, data = await export_applications(course_code, fmt, locale)
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    await asyncio.to_thread(Path(out).write_bytes, data)
    print(f"Wrote {out} ({len(data)} bytes).")
    return 0
