"""People service: who is talking, in which language, with which roles."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, bindparam, select

from bot.clock import utcnow
from bot.core.models import Person, PersonRole
from bot.core.refdata import seen, version_column
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
    # The text router's predicates, in registration order, when this update is private text.
    waiting: tuple[bool, ...] | None = None


# last_seen_at serves retention (years), so minutes of precision are plenty.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)
# A predicate over the person's id column: "this person has something waiting for text".
Waiting = Callable[[Any], ColumnElement[bool]]


async def touch_person(
    telegram_id: int,
    *,
    first_name: str | None,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
    default_locale: str = "en",
    admin_ids: frozenset[int] = frozenset(),
    waiting: Sequence[Waiting] = (),
) -> UserCtx:
    """Find or create the person behind a Telegram user and refresh what Telegram tells us.

    One statement reads the person, their roles, the reference data counter and the
    `waiting` predicates; a second writes only when something changed (a new person, a new
    name, last seen more than LAST_SEEN_RESOLUTION ago).
    """
    async with session_scope() as session:
        query = _context_query(tuple(waiting))
        rows = (await session.execute(query, {"telegram_id": telegram_id})).all()
        if rows:
            person, version = rows[0][0], rows[0][2]
            roles = {row[1] for row in rows if row[1] is not None}
            flags = tuple(any(bool(row[3 + i]) for row in rows) for i in range(len(waiting)))
        else:
            guessed = map_language_code(language_code, default_locale)
            if telegram_id in admin_ids and language_code is None:
                guessed = "ko"
            person = Person(telegram_id=telegram_id, locale=guessed)
            session.add(person)
            # A new person has nothing waiting; the first cached read checks the counter.
            version, roles, flags = None, set(), (False,) * len(waiting)
        _refresh(person, first_name, last_name, username, language_code)
        await session.flush()
        if telegram_id in admin_ids:
            roles.add("staff")
        seen((version or 0) if rows else None)
        return UserCtx(
            person_id=person.id,
            telegram_id=telegram_id,
            first_name=first_name or "",
            locale=person.locale,
            locale_confirmed=person.locale_confirmed,
            timezone=person.timezone,
            roles=frozenset(roles),
            waiting=flags if waiting else None,
        )


@functools.lru_cache(maxsize=64)
def _context_query(waiting: tuple[Waiting, ...]):
    """The per-update statement, built once per set of predicates (building it cost more
    than running it)."""
    columns = (Person, PersonRole.role, version_column(), *(w(Person.id) for w in waiting))
    return (
        select(*columns)
        .outerjoin(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.telegram_id == bindparam("telegram_id", type_=BigInteger))
    )


def _refresh(person: Person, first_name, last_name, username, language_code) -> None:
    """Write only what changed: most updates change nothing, and a write (a commit, on
    SQLite an fsync) per update was the largest single cost of handling one."""
    fresh = {
        "first_name": first_name,
        "last_name": last_name,
        "username": username,
        "telegram_language": language_code,
    }
    for field, value in fresh.items():
        if getattr(person, field) != value:
            setattr(person, field, value)
    now = utcnow()
    seen_at = person.last_seen_at
    if seen_at is None or now - seen_at >= LAST_SEEN_RESOLUTION:
        person.last_seen_at = now
    if person.blocked_at is not None:
        # A person who writes to us again has evidently unblocked the bot.
        person.blocked_at = None


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
