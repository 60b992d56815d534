"""The application form's city: looked up in GeoNames, chosen among candidates, filed."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import City
from bot.features.applications.validators import city_spellings, match_city
from bot.features.places import Index, Resolution, place_values, resolve
from bot.features.places import key as name_key
from bot.features.schedule.api import load_catalogue


async def look_up(text: str, places: Index, country: str | None) -> Resolution:
    """What GeoNames makes of a typed city, preferring the country given before."""
    # One indexed query; the very first builds the index (seconds), so off the event loop.
    return await asyncio.to_thread(resolve, text.strip(), places, country)


async def chosen_city(value: str, places: Index | None) -> dict | None:
    """The answers for one of the candidate cities offered as buttons (a GeoNames id)."""
    if places is None or not value.isdigit():
        return None
    city = await asyncio.to_thread(places.get, int(value))
    if city is None:
        return None
    spellings = city_spellings((await load_catalogue()).cities.values())
    key = match_city(city.name, city.country, spellings)
    return {"city": city.name, "city_key": key, **place_values(city)}


async def city_row(session: AsyncSession, answers: dict) -> int:
    """The city row of a GeoNames city, created on first use: a new city is a city. A small
    town that only takes its zone from a large city near it is a city of its own."""
    near = bool(answers.get("city_near"))
    key = f"gn:{answers['geonameid']}"
    if near:
        key = f"near:{answers['geonameid']}:{name_key(answers['city'])}"[:64]
    found = await session.scalar(select(City.id).where(City.key == key))
    if found is not None:
        return found
    city = City(
        key=key,
        name=answers["city"] if near else answers["city_name"],
        country=answers["city_country"],
        timezone=answers["city_zone"],
        names={},
        aliases=[answers["city"]] if not near and answers["city"] != answers["city_name"] else [],
    )
    session.add(city)
    await session.flush()
    return city.id
