"""People service: who is talking, in which language, with which roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from bot.clock import utcnow
from bot.core.models import Person, PersonRole
from bot.db import session_scope
from bot.i18n import ALL_LOCALES, map_language_code


@dataclass(frozen=True)
class UserCtx:
    """What every handler needs to know about the sender, loaded once per update."""

    person_id: int
    telegram_id: int
    first_name: str
    locale: str
    locale_confirmed: bool
    timezone: str | None
    roles: frozenset[str]  # what they may do is bot.core.authz's to say


async def _roles(session, person: Person, admin_ids: frozenset[int]) -> frozenset[str]:
    rows = await session.scalars(select(PersonRole.role).where(PersonRole.person_id == person.id))
    roles = set(rows)
    if person.telegram_id in admin_ids:
        roles.add("staff")
    return frozenset(roles)


# last_seen_at serves retention (years), so minutes of precision are plenty.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)


async def touch_person(
    telegram_id: int,
    *,
    first_name: str | None,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
    default_locale: str = "en",
    admin_ids: frozenset[int] = frozenset(),
) -> UserCtx:
    """Find or create the person behind a Telegram user and refresh what Telegram tells us."""
    async with session_scope() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None:
            guessed = map_language_code(language_code, default_locale)
            if telegram_id in admin_ids and language_code is None:
                guessed = "ko"
            person = Person(telegram_id=telegram_id, locale=guessed)
            session.add(person)
        now = utcnow()
        fresh = {
            "first_name": first_name,
            "last_name": last_name,
            "username": username,
            "telegram_language": language_code,
        }
        # Write only what changed: most updates change nothing, and a write (a commit, on
        # SQLite an fsync) per update was the largest single cost of handling one.
        for field, value in fresh.items():
            if getattr(person, field) != value:
                setattr(person, field, value)
        seen = person.last_seen_at
        if seen is None or now - seen >= LAST_SEEN_RESOLUTION:
            person.last_seen_at = now
        if person.blocked_at is not None:
            # A person who writes to us again has evidently unblocked the bot.
            person.blocked_at = None
        await session.flush()
        roles = await _roles(session, person, admin_ids)
        return UserCtx(
            person_id=person.id,
            telegram_id=telegram_id,
            first_name=first_name or "",
            locale=person.locale,
            locale_confirmed=person.locale_confirmed,
            timezone=person.timezone,
            roles=roles,
        )


async def set_person_locale(telegram_id: int, locale: str) -> bool:
    """Remember the language a person chose; False when the locale is not offered."""
    if locale not in ALL_LOCALES:
        return False
    async with session_scope() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None:
            return False
        person.locale = locale
        person.locale_confirmed = True
    return True
