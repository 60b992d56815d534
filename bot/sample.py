"""The bundled sample: programme (2018 plan, 2017 results), a course week, lexicon and FAQ."""

from __future__ import annotations

from bot.config import DEFAULT_TIMEZONE
from bot.features.qa.knowledge import import_knowledge, load_bundled
from bot.features.schedule.importer import import_programme, load_sample
from bot.features.schedule.week import import_week, load_week_file


async def import_sample(tz: str = DEFAULT_TIMEZONE) -> dict[str, int]:
    """Load everything bundled; returns what was created or changed (empty: nothing)."""
    report = await import_programme(load_sample())
    changed = {f"{k} created": v for k, v in report.created.items()}
    changed |= {f"{k} updated": v for k, v in report.updated.items()}
    if sessions := await import_week(load_week_file(), tz):
        changed["course sessions written"] = sessions
    lexicon, faq = load_bundled()
    changed |= {f"{k} added": v for k, v in (await import_knowledge(lexicon, faq)).items() if v}
    return changed
