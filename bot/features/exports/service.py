"""Staff exports: the workbook (six sheets), one sheet, a course's applications — audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import DEFAULT_TIMEZONE
from bot.core import audit
from bot.core.authz import require_staff
from bot.core.people import UserCtx
from bot.core.sheets import FORMATS, write_csv, write_xlsx
from bot.db import session_scope
from bot.features.applications.api import applications_sheet, list_courses_with_applications
from bot.features.exports.sheets import SHEETS, Reader, build_sheet
from bot.features.schedule.models import Course
from bot.i18n import babel_locale, translator

SHEET_NAMES = tuple(SHEETS)


@dataclass(frozen=True)
class ExportRequest:
    """What to export: every sheet (sheet=None) or one, a format, filters, the reader."""

    sheet: str | None = None
    fmt: str = "xlsx"
    year: int | None = None
    course: str | None = None
    locale: str = "ko"
    zone: str = DEFAULT_TIMEZONE

    def check(self) -> None:
        """ValueError for an unknown sheet or format, or CSV of the whole workbook."""
        if self.sheet is not None and self.sheet not in SHEETS:
            raise ValueError(f"unknown sheet {self.sheet!r}")
        if self.fmt not in FORMATS:
            raise ValueError(f"unknown export format {self.fmt!r}")
        if self.fmt == "csv" and self.sheet is None:
            raise ValueError("CSV holds one sheet: choose a sheet or XLSX")

    def file_name(self) -> str:
        """e.g. workbook-2018.xlsx, postcards-2018-08.csv."""
        parts = [self.sheet or "workbook"]
        if self.course:
            parts.append(self.course)
        elif self.year:
            parts.append(str(self.year))
        return f"{'-'.join(parts)}.{self.fmt}"


@dataclass(frozen=True)
class ExportFile:
    """A finished export: file name, bytes and how many rows each sheet holds."""

    name: str
    data: bytes
    fmt: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Rows in every sheet together."""
        return sum(self.counts.values())


async def _export(actor_id: int | None, request: ExportRequest, via: str) -> ExportFile:
    request.check()
    tr = translator(request.locale)
    reader = Reader(tr, babel_locale(tr.locale), ZoneInfo(request.zone))
    names = [request.sheet] if request.sheet else list(SHEETS)
    async with session_scope() as session:
        query = select(Course).order_by(
            Course.year, Course.starts.is_(None), Course.starts, Course.code
        )
        if request.year is not None:
            query = query.where(Course.year == request.year)
        if request.course:
            query = query.where(Course.code == request.course)
        courses = list(await session.scalars(query))
        if request.course and not courses:
            raise LookupError(f"no course with code {request.course!r}")
        sheets = [await build_sheet(session, name, courses, reader) for name in names]
        counts = {sheet.name: len(sheet.rows) for sheet in sheets}
        audit.record(
            session,
            actor_id,
            "export.sheet" if request.sheet else "export.workbook",
            "course" if request.course else None,
            request.course,
            sheets=names,
            fmt=request.fmt,
            year=request.year,
            rows=counts,
            via=via,
        )
    data = write_xlsx(sheets, tr) if request.fmt == "xlsx" else write_csv(sheets[0], tr)
    return ExportFile(request.file_name(), data, request.fmt, counts)


async def export_workbook(actor: UserCtx | None, request: ExportRequest) -> ExportFile:
    """The workbook or one sheet for a staff member (PermissionDenied for anyone else)."""
    actor = require_staff(actor)
    return await _export(actor.person_id, request, "bot")


async def export_workbook_cli(request: ExportRequest) -> ExportFile:
    """The same for the command line, whose operator already holds the database."""
    return await _export(None, request, "cli")


async def _applications(actor_id: int | None, code: str, fmt: str, locale: str, via: str):
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    sheet = await applications_sheet(code, locale)
    tr = translator(locale)
    data = write_xlsx([sheet], tr) if fmt == "xlsx" else write_csv(sheet, tr)
    counts = {"applications": len(sheet.rows)}
    async with session_scope() as session:
        audit.record(
            session, actor_id, "export.applications", "course", code, fmt=fmt, rows=counts, via=via
        )
    return ExportFile(f"applications-{code}.{fmt}", data, fmt, counts)


async def course_applications(
    actor: UserCtx | None, course_code: str, fmt: str, locale: str = "ko"
) -> ExportFile:
    """A course's applications in priority order (staff; LookupError for an unknown course)."""
    actor = require_staff(actor)
    return await _applications(actor.person_id, course_code, fmt, locale, "bot")


async def course_applications_cli(course_code: str, fmt: str, locale: str = "ko") -> ExportFile:
    """The same for the command line."""
    return await _applications(None, course_code, fmt, locale, "cli")


async def courses_with_applications(actor: UserCtx | None) -> list[tuple[str, dict, int]]:
    """(code, titles, applications) of every course someone applied to, for the bot's menu."""
    return [
        (c.code, dict(c.title or {}), c.total)
        for c in await list_courses_with_applications(require_staff(actor))
    ]
