"""`python -m bot export …`: the staff workbook, one of its sheets, or a course's applications."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.config import Settings
from bot.features.exports.service import (
    ExportFile,
    ExportRequest,
    course_applications_cli,
    export_workbook_cli,
)


def _format(fmt: str | None, out: str) -> str:
    # --format wins; otherwise the file name says it (log.csv), else XLSX.
    if fmt:
        return fmt
    return "csv" if out.lower().endswith(".csv") else "xlsx"


async def _write(done: ExportFile, out: str) -> int:
    await asyncio.to_thread(Path(out).write_bytes, done.data)
    counts = ", ".join(f"{name} {count}" for name, count in done.counts.items())
    print(f"Wrote {out} ({len(done.data)} bytes; rows: {counts}).")
    return 0


async def applications_cli(course_code: str, fmt: str, out: str, locale: str = "ko") -> int:
    """Write a course's applications; exit 1 for an unknown course."""
    try:
        done = await course_applications_cli(course_code, fmt, locale)
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return await _write(done, out)


async def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """The workbook (`workbook`) or one sheet; exit 1 for an unknown course, 2 for bad options."""
    request = ExportRequest(
        sheet=None if args.what == "workbook" else args.what,
        fmt=_format(args.format, args.out),
        year=args.year,
        course=args.course,
        locale=args.lang,
        zone=settings.timezone,
    )
    try:
        request.check()
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        done = await export_workbook_cli(request)
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return await _write(done, args.out)
