"""Scrubbing the audit log of erased people: one pass over the log for any number of them."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import AuditEntry, Person

ERASED = "[erased]"
MIN_TOKEN = 3  # shorter name parts ("Li", "de") would blank unrelated words


def identifying_strings(person: Person, answers: list[dict]) -> set[str]:
    """Every string that identifies the person: names and their parts, contacts, ids."""
    found = {
        person.first_name,
        person.last_name,
        person.username,
        person.full_name,
        person.email,
        person.phone,
        str(person.telegram_id),
    }
    for a in answers:
        found.update(str(a.get(k) or "") for k in ("full_name", "email", "phone"))
    for name in (person.full_name, person.first_name, person.last_name):
        found.update((name or "").split())  # "Zuluaga" alone is caught too
    return {t for t in found if t and len(t) >= MIN_TOKEN}


class AuditScrubber:
    """Collects the people being erased, then rewrites the log once (the purge erases many)."""

    def __init__(self) -> None:
        self.tokens: set[str] = set()
        self.ids: dict[int, int] = {}  # Telegram id → synthetic id
        self.about: set[tuple[str, str]] = set()  # (target_type, target_id) of their rows

    def add(self, person: Person, app_ids: list[int], answers: list[dict], fake: int) -> None:
        """Remember one person (call before their fields are nulled)."""
        self.tokens |= identifying_strings(person, answers)
        self.ids[person.telegram_id] = fake
        self.about.add(("person", str(person.id)))
        self.about.update(("application", str(i)) for i in app_ids)

    def _value(self, value: object, pattern: re.Pattern | None) -> object:
        if isinstance(value, dict):
            return {k: self._value(v, pattern) for k, v in value.items()}
        if isinstance(value, list):
            return [self._value(v, pattern) for v in value]
        if isinstance(value, str):
            return ERASED if pattern is not None and pattern.search(value) else value
        if isinstance(value, int) and not isinstance(value, bool):
            return self.ids.get(value, value)
        return value

    async def run(self, session: AsyncSession) -> int:
        """Drop staff notes about these people and every identifying string; entries changed."""
        if not self.ids:
            return 0
        # One alternation, longest first, so one search per string covers everyone.
        ordered = sorted(self.tokens, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE) if ordered else None
        changed = 0
        for entry in await session.scalars(select(AuditEntry)):
            old = entry.details or {}
            details, note = dict(old), entry.note
            if (entry.target_type, entry.target_id) in self.about:
                details.pop("note", None)
                note = None
            details = self._value(details, pattern)
            if note is not None:
                note = self._value(note, pattern)
            if details != old or note != entry.note:
                entry.details, entry.note = details, note
                changed += 1
        return changed
