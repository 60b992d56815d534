"""One-time invite links: staff create them, the first person to open one gets the role."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select, update

from bot.clock import utcnow
from bot.core import audit
from bot.core.authz import require_staff
from bot.core.models import Organisation
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.roles.models import RoleInvite
from bot.features.roles.rows import (
    InviteView,
    RedeemResult,
    RoleError,
    add_rows,
    check_role,
    pairs,
    resolve,
)
from bot.features.schedule.models import Course

TOKEN_BYTES = 32  # token_urlsafe(32) is 43 characters: `invite-<token>` stays ≤ 64 for /start
MAX_TOKEN = 48  # the column width; longer payloads cannot be ours
MAX_HOURS = 24 * 30


async def create_invite(
    actor: UserCtx,
    role: str,
    *,
    org_code: str | None = None,
    course_codes: Sequence[str] = (),
    hours: int = 72,
) -> InviteView:
    """A one-time link granting a liaison role to whoever opens it first, before it expires.

    Only liaison invites: a staff role travels by /grant to a known id, never by a link that
    could be forwarded.
    """
    require_staff(actor)
    check_role(role, org_code, course_codes)
    if role != "liaison":
        raise RoleError("bad_role", role=role)
    if not 1 <= hours <= MAX_HOURS:
        raise RoleError("bad_hours", hours=hours)
    async with session_scope() as session:
        org, courses = await resolve(session, org_code, course_codes)
        invite = RoleInvite(
            token=secrets.token_urlsafe(TOKEN_BYTES),
            role=role,
            organisation_id=org.id if org else None,
            course_ids=[c.id for c in courses],
            created_by=actor.person_id,
            created_at=utcnow(),
            expires_at=utcnow() + timedelta(hours=hours),
        )
        session.add(invite)
        await session.flush()
        codes = tuple(c.code for c in courses)
        # The token itself stays out of the log: it is a credential until used.
        audit.record(
            session,
            actor.person_id,
            "role.invite",
            "role_invite",
            invite.id,
            role=role,
            org=org.code if org else None,
            courses=list(codes) or None,
            expires_at=invite.expires_at.isoformat(),
        )
        return InviteView(invite.token, role, org.code if org else None, codes, invite.expires_at)


async def redeem(person_id: int, token: str) -> RedeemResult:
    """Use an invite: the first redeemer before expiry gets the role; everyone else is refused.

    The conditional UPDATE comes first and alone decides who wins, so two redeems at once
    grant once on both databases (PostgreSQL row lock, SQLite's single writer).
    """
    if not token or len(token) > MAX_TOKEN:
        return RedeemResult(False, "unknown")
    now = utcnow()
    async with session_scope() as session:
        won = await session.execute(
            update(RoleInvite)
            .where(
                RoleInvite.token == token,
                RoleInvite.used_by.is_(None),
                RoleInvite.expires_at > now,
            )
            .values(used_by=person_id, used_at=now)
            .execution_options(synchronize_session=False)
        )
        invite = await session.scalar(select(RoleInvite).where(RoleInvite.token == token))
        if invite is None:
            return RedeemResult(False, "unknown")
        if not won.rowcount:
            return RedeemResult(False, "used" if invite.used_by is not None else "expired")
        org = (
            await session.get(Organisation, invite.organisation_id)
            if invite.organisation_id
            else None
        )
        courses = list(
            await session.scalars(
                select(Course).where(Course.id.in_(invite.course_ids or [])).order_by(Course.code)
            )
        )
        await add_rows(
            session, person_id, invite.role, pairs(invite.role, org, courses), invite.created_by
        )
        codes = tuple(c.code for c in courses)
        audit.record(
            session,
            person_id,
            "role.redeem",
            "role_invite",
            invite.id,
            role=invite.role,
            org=org.code if org else None,
            courses=list(codes) or None,
            invited_by=invite.created_by,
        )
        return RedeemResult(
            True,
            None,
            invite.role,
            org.code if org else None,
            dict(org.name or {}) if org else None,
            codes,
        )
