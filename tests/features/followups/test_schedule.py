"""Scheduling follow-ups: home time zones, idempotence, who gets what, staff move and cancel."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot import db
from bot.core.audit import PermissionDenied
from bot.core.models import AuditEntry
from bot.core.outbox import OutboxMessage
from bot.features.followups.schedule import (
    add_months,
    cancel_followup,
    list_followups,
    move_followup,
    schedule_followups,
)
from tests.features.followups.test_schedule_fixtures import (
    KYIV_COURSE,
    TRAINEE,
    add_course,
    add_staff,
    add_trainee,
    outbox,
)

AFTER = datetime(2018, 6, 4, 0, 0, tzinfo=UTC)  # 09:00 Seoul, the day after the Kyiv course
KYIV = ("kyiv", "Europe/Kyiv")
BUENOS_AIRES = "America/Argentina/Buenos_Aires"


def _due(rows, kind, person_id):
    [row] = [r for r in rows if r.kind == kind and r.person_id == person_id]
    return row.due_at


def test_add_months_clamps_the_day():
    """Month arithmetic by hand: the day is clamped to the target month's length."""
    assert add_months(date(2018, 6, 3), 2) == date(2018, 8, 3)
    assert add_months(date(2018, 8, 31), 3) == date(2018, 11, 30)
    assert add_months(date(2018, 11, 30), 2) == date(2019, 1, 30)
    assert add_months(date(2019, 10, 31), 4) == date(2020, 2, 29)


async def test_followups_land_at_ten_in_the_home_zone(database):
    """Kyiv (city zone) and Buenos Aires (own zone): 10:00 local, 2 and 4 months after the end."""
    course = await add_course()
    kyiv = await add_trainee(2001, course, locale="ru", city=KYIV)
    ba = await add_trainee(2002, course, locale="es", timezone=BUENOS_AIRES, postcard="draft")
    seoul = await add_trainee(2003, course)
    assert await schedule_followups(AFTER) == 9
    rows = await outbox()
    assert _due(rows, "postcard_return", kyiv) == datetime(2018, 8, 3, 7, 0, tzinfo=UTC)
    assert _due(rows, "evaluation", kyiv) == datetime(2018, 10, 3, 7, 0, tzinfo=UTC)
    assert _due(rows, "postcard_return", ba) == datetime(2018, 8, 3, 13, 0, tzinfo=UTC)
    assert _due(rows, "evaluation", ba) == datetime(2018, 10, 3, 13, 0, tzinfo=UTC)
    assert _due(rows, "postcard_return", seoul) == datetime(2018, 8, 3, 1, 0, tzinfo=UTC)
    # The survey: last course day, 14:00 Seoul, for every accepted trainee.
    assert {_due(rows, "survey", p) for p in (kyiv, ba, seoul)} == {
        datetime(2018, 6, 3, 5, 0, tzinfo=UTC)
    }
    [row] = [r for r in rows if r.kind == "evaluation" and r.person_id == kyiv]
    assert (row.key, row.chat_id, row.state) == (f"evaluation:{kyiv}:{course}", 2001, "pending")
    assert row.payload == {"course_id": course}


async def test_scheduling_twice_changes_nothing(database):
    """A second pass (or the job after `tick`) creates no row and moves none."""
    course = await add_course()
    await add_trainee(2001, course, city=KYIV)
    assert await schedule_followups(AFTER) == 3
    before = [(r.id, r.key, r.due_at) for r in await outbox()]
    assert await schedule_followups(AFTER + timedelta(hours=1)) == 0
    assert await schedule_followups(AFTER + timedelta(days=90)) == 0
    assert [(r.id, r.key, r.due_at) for r in await outbox()] == before


async def test_only_after_the_course_and_only_written_postcards(database):
    """During the course only the survey; empty draft, no postcard, blocked trainee: nothing."""
    course = await add_course()
    wrote = await add_trainee(2001, course)
    empty = await add_trainee(2002, course, postcard="draft", actions=[])
    none = await add_trainee(2003, course, postcard=None)
    await add_trainee(2004, course, blocked=AFTER)
    during = datetime(2018, 5, 30, 3, 0, tzinfo=UTC)
    assert await schedule_followups(during) == 3
    assert {r.kind for r in await outbox()} == {"survey"}
    await schedule_followups(AFTER)
    kinds = {(r.person_id, r.kind) for r in await outbox()}
    assert kinds == {
        (wrote, "survey"),
        (empty, "survey"),
        (none, "survey"),
        (wrote, "postcard_return"),
        (wrote, "evaluation"),
    }


async def test_no_survey_for_a_course_long_over(database):
    """A course that ended weeks before the first pass gets no late survey."""
    course = await add_course()
    await add_trainee(2001, course)
    await schedule_followups(datetime(2018, 7, 1, tzinfo=UTC))
    assert {r.kind for r in await outbox()} == {"postcard_return", "evaluation"}


async def test_staff_list_move_and_cancel(database):
    """Staff see a course's rows, move one, cancel one; each change is audited."""
    staff = await add_staff()
    course = await add_course()
    person = await add_trainee(2001, course, city=KYIV)
    await schedule_followups(AFTER)
    rows = await list_followups(staff, KYIV_COURSE)
    assert [r.kind for r in rows] == ["survey", "postcard_return", "evaluation"]
    assert rows[1].person_name == "T2001" and rows[1].course_code == KYIV_COURSE
    assert await list_followups(staff, "NO-SUCH") == []

    new_due = datetime(2018, 8, 10, 7, 0, tzinfo=UTC)
    result = await move_followup(staff, rows[1].id, new_due)
    assert result.ok and result.row.due_at == new_due
    result = await cancel_followup(staff, rows[2].id)
    assert result.ok and result.row.state == "cancelled"
    # A cancelled (or sent) row cannot be moved or cancelled again.
    assert (await move_followup(staff, rows[2].id, new_due)).reason == "not_pending"
    assert (await cancel_followup(staff, 99999)).reason == "not_found"
    async with db.session_scope() as s:
        entries = list(await s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.action, e.target_id) for e in entries] == [
        ("followup.move", str(rows[1].id)),
        ("followup.cancel", str(rows[2].id)),
    ]
    assert entries[0].details["new_due"] == new_due.isoformat()
    # Idempotent scheduling does not resurrect the cancelled row or undo the move.
    await schedule_followups(AFTER + timedelta(days=1))
    states = {r.kind: (r.state, r.due_at) for r in await outbox(OutboxMessage.person_id == person)}
    assert states["evaluation"][0] == "cancelled"
    assert states["postcard_return"] == ("pending", new_due)


async def test_trainees_cannot_touch_followups(database):
    """Without the staff role every follow-up service refuses."""
    staff = await add_staff()
    course = await add_course()
    await add_trainee(2001, course)
    await schedule_followups(AFTER)
    [row, *_] = await outbox()
    with pytest.raises(PermissionDenied):
        await list_followups(TRAINEE, KYIV_COURSE)
    with pytest.raises(PermissionDenied):
        await move_followup(TRAINEE, row.id, AFTER)
    with pytest.raises(PermissionDenied):
        await cancel_followup(TRAINEE, row.id)
    async with db.session_scope() as s:
        await s.execute(update(OutboxMessage).values(state="failed", attempts=8))
    result = await move_followup(staff, row.id, AFTER + timedelta(days=1))
    assert result.ok and result.row.state == "pending"
    [again] = await outbox(OutboxMessage.id == row.id)
    assert again.attempts == 0
