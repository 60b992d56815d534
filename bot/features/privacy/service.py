"""Privacy rights: a person's data export, erasure on request, and the retention purge."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import programme_zone, utcnow
from bot.core import audit
from bot.core.authz import require_staff
from bot.core.models import Person, PersonRole
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.applications.models import Application
from bot.features.privacy.collect import collect
from bot.features.privacy.erase import Erased, erase_person
from bot.features.privacy.scrub import AuditScrubber
from bot.features.schedule.models import Course

CONFIRM_TTL = 3600  # seconds a confirmation button stays valid
KEPT_ROLES = ("staff", "liaison")  # never purged: they work here, they are not past trainees


@dataclass(frozen=True)
class AppLine:
    """One application as the summaries show it."""

    course_code: str
    title: dict
    status: str
    ends: date | None


@dataclass(frozen=True)
class Profile:
    """Who a person is and what is stored about them, in counts and key facts."""

    person_id: int
    telegram_id: int
    name: str
    username: str | None
    email: str | None
    phone: str | None
    created_at: datetime
    applications: tuple[AppLine, ...]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MyData:
    """The export: the JSON document and its readable summary."""

    document: dict
    profile: Profile


@dataclass(frozen=True)
class PurgeReport:
    """What a retention run erased (or would erase, on a dry run)."""

    cutoff: date
    trainees: int
    idle: int
    dry_run: bool
    person_ids: tuple[int, ...] = ()


def sign(secret: str, *parts: object) -> str:
    """A short HMAC over `parts`, so confirmation buttons cannot be forged or altered."""
    msg = ":".join(str(p) for p in parts).encode()
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()[:12]


def confirmation(secret: str, kind: str, actor_pid: int, target_pid: int) -> tuple[int, str]:
    """(time, signature) for a confirmation button, bound to the presser and the target."""
    ts = int(time.time())
    return ts, sign(secret, kind, actor_pid, target_pid, ts)


def confirmed(secret: str, kind: str, actor_pid: int, target_pid: int, ts: int, sig: str) -> bool:
    """True for a genuine, fresh confirmation pressed by the person it was made for."""
    expected = sign(secret, kind, actor_pid, target_pid, ts)
    return hmac.compare_digest(expected, sig) and time.time() - ts <= CONFIRM_TTL


async def _profile(session: AsyncSession, person: Person) -> Profile:
    rows = await session.execute(
        select(Course.code, Course.title, Application.status, Course.ends)
        .join(Course, Course.id == Application.course_id)
        .where(Application.person_id == person.id)
        .order_by(Application.id)
    )
    name = person.full_name or " ".join(p for p in (person.first_name, person.last_name) if p)
    return Profile(
        person_id=person.id,
        telegram_id=person.telegram_id,
        name=name.strip() or str(person.telegram_id),
        username=person.username,
        email=person.email,
        phone=person.phone,
        created_at=person.created_at,
        applications=tuple(AppLine(c, dict(t or {}), s, e) for c, t, s, e in rows),
    )


async def my_data(person_id: int) -> MyData | None:
    """Everything stored about a person; None when there is no such (unerased) person."""
    async with session_scope() as session:
        person = await session.get(Person, person_id)
        if person is None or person.erased_at is not None:
            return None
        document = await collect(session, person)
        base = await _profile(session, person)
        counts = {k: len(v) for k, v in document.items() if isinstance(v, list)}
        return MyData(document, Profile(**{**base.__dict__, "counts": counts}))


async def my_data_by_telegram_id(telegram_id: int) -> MyData | None:
    """The export for a Telegram id (the command line)."""
    async with session_scope() as session:
        pid = await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))
    return await my_data(pid) if pid is not None else None


async def profile(person_id: int) -> Profile | None:
    """Who a person is (for a confirmation screen); None when unknown or already erased."""
    async with session_scope() as session:
        person = await session.get(Person, person_id)
        if person is None or person.erased_at is not None:
            return None
        return await _profile(session, person)


async def forget_self(person_id: int) -> Erased | None:
    """Erase the person's own data at their request; None when there is nothing to erase."""
    async with session_scope() as session:
        person = await session.get(Person, person_id, with_for_update=True)
        if person is None or person.erased_at is not None:
            return None
        return await erase_person(
            session, person, actor_id=person_id, reason="own_request", now=utcnow()
        )


async def find_person(actor: UserCtx, handle: str) -> Profile | None:
    """The person a staff member means by a Telegram id or @username; None when unknown."""
    require_staff(actor)
    handle = handle.strip()
    async with session_scope() as session:
        if handle.lstrip("-").isdigit():
            query = select(Person).where(Person.telegram_id == int(handle))
        else:
            name = handle.removeprefix("@").casefold()
            query = select(Person).where(func.lower(Person.username) == name)
        person = (await session.scalars(query.where(Person.erased_at.is_(None)))).first()
        return await _profile(session, person) if person else None


async def erase_for_staff(actor: UserCtx, person_id: int) -> Erased | None:
    """Erase a person on a deletion request handled by staff (audit-logged as theirs)."""
    require_staff(actor)
    async with session_scope() as session:
        person = await session.get(Person, person_id, with_for_update=True)
        if person is None or person.erased_at is not None:
            return None
        return await erase_person(
            session, person, actor_id=actor.person_id, reason="staff_request", now=utcnow()
        )


async def erase_by_telegram_id(telegram_id: int) -> Erased | None:
    """Erase from the command line (the operator is not a person in the database)."""
    async with session_scope() as session:
        person = await session.scalar(
            select(Person).where(Person.telegram_id == telegram_id).with_for_update()
        )
        if person is None or person.erased_at is not None:
            return None
        return await erase_person(session, person, actor_id=None, reason="cli", now=utcnow())


async def profile_by_telegram_id(telegram_id: int) -> Profile | None:
    """Who a Telegram id is, for the command line's preview."""
    async with session_scope() as session:
        pid = await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))
    return await profile(pid) if pid is not None else None


async def _expired(session: AsyncSession, cutoff: date, admin_ids: set[int]):
    """(past trainees, idle people) whose data the retention period no longer covers."""
    kept = select(PersonRole.person_id).where(PersonRole.role.in_(KEPT_ROLES))
    people = await session.execute(
        select(Person.id, Person.telegram_id, Person.last_seen_at, Person.created_at).where(
            Person.erased_at.is_(None), Person.id.not_in(kept)
        )
    )
    courses = await _last_course_end(session)
    trainees, idle = [], []
    edge = datetime.combine(cutoff, datetime.min.time(), tzinfo=programme_zone())
    for pid, tg_id, seen, created in people:
        if tg_id in admin_ids:
            continue
        if pid in courses:
            ends = courses[pid]
            if ends is not None and ends < cutoff:
                trainees.append(pid)
        elif (seen or created) < edge:
            idle.append(pid)
    return trainees, idle


async def _last_course_end(session: AsyncSession) -> dict[int, date | None]:
    """Each applicant's last course end; None when one of their courses has no end date."""
    rows = await session.execute(
        select(Application.person_id, Course.ends).join(Course, Course.id == Application.course_id)
    )
    last: dict[int, date | None] = {}
    for pid, ends in rows:
        if pid in last and last[pid] is None:
            continue
        last[pid] = None if ends is None else max(ends, last.get(pid) or ends)
    return last


async def purge(
    now: datetime, retention_days: int, admin_ids: Iterable[int] = (), dry_run: bool = False
) -> PurgeReport:
    """Erase everyone the retention period no longer covers; re-running erases nobody twice."""
    cutoff = (now.astimezone(programme_zone()) - timedelta(days=retention_days)).date()
    async with session_scope() as session:
        trainees, idle = await _expired(session, cutoff, set(admin_ids))
        ids = tuple(sorted(trainees + idle))
        if not dry_run:
            scrubber = AuditScrubber()
            for pid in ids:
                person = await session.get(Person, pid, with_for_update=True)
                assert person is not None
                await erase_person(
                    session, person, actor_id=None, reason="retention", now=now, scrubber=scrubber
                )
            await scrubber.run(session)  # one pass over the log for everyone
            if ids:
                audit.record(
                    session,
                    None,
                    "privacy.purge",
                    cutoff=cutoff.isoformat(),
                    trainees=len(trainees),
                    idle=len(idle),
                )
    return PurgeReport(cutoff, len(trainees), len(idle), dry_run, ids)
