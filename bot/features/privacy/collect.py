"""Everything stored about one person, as a JSON-ready document (the /mydata export)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import AuditEntry, City, Person, PersonRole
from bot.core.outbox import OutboxMessage
from bot.db import Base
from bot.features.applications.models import Application
from bot.features.broadcasts.models import BroadcastDelivery
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.handoff.models import HandoffQuestion
from bot.features.postcards.models import Postcard
from bot.features.roles.models import RoleInvite
from bot.features.schedule.models import Course

# Bookkeeping columns that say nothing about the person (worker names, lock versions).
SKIPPED = {"claimed_by", "claimed_until", "version", "step"}


def plain(value: Any) -> Any:
    """A column value as JSON: instants and dates in ISO 8601, everything else as is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(row: Base, skip: set[str] = SKIPPED) -> dict:
    """Every column of an ORM row, JSON-ready."""
    return {c.key: plain(getattr(row, c.key)) for c in row.__table__.columns if c.key not in skip}


async def _course_codes(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(Course.id, Course.code).where(Course.id.in_(ids)))
    return dict(rows.all())


async def _rows(session: AsyncSession, model, *where) -> list:
    return list(await session.scalars(select(model).where(*where).order_by(model.id)))


async def collect(session: AsyncSession, person: Person) -> dict:
    """The export document: the person row and every row about them, grouped by table."""
    pid = person.id
    apps = await _rows(session, Application, Application.person_id == pid)
    cards = await _rows(session, Postcard, Postcard.person_id == pid)
    evals = await _rows(session, Evaluation, Evaluation.person_id == pid)
    surveys = await _rows(session, SurveyResponse, SurveyResponse.person_id == pid)
    questions = await _rows(session, HandoffQuestion, HandoffQuestion.person_id == pid)
    messages = await _rows(
        session,
        OutboxMessage,
        or_(OutboxMessage.person_id == pid, OutboxMessage.chat_id == person.telegram_id),
    )
    deliveries = await _rows(
        session,
        BroadcastDelivery,
        or_(BroadcastDelivery.person_id == pid, BroadcastDelivery.chat_id == person.telegram_id),
    )
    roles = await _rows(session, PersonRole, PersonRole.person_id == pid)
    invites = await _rows(session, RoleInvite, RoleInvite.used_by == pid)
    about = or_(
        AuditEntry.actor_id == pid,
        (AuditEntry.target_type == "person") & (AuditEntry.target_id == str(pid)),
        (AuditEntry.target_type == "application")
        & AuditEntry.target_id.in_([str(a.id) for a in apps] or ["-"]),
    )
    entries = await _rows(session, AuditEntry, about)
    codes = await _course_codes(
        session, {r.course_id for r in [*apps, *cards, *evals, *surveys] if r.course_id}
    )
    city = await session.get(City, person.city_id) if person.city_id else None

    def with_course(rows: list) -> list[dict]:
        return [{**row_dict(r), "course_code": codes.get(r.course_id)} for r in rows]

    return {
        "person": {**row_dict(person), "city": city.name if city else None},
        "roles": [row_dict(r) for r in roles],
        "applications": with_course(apps),
        "postcards": with_course(cards),
        "evaluations": with_course(evals),
        "survey_responses": with_course(surveys),
        # A question the bot offered to pass on, not (yet) sent: kept apart so the summary
        # counts only what reached a person, while the file still shows everything held.
        "questions_to_staff": [row_dict(q) for q in questions if q.state != "offered"],
        "questions_offered_not_sent": [row_dict(q) for q in questions if q.state == "offered"],
        "messages": [row_dict(m, SKIPPED | {"last_error"}) for m in messages],
        "announcements_received": [row_dict(d, SKIPPED | {"last_error"}) for d in deliveries],
        "role_invites_used": [row_dict(i, SKIPPED | {"token"}) for i in invites],
        "audit_log": [row_dict(e) for e in entries],
    }
