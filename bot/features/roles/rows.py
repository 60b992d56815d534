"""What the roles service hands out and the row-level helpers its functions share.

Liaison scope is stored as one PersonRole row per element: (organisation, no course) for a
partner organisation (all its courses) and (no organisation, course) for one listed course.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import utcnow
from bot.core.models import Organisation, Person, PersonRole
from bot.features.schedule.models import Course

ROLES = ("staff", "liaison")


class RoleError(Exception):
    """A request the service cannot carry out; `code` picks the message shown to staff."""

    def __init__(self, error: str, /, **params: object) -> None:
        super().__init__(error)
        self.code = error
        self.params = params


@dataclass(frozen=True)
class Scope:
    """What a liaison officer may act on: partner organisations and single courses."""

    org_ids: frozenset[int]
    course_ids: frozenset[int]


@dataclass(frozen=True)
class RoleView:
    """One role of one person as staff see it in /roles."""

    telegram_id: int
    name: str
    role: str
    org_code: str | None = None
    course_code: str | None = None
    from_config: bool = False  # staff through ADMIN_IDS: cannot be revoked in the bot


@dataclass(frozen=True)
class GrantResult:
    """The outcome of a grant or revoke: who, which role, how many scope rows changed."""

    telegram_id: int
    name: str
    role: str
    changed: int
    org_code: str | None = None
    course_codes: tuple[str, ...] = ()
    still_config_staff: bool = False


@dataclass(frozen=True)
class InviteView:
    """A created invitation: the secret token and when it stops working."""

    token: str
    role: str
    org_code: str | None
    course_codes: tuple[str, ...]
    expires_at: datetime


@dataclass(frozen=True)
class RedeemResult:
    """The outcome of opening an invite link; reason is unknown | used | expired on failure."""

    ok: bool
    reason: str | None = None
    role: str | None = None
    org_code: str | None = None
    org_name: dict | None = None
    course_codes: tuple[str, ...] = ()


async def lock_person(session: AsyncSession, telegram_id: int) -> Person:
    """The target person, row-locked so concurrent grants to them run one after the other.

    A no-op UPDATE first (not SELECT … FOR UPDATE) because SQLite ignores FOR UPDATE and
    would otherwise let two transactions both insert the same NULL-scoped row.
    """
    found = await session.execute(
        update(Person)
        .where(Person.telegram_id == telegram_id)
        .values(telegram_id=Person.telegram_id)
        .execution_options(synchronize_session=False)
    )
    person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
    if not found.rowcount or person is None:
        raise RoleError("unknown_person", telegram_id=telegram_id)
    return person


async def resolve(
    session: AsyncSession, org_code: str | None, course_codes: Iterable[str]
) -> tuple[Organisation | None, list[Course]]:
    org = None
    if org_code:
        org = await session.scalar(
            select(Organisation).where(Organisation.code == org_code.upper())
        )
        if org is None:
            raise RoleError("unknown_code", code=org_code)
    courses = []
    for code in dict.fromkeys(c.upper() for c in course_codes):
        course = await session.scalar(select(Course).where(Course.code == code))
        if course is None:
            raise RoleError("unknown_code", code=code)
        courses.append(course)
    return org, courses


def pairs(role: str, org: Organisation | None, courses: list[Course]) -> list[tuple]:
    """The (organisation_id, course_id) rows a role with this scope is stored as."""
    if role == "staff":
        return [(None, None)]
    return ([(org.id, None)] if org else []) + [(None, c.id) for c in courses]


def check_role(role: str, org_code: str | None, course_codes: Sequence[str]) -> None:
    if role not in ROLES:
        raise RoleError("bad_role", role=role)
    if role == "liaison" and not org_code and not course_codes:
        raise RoleError("no_scope")
    if role == "staff" and (org_code or course_codes):
        raise RoleError("staff_scope")


async def add_rows(
    session: AsyncSession, person_id: int, role: str, pairs: list[tuple], granted_by: int | None
) -> int:
    """Insert the role rows the person does not hold yet; returns how many were new."""
    added = 0
    for org_id, course_id in pairs:
        exists = await session.scalar(
            select(PersonRole.id).where(
                PersonRole.person_id == person_id,
                PersonRole.role == role,
                PersonRole.organisation_id.is_(None)
                if org_id is None
                else PersonRole.organisation_id == org_id,
                PersonRole.course_id.is_(None)
                if course_id is None
                else PersonRole.course_id == course_id,
            )
        )
        if exists is None:
            session.add(
                PersonRole(
                    person_id=person_id,
                    role=role,
                    organisation_id=org_id,
                    course_id=course_id,
                    granted_by=granted_by,
                    granted_at=utcnow(),
                )
            )
            added += 1
    await session.flush()
    return added
