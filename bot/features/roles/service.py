"""Roles service: grant and revoke staff and liaison roles, list them, liaison scopes.

Every privileged function takes the acting `UserCtx` and raises PermissionDenied unless the
actor is programme staff; each change is audited in the transaction that makes it. Invite
links live in `invites.py` and are re-exported here, so callers import one module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, or_, select

from bot.core import audit
from bot.core.authz import is_staff, require_staff
from bot.core.models import Organisation, Person, PersonRole
from bot.core.names import display_name
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.roles.invites import create_invite, redeem
from bot.features.roles.rows import (
    ROLES,
    GrantResult,
    InviteView,
    RedeemResult,
    RoleError,
    RoleView,
    Scope,
    add_rows,
    check_role,
    lock_person,
    pairs,
    resolve,
)
from bot.features.schedule.models import Course

__all__ = [
    "ROLES",
    "GrantResult",
    "InviteView",
    "RedeemResult",
    "RoleError",
    "RoleView",
    "Scope",
    "allowed_course_ids",
    "create_invite",
    "grant",
    "liaison_scope",
    "list_roles",
    "redeem",
    "revoke",
    "split_codes",
]


async def split_codes(codes: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
    """Sort command words into (organisation code, course codes); unknown codes raise.

    Organisation codes are letters and course codes look like 2018-04, but asking the
    database keeps that convention out of the parser.
    """
    wanted = [c.strip().upper() for c in codes if c.strip()]
    async with session_scope() as session:
        orgs = set(
            await session.scalars(select(Organisation.code).where(Organisation.code.in_(wanted)))
        )
        courses = set(await session.scalars(select(Course.code).where(Course.code.in_(wanted))))
    for code in wanted:
        if code not in orgs and code not in courses:
            raise RoleError("unknown_code", code=code)
    found_orgs = [c for c in wanted if c in orgs]
    if len(found_orgs) > 1:
        raise RoleError("two_orgs")
    return (found_orgs[0] if found_orgs else None), tuple(c for c in wanted if c in courses)


async def grant(
    actor: UserCtx,
    telegram_id: int,
    role: str,
    *,
    org_code: str | None = None,
    course_codes: Sequence[str] = (),
) -> GrantResult:
    """Give a person who has talked to the bot a role; granting what they hold changes nothing."""
    require_staff(actor)
    check_role(role, org_code, course_codes)
    async with session_scope() as session:
        person = await lock_person(session, telegram_id)
        org, courses = await resolve(session, org_code, course_codes)
        added = await add_rows(
            session, person.id, role, pairs(role, org, courses), actor.person_id
        )
        codes = tuple(c.code for c in courses)
        if added:
            audit.record(
                session,
                actor.person_id,
                "role.grant",
                "person",
                person.id,
                role=role,
                org=org.code if org else None,
                courses=list(codes) or None,
                added=added,
            )
        return GrantResult(
            telegram_id, display_name(person), role, added, org.code if org else None, codes
        )


async def revoke(
    actor: UserCtx,
    telegram_id: int,
    role: str,
    *,
    org_code: str | None = None,
    course_code: str | None = None,
    admin_ids: Iterable[int] = (),
) -> GrantResult:
    """Take a role away: one scope element, or the whole role when no scope is given.

    Staff listed in ADMIN_IDS come from the configuration and cannot be revoked here.
    """
    require_staff(actor)
    if role not in ROLES:
        raise RoleError("bad_role", role=role)
    if role == "staff" and telegram_id in set(admin_ids):
        raise RoleError("config_staff", telegram_id=telegram_id)
    async with session_scope() as session:
        person = await lock_person(session, telegram_id)
        org, courses = await resolve(session, org_code, [course_code] if course_code else [])
        query = delete(PersonRole).where(
            PersonRole.person_id == person.id, PersonRole.role == role
        )
        if org is not None:
            query = query.where(PersonRole.organisation_id == org.id)
        if courses:
            query = query.where(PersonRole.course_id == courses[0].id)
        removed = (await session.execute(query)).rowcount or 0
        if removed:
            audit.record(
                session,
                actor.person_id,
                "role.revoke",
                "person",
                person.id,
                role=role,
                org=org_code,
                course=course_code,
                removed=removed,
            )
        return GrantResult(
            telegram_id,
            display_name(person),
            role,
            removed,
            org.code if org else None,
            tuple(c.code for c in courses),
        )


async def list_roles(actor: UserCtx, *, admin_ids: Iterable[int] = ()) -> list[RoleView]:
    """Everyone holding a role, with its scope; ADMIN_IDS staff first, marked as configured."""
    require_staff(actor)
    config = sorted(set(admin_ids))
    async with session_scope() as session:
        people = {
            p.telegram_id: p
            for p in await session.scalars(select(Person).where(Person.telegram_id.in_(config)))
        }
        rows = await session.execute(
            select(PersonRole, Person, Organisation.code, Course.code)
            .join(Person, Person.id == PersonRole.person_id)
            .outerjoin(Organisation, Organisation.id == PersonRole.organisation_id)
            .outerjoin(Course, Course.id == PersonRole.course_id)
            .where(PersonRole.role.in_(ROLES))
        )
        views = [
            RoleView(p.telegram_id, display_name(p), r.role, org, course)
            for r, p, org, course in rows
        ]
    views.sort(
        key=lambda v: (v.role != "staff", v.name.casefold(), v.org_code or "", v.course_code or "")
    )
    configured = [
        RoleView(
            tid,
            display_name(people[tid]) if tid in people else str(tid),
            "staff",
            from_config=True,
        )
        for tid in config
    ]
    return configured + views


async def liaison_scope(person_id: int) -> Scope:
    """The organisations and courses a person is liaison officer for (empty when none)."""
    async with session_scope() as session:
        rows = (
            await session.execute(
                select(PersonRole.organisation_id, PersonRole.course_id).where(
                    PersonRole.person_id == person_id, PersonRole.role == "liaison"
                )
            )
        ).all()
    return Scope(
        frozenset(o for o, _c in rows if o is not None),
        frozenset(c for _o, c in rows if c is not None),
    )


async def allowed_course_ids(actor: UserCtx) -> frozenset[int] | None:
    """Courses the actor may address: None (all) for staff; a liaison's partner organisations'
    courses plus their listed courses; nothing for anyone else."""
    if is_staff(actor):
        return None
    scope = await liaison_scope(actor.person_id)
    if not scope.org_ids:
        return scope.course_ids
    async with session_scope() as session:
        ids = await session.scalars(
            select(Course.id).where(
                or_(Course.partner_id.in_(scope.org_ids), Course.id.in_(scope.course_ids))
            )
        )
        return frozenset(ids)


async def menu_roles(telegram_id: int, admin_ids: Iterable[int] = ()) -> tuple[frozenset, str]:
    """A person's roles (ADMIN_IDS count as staff) and locale, to republish their menu."""
    async with session_scope() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None:
            return frozenset(), "en"
        rows = await session.scalars(
            select(PersonRole.role).where(PersonRole.person_id == person.id)
        )
        roles = set(rows)
        if telegram_id in set(admin_ids):
            roles.add("staff")
        return frozenset(roles), person.locale
