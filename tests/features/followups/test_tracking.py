"""Follow-up figures per course and the staff /followups screen, through the double."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel.numbers import format_percent

from bot import clock
from bot.features.followups.schedule import schedule_followups
from bot.features.followups.tick import run_tick
from bot.features.followups.tracking import course_followup_stats, response_score
from tests.conftest import ADMIN_ID
from tests.features.followups.test_schedule_fixtures import (
    KYIV_COURSE,
    add_course,
    add_trainee,
    complete_evaluation,
    complete_survey,
    outbox,
)

AFTER = datetime(2018, 6, 4, 0, 0, tzinfo=UTC)
EVALUATED = datetime(2018, 10, 4, 1, 0, tzinfo=UTC)


def test_survey_score_prefers_overall():
    """'overall' when given, else the mean of the items; nothing numeric → None."""
    assert response_score({"overall": 4, "lectures": 2}) == 4.0
    assert response_score({"lectures": 5, "visits": 4}) == 4.5
    assert response_score({"comment": "x"}) is None


async def _course_with_history(conv):
    course = await add_course()
    people = []
    for i, telegram_id in enumerate((4001, 4002, 4003)):
        conv.user(telegram_id, f"T{telegram_id}", "en")
        name = "Olena Kovalenko" if i == 0 else None
        people.append(await add_trainee(telegram_id, course, name=name))
    await add_trainee(4004, course, postcard="draft", actions=[])  # wrote nothing
    await complete_survey(people[0], course, {"overall": 5, "lectures": 3})
    await complete_survey(people[1], course, {"lectures": 4, "visits": 3})
    await schedule_followups(AFTER)
    clock.freeze(EVALUATED)
    await run_tick(conv.app.bot, conv.app.bot_data.outbox_senders, EVALUATED)
    await complete_evaluation(people[0], course, volunteer=True)
    return course, people


async def test_course_figures(conv):
    """Postcards, returns, evaluations sent and answered, rate, nudges, surveys, volunteers."""
    await _course_with_history(conv)
    stats = await course_followup_stats(KYIV_COURSE)
    assert stats is not None
    assert (stats.postcards_written, stats.returned, stats.evaluations_sent) == (3, 3, 3)
    assert (stats.evaluations_answered, stats.nudges_sent) == (1, 0)
    assert stats.response_rate == 1 / 3
    assert (stats.surveys_answered, stats.satisfaction) == (2, 4.25)
    assert stats.volunteers == ["Olena Kovalenko"]
    await run_tick(conv.app.bot, conv.app.bot_data.outbox_senders, EVALUATED + timedelta(days=7))
    stats = await course_followup_stats(KYIV_COURSE)
    assert stats.nudges_sent == 2  # the two who did not answer; the one who did got none
    assert await course_followup_stats("NO-SUCH") is None


async def test_staff_screen_lists_moves_and_cancels(conv):
    """/followups in Korean for staff; a course's rows; +7 days and cancel; trainees refused."""
    await _course_with_history(conv)
    [reply] = await conv.send(ADMIN_ID, "/followups", lang="ko")
    assert reply.text.startswith("과정별 사후관리입니다.")
    assert f"엽서 3 · 회송 3 · 평가 응답 1/3 ({format_percent(1 / 3, locale='ko')})" in reply.text
    events = await conv.press(ADMIN_ID, f"fu:c:{KYIV_COURSE}")
    screen = events[-1]
    assert "포럼 발표 희망자: Olena Kovalenko" in screen.text
    assert "현업적용평가" in screen.text and "발송됨" in screen.text
    nudge = next(r for r in await outbox() if r.kind == "evaluation_nudge_1")
    await conv.press(ADMIN_ID, f"fu:m:{nudge.id}:7")
    [moved] = await outbox(type(nudge).id == nudge.id)
    assert moved.due_at == nudge.due_at + timedelta(days=7)
    await conv.press(ADMIN_ID, f"fu:x:{nudge.id}")
    [cancelled] = await outbox(type(nudge).id == nudge.id)
    assert cancelled.state == "cancelled"

    [refused] = await conv.send(4001, "/followups")
    assert refused.text == "This is only for programme staff."
