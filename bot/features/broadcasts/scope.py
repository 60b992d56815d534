"""Who may broadcast to which courses: staff everything, liaison officers their scope."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.audit import PermissionDenied
from bot.core.authz import LIAISON, STAFF, is_staff, require_role
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.roles.api import allowed_course_ids
from bot.features.schedule.models import Course


class StaffOnly(PermissionDenied):
    """A setting only staff may change (paid broadcasting costs the programme money)."""


class OutOfScope(PermissionDenied):
    """A liaison officer asked for a course outside their scope; `code` names it."""

    def __init__(self, code: str) -> None:
        super().__init__(f"course {code} is outside the sender's scope")
        self.code = code


async def scope(actor: UserCtx | None) -> frozenset[int] | None:
    """Course ids the actor may address (None: everything); PermissionDenied for others."""
    actor = require_role(actor, STAFF, LIAISON)
    if is_staff(actor):
        return None
    return await allowed_course_ids(actor)


async def check_courses(codes: tuple[str, ...], within: frozenset[int] | None) -> None:
    """Raise OutOfScope for the first course code the sender may not address."""
    async with session_scope() as session:
        rows = await session.execute(select(Course.code, Course.id).where(Course.code.in_(codes)))
        found = {code: id_ for code, id_ in rows}
    for code in codes:
        if code not in found or (within is not None and found[code] not in within):
            raise OutOfScope(code)
