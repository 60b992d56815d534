"""A course's applications as sheet rows for staff exports, in priority order."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel import Locale
from sqlalchemy import select

from bot.clock import programme_zone
from bot.core.models import Person
from bot.core.sheets import Column, Sheet, wall_clock
from bot.db import session_scope
from bot.features.applications.labels import SENIORITY_LABELS, STATUS_LABELS
from bot.features.applications.models import Application
from bot.features.applications.review_common import latin_name, ranked, written_name
from bot.features.schedule.models import Course
from bot.i18n import N_, Translator, babel_locale, translator

COLUMNS = (
    Column("rank", N_("Priority"), 8, "int"),
    Column("status", N_("Status"), 14),
    Column("submitted_at", N_("Submitted (Seoul time)"), 18, "datetime"),
    Column("full_name", N_("Full name"), 28),
    Column("name_latin", N_("Name in Latin letters (passport)"), 28),
    Column("country", N_("Country"), 16),
    Column("city", N_("City"), 16),
    Column("organisation", N_("Organisation"), 30),
    Column("position", N_("Position"), 24),
    Column("seniority", N_("Seniority"), 14),
    Column("email", N_("E-mail"), 28),
    Column("phone", N_("Phone"), 16),
    Column("language", N_("Preferred language"), 12),
    Column("motivation", N_("Motivation"), 60),
    Column("decision_note", N_("Decision note"), 30),
    Column("decided_at", N_("Decided (Seoul time)"), 18, "datetime"),
)


def _label(tr: Translator, labels: dict[str, str], value: str) -> str:
    return tr.gettext(labels[value]) if value in labels else value


def application_row(
    rank: int,
    app: Application,
    person: Person,
    tr: Translator,
    loc: Locale,
    zone: ZoneInfo | None = None,
) -> dict:
    """One application as an export row: values translated, times as wall clock in `zone`."""
    zone = zone or programme_zone()
    answers = app.answers or {}
    country, lang = answers.get("country") or "", answers.get("language") or ""
    return {
        "rank": rank,
        "status": _label(tr, STATUS_LABELS, app.status),
        "submitted_at": wall_clock(app.submitted_at, zone),
        "full_name": written_name(app, person),
        # Invitation letters need the passport spelling: the name itself when it is Latin.
        "name_latin": latin_name(app) or written_name(app, person),
        "country": loc.territories.get(country.upper(), country),
        "city": answers.get("city") or "",
        "organisation": answers.get("organisation") or "",
        "position": answers.get("position") or "",
        "seniority": _label(tr, SENIORITY_LABELS, answers.get("seniority") or ""),
        "email": answers.get("email") or "",
        "phone": answers.get("phone") or "",
        "language": loc.languages.get(lang, lang),
        "motivation": answers.get("motivation") or "",
        "decision_note": app.decision_note or "",
        "decided_at": wall_clock(app.decided_at, zone),
    }


async def export_rows(course_code: str, locale: str = "ko") -> list[dict]:
    """The course's applications as export rows (values translated); LookupError if unknown."""
    tr = translator(locale)
    loc = babel_locale(tr.locale)
    async with session_scope() as session:
        course_id = await session.scalar(select(Course.id).where(Course.code == course_code))
        if course_id is None:
            raise LookupError(f"no course with code {course_code!r}")
        items = await ranked(session, course_id)
    return [
        application_row(rank, app, person, tr, loc)
        for rank, (app, person, _strategic) in enumerate(items, start=1)
    ]


async def applications_sheet(course_code: str, locale: str = "ko") -> Sheet:
    """The course's applications as one sheet titled with the course code; LookupError."""
    return Sheet("applications", course_code, COLUMNS, await export_rows(course_code, locale))
