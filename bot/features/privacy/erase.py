"""Erasing one person's personal data in every table, keeping the rows statistics count.

What stays is anonymous: the person row (with a synthetic Telegram id), applications with
course, status, country, city and level, postcards without their texts, evaluation statuses
and ratings, survey scores, and sent follow-ups without their payloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import audit
from bot.core.models import Person, PersonRole
from bot.core.outbox import OutboxMessage
from bot.features.applications.models import Application
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.handoff.models import HandoffQuestion
from bot.features.postcards.models import Postcard
from bot.features.privacy.scrub import AuditScrubber

# Application answers statistics need; every other answer (name, e-mail, motivation …) goes.
KEPT_ANSWERS = ("country", "city", "city_key", "seniority", "language")
KEPT_ANSWERS += ("geonameid", "city_name", "city_country", "city_zone")  # where the city is
# Outbox payload keys that carry no personal data (ids and event names).
KEPT_PAYLOAD = ("course_id", "postcard_id", "application_id", "handoff_id", "event")
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "username",
    "full_name",
    "telegram_language",
    "timezone",
    "organisation",
    "position",
    "email",
    "phone",
    "consent_at",
    "last_seen_at",
)
# Person.country and city_id stay: the yearly statistics count trainees' countries and cities.
UNSENT = ("pending", "sending", "failed")


@dataclass(frozen=True)
class Erased:
    """What one erasure changed, in counts (nothing personal)."""

    person_id: int
    applications: int = 0
    postcards: int = 0
    evaluations: int = 0
    surveys: int = 0
    questions: int = 0
    messages_cancelled: int = 0
    messages_scrubbed: int = 0
    audit_entries: int = 0


def synthetic_id(person_id: int) -> int:
    """The Telegram id an erased person keeps: negative (no user has one) and unique."""
    return -person_id


async def _outbox(session: AsyncSession, person: Person, handoff_ids: list[int], fake: int):
    """Cancel what is still owed to (or about) the person; strip what was sent."""
    query = select(OutboxMessage).where(
        or_(OutboxMessage.person_id == person.id, OutboxMessage.chat_id == person.telegram_id)
    )
    rows = list(await session.scalars(query))
    if handoff_ids:
        # Their questions queued for the liaison chat are addressed to the chat, not to them.
        forwards = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.state.in_(UNSENT))
        )
        rows += [
            r
            for r in forwards
            if (r.payload or {}).get("handoff_id") in handoff_ids and r not in rows
        ]
    cancelled = scrubbed = 0
    for row in rows:
        if row.chat_id == person.telegram_id:
            row.chat_id = fake
        row.payload = {k: v for k, v in (row.payload or {}).items() if k in KEPT_PAYLOAD}
        row.last_error = None
        if row.state in UNSENT:
            # Cancelled, not deleted: the unique key stops the scheduler re-creating it.
            row.state, row.claimed_by, row.claimed_until = "cancelled", None, None
            cancelled += 1
        else:
            scrubbed += 1
    return cancelled, scrubbed


async def erase_person(
    session: AsyncSession,
    person: Person,
    *,
    actor_id: int | None,
    reason: str,
    now: datetime,
    scrubber: AuditScrubber | None = None,
) -> Erased:
    """Erase `person`'s personal data in the caller's transaction; one audit entry records it.

    With a shared `scrubber` the caller runs it once after erasing many people (the purge);
    otherwise the audit log is scrubbed here.
    """
    fake = synthetic_id(person.id)
    apps = list(
        await session.scalars(select(Application).where(Application.person_id == person.id))
    )
    own = scrubber is None
    scrubber = scrubber or AuditScrubber()
    scrubber.add(person, [a.id for a in apps], [dict(a.answers or {}) for a in apps], fake)
    for app in apps:
        app.answers = {k: v for k, v in (app.answers or {}).items() if k in KEPT_ANSWERS}
        app.decision_note = None
    cards = list(await session.scalars(select(Postcard).where(Postcard.person_id == person.id)))
    for card in cards:
        card.inspired_by = card.obstacles = card.support = None
        # The targets stay (they count as a written plan); the texts go.
        card.actions = [{"target": a.get("target")} for a in card.actions or []]
    evals = list(
        await session.scalars(select(Evaluation).where(Evaluation.person_id == person.id))
    )
    for ev in evals:
        ev.comment = None
        ev.results = [{k: v for k, v in r.items() if k != "evidence"} for r in ev.results or []]
    surveys = list(
        await session.scalars(select(SurveyResponse).where(SurveyResponse.person_id == person.id))
    )
    for sr in surveys:
        sr.comment = None
    questions = list(
        await session.scalars(
            select(HandoffQuestion).where(HandoffQuestion.person_id == person.id)
        )
    )
    for q in questions:
        q.text, q.answer = "", None
    cancelled, scrubbed = await _outbox(session, person, [q.id for q in questions], fake)
    deliveries = await session.scalars(
        select(BroadcastDelivery).where(
            or_(
                BroadcastDelivery.person_id == person.id,
                BroadcastDelivery.chat_id == person.telegram_id,
            )
        )
    )
    for d in deliveries:
        d.chat_id, d.last_error = fake, None
    for b in await session.scalars(select(Broadcast).where(Broadcast.sender_id == person.id)):
        b.progress_chat_id = None
    await session.execute(delete(PersonRole).where(PersonRole.person_id == person.id))
    changed = await scrubber.run(session) if own else 0
    for field in PERSON_FIELDS:
        setattr(person, field, None)
    person.telegram_id = fake
    person.locale_confirmed = False
    # Never written to again: the schedulers skip blocked people.
    person.erased_at = person.blocked_at = now
    await session.flush()
    result = Erased(
        person.id,
        applications=len(apps),
        postcards=len(cards),
        evaluations=len(evals),
        surveys=len(surveys),
        questions=len(questions),
        messages_cancelled=cancelled,
        messages_scrubbed=scrubbed,
        audit_entries=changed,
    )
    audit.record(session, actor_id, "privacy.erase", "person", person.id, reason=reason)
    return result
