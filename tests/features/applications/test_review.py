"""Staff review: priority order, decisions through the bot, seats, concurrent decisions."""

from __future__ import annotations

import asyncio
from datetime import date

from babel import Locale
from babel.dates import format_interval
from sqlalchemy import select

from bot import clock, db
from bot.core.models import AuditEntry
from bot.core.outbox import OutboxMessage
from bot.features.applications import review
from tests.features.applications.review_fixtures import (
    T0,
    WATER,
    add_application,
    app_row,
    set_seats,
    staff_actor,
)


async def test_priority_order_senior_then_strategic_then_submission(sample):
    """Senior officials first, then strategic cities of the course, then submission order."""
    await add_application(7001, "Early Working", minutes=0)
    await add_application(7002, "Parana Working", minutes=5, city_key="parana", city="Curitiba")
    await add_application(7003, "Late Senior", minutes=9, seniority="senior")
    await add_application(7004, "Hai Duong Senior", minutes=20, seniority="senior",
                          city_key="hai_duong")  # fmt: skip
    await add_application(7005, "Draft Person", status="draft")
    rows = await review.list_applications(await staff_actor(), WATER)
    assert [r.name for r in rows] == [
        "Hai Duong Senior",
        "Late Senior",
        "Parana Working",
        "Early Working",
    ]
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    assert [r.strategic for r in rows] == [True, False, True, False]
    [course] = await review.list_courses_with_applications(await staff_actor())
    assert (course.code, course.total, course.undecided) == (WATER, 4, 4)


async def test_staff_accepts_in_korean_trainee_hears_in_spanish(conv, sample):
    """/review → course → application → ✅ → Skip: the trainee gets the news in Spanish."""
    clock.freeze(T0)
    app_id = await add_application(7010, "Ana Gómez", locale="es", country="MX", city="Jalisco")
    conv.user(7010, "Ana", lang="es")
    events = await conv.send(9001, "/review")
    assert events[-1].text == "과정별 신청 현황입니다. 과정을 선택하십시오."
    await conv.press(9001, f"rv:c:{(await app_row(app_id)).course_id}:0")
    await conv.press(9001, f"rv:a:{app_id}")
    detail = conv.double.last_message(9001, from_bot=True)
    assert "Ana Gómez" in detail["text"] and Locale.parse("ko").territories["MX"] in detail["text"]
    events = await conv.press(9001, "✅ 선발")
    assert "메모" in events[-1].text
    events = await conv.press(9001, "건너뛰기")
    [notice] = [e for e in events if e.chat_id == 7010]
    assert notice.text.startswith("¡Enhorabuena! Ha sido admitido/a en")
    dates = format_interval(date(2018, 6, 17), date(2018, 6, 24), skeleton="yMMMd", locale="es")
    assert f"({dates})" in notice.text  # the course 2018-08, Babel's yMMMd interval
    [told] = [e for e in events if e.chat_id == 9001 and e.text.startswith("저장")]
    assert "Ana Gómez" in told.text and "알렸습니다" in told.text
    row = await app_row(app_id)
    assert (row.status, row.version) == ("accepted", 2) and row.decided_by is not None
    async with db.session_scope() as s:
        [entry] = list(await s.scalars(select(AuditEntry).where(
            AuditEntry.action == "application.decide")))  # fmt: skip
        [outbox] = list(await s.scalars(select(OutboxMessage)))
    assert entry.details["decision"] == "accepted" and entry.target_id == str(app_id)
    assert outbox.state == "sent" and outbox.payload["event"] == "accepted"


async def test_note_typed_by_staff_reaches_trainee(conv, sample):
    """A decision with a typed note: the note is saved and shown to the trainee (Russian)."""
    app_id = await add_application(7011, "Иван Петров", locale="ru", country="UZ")
    conv.user(7011, "Иван", lang="ru")
    await conv.send(9001, "/review")
    await conv.press(9001, "2018-08")
    await conv.press(9001, f"rv:a:{app_id}")
    await conv.press(9001, "⏳ 대기")
    events = await conv.send(9001, "Мест пока нет, но мы вам напишем.")
    [notice] = [e for e in events if e.chat_id == 7011]
    assert "лист ожидания" in notice.text
    assert notice.text.endswith("Мест пока нет, но мы вам напишем.")
    row = await app_row(app_id)
    assert (row.status, row.decision_note) == ("waitlisted", "Мест пока нет, но мы вам напишем.")
    # The note request is closed: the next text is not taken as another note.
    assert await review.pending_note(await staff_actor()) is None


async def test_seats_enforced(sample):
    """Accepting beyond the seats is refused with a reason; waitlisting still works."""
    await set_seats(WATER, 1)
    staff = await staff_actor()
    first = await add_application(7020, "First")
    second = await add_application(7021, "Second")
    assert (await review.decide(staff, first, "accepted", None, 1)).ok
    refused = await review.decide(staff, second, "accepted", None, 1)
    assert (refused.ok, refused.reason) == (False, "seats_full")
    assert (await app_row(second)).status == "submitted"
    assert (await review.decide(staff, second, "waitlisted", None, 1)).ok


async def test_seat_refusal_shown_to_staff_in_bot(conv, sample):
    """The ✅ button on a full course explains and suggests waitlisting, before any note."""
    await set_seats(WATER, 0)
    app_id = await add_application(7022, "Nobody")
    await conv.send(9001, "/review")
    await conv.press(9001, "2018-08")
    await conv.press(9001, f"rv:a:{app_id}")
    await conv.press(9001, "✅ 선발")
    assert "대기" in conv.double.callback_answers[-1]["text"]


async def test_concurrent_decisions_one_wins(sample):
    """Two decisions on one version at once: exactly one is saved, the other told to reload."""
    staff = await staff_actor()
    app_id = await add_application(7030, "Contested")
    results = await asyncio.gather(
        review.decide(staff, app_id, "accepted", "yes", 1),
        review.decide(staff, app_id, "declined", "no", 1),
    )
    winners = [r for r in results if r.ok]
    losers = [r for r in results if not r.ok]
    assert len(winners) == 1 and len(losers) == 1 and losers[0].reason == "conflict"
    row = await app_row(app_id)
    assert row.status == winners[0].status and row.version == 2
    async with db.session_scope() as s:
        entries = list(await s.scalars(select(AuditEntry).where(
            AuditEntry.action == "application.decide")))  # fmt: skip
        notices = list(await s.scalars(select(OutboxMessage)))
    assert len(entries) == 1 and len(notices) == 1
    assert notices[0].payload["event"] == row.status

    # Sequentially: the second with the stale version is refused.
    late = await review.decide(staff, app_id, "under_review", None, 1)
    assert (late.ok, late.reason) == (False, "conflict")
    assert (await app_row(app_id)).status == winners[0].status


async def test_concurrent_accepts_for_last_seat(sample):
    """Two staff accepting two applicants for the last seat: one seat, one refusal."""
    await set_seats(WATER, 1)
    staff = await staff_actor()
    a = await add_application(7031, "A")
    b = await add_application(7032, "B")
    results = await asyncio.gather(
        review.decide(staff, a, "accepted", None, 1), review.decide(staff, b, "accepted", None, 1)
    )
    assert sorted(r.ok for r in results) == [False, True]
    assert [r.reason for r in results if not r.ok] == ["seats_full"]
