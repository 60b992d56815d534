"""Where the person asking comes from, for "which courses can I apply to?"."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.models import City, Person
from bot.db import session_scope
from bot.features.qa.eligibility import Asker


async def asker_profile(person_id: int) -> Asker:
    """The person's own city and country as their profile records them (empty when unknown)."""
    async with session_scope() as session:
        row = (
            await session.execute(
                select(Person.country, City.key, City.country)
                .outerjoin(City, City.id == Person.city_id)
                .where(Person.id == person_id)
            )
        ).first()
    if row is None:
        return Asker()
    country = row[0] or row[2]
    return Asker(
        cities=frozenset({row[1]} if row[1] else ()),
        countries=frozenset({country} if country else ()),
    )
