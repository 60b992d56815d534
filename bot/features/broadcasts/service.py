"""The broadcast wizard and its permissions; every step is saved in the Broadcast row.

Permissions are checked here, not in menus: staff address everyone; a liaison officer only
the courses of their organisations (or courses granted to them) and those courses' alumni;
anyone else is refused. Delivery itself is the engine's (bot.features.broadcasts.engine).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, exists, select

from bot.clock import utcnow
from bot.config import DEFAULT_TIMEZONE
from bot.core import audit
from bot.core.audit import PermissionDenied
from bot.core.authz import is_staff
from bot.core.models import City
from bot.core.people import UserCtx
from bot.db import session_scope
from bot.features.broadcasts import audience as aud
from bot.features.broadcasts.audience import Audience
from bot.features.broadcasts.models import Broadcast
from bot.features.broadcasts.scope import OutOfScope, StaffOnly, check_courses, scope  # noqa: F401
from bot.features.broadcasts.sending import (  # noqa: F401  (the service API)
    Report,
    cancel,
    list_broadcasts,
    materialise,
    set_progress,
)
from bot.features.schedule.models import Course
from bot.i18n import LOCALES

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
KINDS = ("courses", "statuses", "years", "countries", "cities", "languages")


@dataclass(frozen=True)
class Draft:
    """A broadcast as the wizard shows it."""

    id: int
    state: str
    step: str | None
    audience: Audience
    reach: int
    texts: dict
    sender_locale: str
    attachment: dict
    paid: bool
    scheduled_at: datetime | None


async def _draft_row(session, actor: UserCtx) -> Broadcast | None:
    return await session.scalar(
        select(Broadcast)
        .where(Broadcast.sender_id == actor.person_id, Broadcast.state == "draft")
        .order_by(Broadcast.id.desc())
        .limit(1)
    )


async def _view(row: Broadcast, within: frozenset[int] | None) -> Draft:
    audience = Audience.from_json(row.audience, row.include_groups)
    return Draft(
        row.id,
        row.state,
        row.step,
        audience,
        await aud.count(audience, within),
        dict(row.texts or {}),
        row.sender_locale,
        dict(row.attachment or {}),
        row.paid,
        row.scheduled_at,
    )


async def start(actor: UserCtx) -> Draft:
    """/broadcast: resume the sender's draft, or open a new one at the audience step."""
    within = await scope(actor)
    async with session_scope() as session:
        row = await _draft_row(session, actor)
        if row is None:
            row = Broadcast(
                sender_id=actor.person_id,
                sender_locale=actor.locale,
                step="audience",
                audience=Audience().to_json(),
            )
            session.add(row)
            await session.flush()
    return await _view(row, within)


def waiting_for_text(person_id: int) -> ColumnElement[bool]:
    """EXISTS: the person has a broadcast draft (the text router's predicate)."""
    return exists().where(Broadcast.sender_id == person_id, Broadcast.state == "draft")


async def current(actor: UserCtx) -> Draft | None:
    """The sender's open draft, or None (also None for people who may not broadcast)."""
    try:
        within = await scope(actor)
    except PermissionDenied:
        return None
    async with session_scope() as session:
        row = await _draft_row(session, actor)
    return None if row is None else await _view(row, within)


async def _edit(actor: UserCtx, change) -> Draft:
    """Apply `change(row)` to the actor's draft in one transaction and return the new view."""
    within = await scope(actor)
    async with session_scope() as session:
        row = await _draft_row(session, actor)
        if row is None:
            raise LookupError("no draft")
        change(row)
    return await _view(row, within)


async def set_audience(actor: UserCtx, audience: Audience) -> Draft:
    """Replace the audience; a course outside the sender's scope raises OutOfScope."""
    within = await scope(actor)
    await check_courses(audience.courses, within)
    if not set(audience.statuses) <= set(aud.ADDRESSABLE_STATUSES) or not audience.statuses:
        raise ValueError("status")
    if not set(audience.languages) <= set(LOCALES):
        raise ValueError("language")

    def change(row: Broadcast) -> None:
        row.audience, row.include_groups = audience.to_json(), audience.include_groups

    return await _edit(actor, change)


async def toggle(actor: UserCtx, kind: str, value: str) -> Draft:
    """Add or remove one value of one kind of filter (from a wizard button)."""
    draft = await current(actor)
    if draft is None:
        raise LookupError("no draft")
    a = draft.audience
    if kind == "courses":
        async with session_scope() as session:
            value = await session.scalar(select(Course.code).where(Course.id == int(value)))
        if value is None:
            raise ValueError("course")
    elif kind == "cities":
        async with session_scope() as session:
            value = await session.scalar(select(City.key).where(City.id == int(value)))
        if value is None:
            raise ValueError("city")
    elif kind == "years":
        value = int(value)
    elif kind == "countries" and not (len(value) == 2 and value.isalpha()):
        raise ValueError("country")
    elif kind not in KINDS:
        raise ValueError(kind)
    chosen = list(getattr(a, kind))
    chosen.remove(value) if value in chosen else chosen.append(value)
    return await set_audience(actor, replace(a, **{kind: tuple(chosen)}))


async def toggle_flag(actor: UserCtx, flag: str) -> Draft:
    """Switch include_groups, or (staff only) paid broadcasting."""
    if flag == "paid" and not is_staff(actor):
        raise StaffOnly("paid broadcasts are a staff setting")

    def change(row: Broadcast) -> None:
        if flag == "paid":
            row.paid = not row.paid
        else:
            row.include_groups = not row.include_groups

    return await _edit(actor, change)


async def go_to(actor: UserCtx, step: str) -> Draft:
    """Move the wizard to `step` (saved, so /broadcast resumes there)."""

    def change(row: Broadcast) -> None:
        row.step = step

    return await _edit(actor, change)


def message_problem(text: str, has_file: bool) -> int | None:
    """The limit a text breaks (4,096 for a message, 1,024 for a caption), else None."""
    limit = CAPTION_LIMIT if has_file else TEXT_LIMIT
    return limit if len(text) > limit else None


async def set_message(actor: UserCtx, text: str, attachment: dict | None = None) -> Draft:
    """Save the text of the version the wizard asked for; a file is kept by its file_id.

    Raises ValueError("too_long:<limit>") when the text exceeds what Telegram accepts.
    """
    draft = await current(actor)
    if draft is None or not (draft.step or "").startswith("text"):
        raise LookupError("not writing")
    loc = draft.step.split(":", 1)[1] if ":" in draft.step else draft.sender_locale
    has_file = bool(attachment or draft.attachment)
    limit = message_problem(text, has_file)
    # A caption limit applies to every version once there is a file, including earlier ones.
    longest = max([len(t) for t in draft.texts.values()] + [len(text)])
    if limit or (attachment and longest > CAPTION_LIMIT):
        raise ValueError(f"too_long:{limit or CAPTION_LIMIT}")

    def change(row: Broadcast) -> None:
        row.texts = {**(row.texts or {}), loc: text}
        if attachment and loc == row.sender_locale:
            row.attachment = attachment
        row.step = "versions"

    return await _edit(actor, change)


def parse_when(raw: str, tz: str = DEFAULT_TIMEZONE) -> datetime | None:
    """A typed date and time in the bot's zone (Seoul), as aware UTC; None if unreadable."""
    text = " ".join(raw.strip().replace("T", " ").split())
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H.%M", "%Y.%m.%d %H:%M", "%Y/%m/%d %H:%M"):
        try:
            return (
                datetime.strptime(text, fmt)
                .replace(tzinfo=ZoneInfo(tz))
                .astimezone(ZoneInfo("UTC"))
            )
        except ValueError:
            continue
    return None


async def _ready(actor: UserCtx) -> tuple[Draft, frozenset[int] | None]:
    """The draft about to go out, re-checked against the scope now."""
    within = await scope(actor)
    draft = await current(actor)
    if draft is None or not draft.texts.get(draft.sender_locale):
        raise LookupError("nothing to send")
    await check_courses(draft.audience.courses, within)
    if draft.reach == 0:
        raise ValueError("empty")
    return draft, within


def _snapshot(row: Broadcast, within: frozenset[int] | None) -> None:
    """Keep the scope checked at send time with the audience, for materialise()."""
    row.audience = {**row.audience, "within": None if within is None else sorted(within)}


async def send_now(actor: UserCtx) -> tuple[int, int]:
    """Materialise the deliveries of the draft; returns (broadcast id, recipients)."""
    draft, within = await _ready(actor)
    async with session_scope() as session:
        row = await session.get(Broadcast, draft.id)
        _snapshot(row, within)
        row.step = None
        audit.record(
            session, actor.person_id, "broadcast.send", "broadcast", row.id, reach=draft.reach
        )
    return draft.id, await materialise(draft.id)


async def schedule(actor: UserCtx, when: datetime) -> Draft:
    """Schedule the draft for `when` (aware); ValueError("past") unless it is in the future."""
    draft, within = await _ready(actor)
    if when <= utcnow():
        raise ValueError("past")
    async with session_scope() as session:
        row = await session.get(Broadcast, draft.id)
        _snapshot(row, within)
        row.state, row.step, row.scheduled_at = "scheduled", None, when
        audit.record(
            session,
            actor.person_id,
            "broadcast.schedule",
            "broadcast",
            row.id,
            at=when.isoformat(),
            reach=draft.reach,
        )
    return replace(draft, state="scheduled", step=None, scheduled_at=when)


async def discard(actor: UserCtx) -> bool:
    """/cancel during the wizard: drop the open draft; False when there is none."""
    draft = await current(actor)
    return draft is not None and await cancel(actor, draft.id)
