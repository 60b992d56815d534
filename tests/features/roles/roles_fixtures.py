"""Helpers the roles tests share: people who have talked to the bot, actors, role rows."""

from __future__ import annotations

from sqlalchemy import func, select

from bot import db
from bot.core.models import AuditEntry, Person, PersonRole
from bot.core.people import UserCtx, touch_person
from tests.conftest import ADMIN_ID

LIAISON_ID = 7301  # the CITYNET officer-to-be
OTHER_ID = 7302


async def person(telegram_id: int, name: str = "Someone", lang: str | None = "en") -> UserCtx:
    """A person who has written to the bot (roles as the context loader would see them)."""
    return await touch_person(
        telegram_id, first_name=name, language_code=lang, admin_ids=frozenset({ADMIN_ID})
    )


async def admin() -> UserCtx:
    """Staff through ADMIN_IDS, with a real person row (for audit and granted_by)."""
    return await person(ADMIN_ID, "Kim", lang="ko")


async def role_rows(telegram_id: int) -> list[tuple[str, int | None, int | None]]:
    """(role, organisation_id, course_id) rows of a person, sorted."""
    async with db.session_scope() as s:
        rows = await s.execute(
            select(PersonRole.role, PersonRole.organisation_id, PersonRole.course_id)
            .join(Person, Person.id == PersonRole.person_id)
            .where(Person.telegram_id == telegram_id)
        )
        return sorted((tuple(r) for r in rows), key=repr)


async def audit_actions() -> list[str]:
    """The audit log's actions, oldest first."""
    async with db.session_scope() as s:
        return list(await s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


async def audit_count() -> int:
    """How many audit entries exist."""
    async with db.session_scope() as s:
        return int(await s.scalar(select(func.count()).select_from(AuditEntry)) or 0)
