"""Importing a spreadsheet (every row checked, then one transaction); editing one course field."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import DEFAULT_TIMEZONE
from bot.core import audit
from bot.core.authz import require_staff
from bot.core.models import City, Organisation
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.importer.apply import KindCounts, apply_course, apply_plan
from bot.features.importer.cells import as_text
from bot.features.importer.columns import header_index, norm
from bot.features.importer.reader import FileRefused, read_file
from bot.features.importer.validation import Lookup, RowError, validate, validate_edit
from bot.features.schedule.models import Course
from bot.i18n import N_

NOT_EDITABLE = N_("unknown or not editable field; use a column of the courses sheet")


@dataclass
class ImportOutcome:
    """What an import did: refused, rejected with row errors, or applied with counts."""

    filename: str
    dry_run: bool = False
    refused: tuple[str, dict] | None = None  # (msgid, params)
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, KindCounts] = field(default_factory=dict)
    new_cities: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file was (or, on a dry run, would be) applied."""
        return self.refused is None and not self.errors

    @property
    def changed(self) -> bool:
        """True when the import wrote anything."""
        return self.ok and any(c.changed for c in self.counts.values())


@dataclass
class EditOutcome:
    """One course field changed by staff: its old and new value, or why not."""

    code: str
    field: str
    old: str = ""
    new: str = ""
    errors: list[RowError] = field(default_factory=list)


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _require_staff(actor: UserCtx | None) -> None:
    # None is the command line, run by whoever operates the server.
    if actor is not None:
        require_staff(actor)


async def load_lookup(session: AsyncSession, tz: str) -> Lookup:
    """Partner codes, existing course dates and city names, for validation."""
    partners = set(await session.scalars(select(Organisation.code)))
    dates = {
        code: (starts, ends)
        for code, starts, ends in await session.execute(
            select(Course.code, Course.starts, Course.ends)
        )
    }
    cities: dict[str, str] = {}
    for city in await session.scalars(select(City)):
        for name in [city.key, city.name, city.name_ko, *city.names.values(), *city.aliases]:
            if name:
                cities.setdefault(norm(name), city.key)
    return Lookup(partners, dates, cities, ZoneInfo(tz))


async def import_file(
    actor: UserCtx | None,
    filename: str,
    data: bytes,
    *,
    tz: str = DEFAULT_TIMEZONE,
    dry_run: bool = False,
) -> ImportOutcome:
    """Validate every row; apply all of them in one transaction only if none is wrong."""
    _require_staff(actor)
    outcome = ImportOutcome(filename, dry_run)
    try:
        # openpyxl parses synchronously: keep the bot answering others meanwhile.
        sheets = await asyncio.to_thread(read_file, filename, data)
    except FileRefused as exc:
        outcome.refused = (exc.reason, exc.params)
        return outcome
    try:
        async with session_scope() as session:
            lookup = await load_lookup(session, tz)
            plan = validate(sheets, lookup)
            if plan.errors:
                outcome.errors = plan.errors
                return outcome
            outcome.counts, outcome.new_cities = await apply_plan(session, plan, lookup)
            if dry_run:
                raise _DryRun
            audit.record(
                session,
                actor.person_id if actor else None,
                "import.spreadsheet",
                "file",
                filename[:64],
                counts={k: vars(v) for k, v in outcome.counts.items()},
                new_cities=outcome.new_cities or None,
            )
    except _DryRun:
        pass
    return outcome


def _shown(course: Course, key: str, partners: dict[int, str]) -> str:
    """A course field as text, for the before/after reply."""
    if key == "partner":
        return partners.get(course.partner_id, "") if course.partner_id else ""
    if "_" in key and key.rsplit("_", 1)[0] in ("title", "venue", "note"):
        name, lang = key.rsplit("_", 1)
        return (getattr(course, name) or {}).get(lang, "")
    value = getattr(course, key)
    if key == "audience" and value:
        scope = value.get("scope", "all")
        items = value.get("countries") or value.get("cities") or []
        org = value.get("organisation")
        return scope + (f":{org}" if org else "") + (":" + ",".join(items) if items else "")
    return "" if value is None else as_text(value)


async def edit_course(
    actor: UserCtx | None, code: str, field_name: str, value: str, tz: str = DEFAULT_TIMEZONE
) -> EditOutcome:
    """Change one field of one course, checked like an import row; audit-logged."""
    _require_staff(actor)
    key = header_index("courses").get(norm(field_name))
    outcome = EditOutcome(code, key or field_name)
    if key in (None, "code"):
        outcome.errors = [RowError("/editcourse", 0, field_name, field_name, NOT_EDITABLE)]
        return outcome
    async with session_scope() as session:
        lookup = await load_lookup(session, tz)
        plan = validate_edit(code, key, field_name, value, lookup)
        if plan.errors:
            outcome.errors = plan.errors
            return outcome
        partners = {
            i: c for c, i in await session.execute(select(Organisation.code, Organisation.id))
        }
        course = await session.scalar(select(Course).where(Course.code == code))
        outcome.old = _shown(course, key, partners)
        orgs = {c: i for i, c in partners.items()}
        await apply_course(session, plan.courses[0], orgs, course)
        await session.flush()
        outcome.new = _shown(course, key, partners)
        if outcome.old != outcome.new:
            audit.record(
                session,
                actor.person_id if actor else None,
                "course.edit",
                "course",
                code,
                field=key,
                old=outcome.old,
                new=outcome.new,
            )
    return outcome
