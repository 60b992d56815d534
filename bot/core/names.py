"""How staff screens, sheets and the audit log name a person."""

from __future__ import annotations

from bot.core.models import Person


def display_name(person: Person) -> str:
    """The name staff see: passport name if known, else the Telegram name, else the id."""
    name = person.full_name or " ".join(p for p in (person.first_name, person.last_name) if p)
    return name.strip() or str(person.telegram_id)
