"""The retention purge: past trainees and idle people go, staff, liaison and recent ones stay."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot import db
from bot.cli import build_parser
from bot.core.models import AuditEntry, Person, PersonRole
from bot.features.applications.models import Application
from bot.features.privacy.cli import run_cli
from bot.features.schedule.models import Course
from bot.features.stats.service import year_stats
from tests.conftest import ADMIN_ID

OLD = datetime(2018, 1, 2, tzinfo=UTC)
NOW = "2023-06-01T09:00"  # 5 years (1,825 days) back is 2 Jun 2018


async def _person(tg: int, name: str, *codes: str, seen: datetime = OLD, role=None) -> int:
    async with db.session_scope() as s:
        p = Person(telegram_id=tg, full_name=name, email=f"{tg}@example.org", last_seen_at=seen)
        p.created_at = OLD
        s.add(p)
        await s.flush()
        for code in codes:
            cid = await s.scalar(select(Course.id).where(Course.code == code))
            s.add(Application(course_id=cid, person_id=p.id, status="accepted", answers={}))
        if role:
            s.add(PersonRole(person_id=p.id, role=role))
        return p.id


async def _erased() -> dict[str, bool]:
    async with db.session_scope() as s:
        rows = await s.execute(select(Person.id, Person.full_name, Person.erased_at))
        return {name or f"#{pid}": erased is not None for pid, name, erased in rows}


async def _purge(settings, capsys, *extra: str) -> str:
    args = build_parser().parse_args(["privacy", "purge", "--now", NOW, *extra])
    assert await run_cli(args, settings) == 0
    return capsys.readouterr().out


async def test_purge_erases_only_people_past_retention(sample, settings, capsys):
    """--dry-run counts; the run erases the old trainee and the idle visitor, once."""
    ids = {
        "old": await _person(101, "Old Trainee", "2018-01"),
        "recent": await _person(102, "Recent Trainee", "2018-01", "2018-10"),
        "undated": await _person(103, "Undated Course", "2018-01", "2018-14"),
        "staff": await _person(ADMIN_ID, "Config Staff", "2018-01"),
        "liaison": await _person(104, "Liaison Officer", "2018-01", role="liaison"),
        "idle": await _person(105, "Idle Visitor"),
        "active": await _person(106, "Active Visitor", seen=datetime(2023, 1, 1, tzinfo=UTC)),
    }
    before = (await year_stats(2018)).as_json()

    out = await _purge(settings, capsys, "--dry-run")
    assert "would erase 1 past trainee(s) and 1 person(s) who never applied" in out
    assert not any((await _erased()).values())

    out = await _purge(settings, capsys)
    assert "cut-off 2018-06-02: erased 1 past trainee(s) and 1 person(s)" in out
    erased = await _erased()
    assert erased == {
        f"#{ids['old']}": True,
        "Recent Trainee": False,
        "Undated Course": False,
        "Config Staff": False,
        "Liaison Officer": False,
        f"#{ids['idle']}": True,
        "Active Visitor": False,
    }
    assert (await year_stats(2018)).as_json() == before

    assert "erased 0 past trainee(s) and 0 person(s)" in await _purge(settings, capsys)
    async with db.session_scope() as s:
        actions = list(await s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        reasons = list(
            await s.scalars(select(AuditEntry.details).where(AuditEntry.action == "privacy.erase"))
        )
    assert actions == ["privacy.erase", "privacy.erase", "privacy.purge"]
    assert reasons == [{"reason": "retention"}] * 2


async def test_retention_job_is_scheduled_daily(settings, conv):
    """register() adds one daily job for the purge."""
    jobs = [j for j in conv.app.job_queue.jobs() if j.name == "privacy-purge"]
    assert len(jobs) == 1
