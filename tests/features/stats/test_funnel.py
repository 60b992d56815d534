"""The follow-up funnel of a year, built through the real scheduler, sender and evaluation flow."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot import clock
from bot.features.followups import evaluation
from bot.features.followups.tick import run_tick
from bot.features.stats.service import year_stats
from tests.features.followups.test_schedule_fixtures import add_course, add_trainee

AFTER_COURSE = datetime(2018, 6, 4, 0, 0, tzinfo=UTC)
FOUR_MONTHS = datetime(2018, 10, 4, 1, 0, tzinfo=UTC)  # returns and evaluations both went out


async def _answer(person_id: int, course_id: int, statuses: list[str]) -> None:
    """Walk the evaluation as the trainee's buttons would: a status per action, skip the rest."""
    begun = await evaluation.begin(person_id, course_id)
    assert begun.outcome == "started" and begun.view is not None
    eval_id = begun.view.id
    for index, status in enumerate(statuses):
        assert await evaluation.choose(person_id, eval_id, "st", f"{index}:{status}")
        assert await evaluation.choose(person_id, eval_id, "sk", f"ev{index}")
    assert await evaluation.choose(person_id, eval_id, "rt", "4")
    view = await evaluation.choose(person_id, eval_id, "sk", "comment")
    if view is not None and view.current == "vol":  # asked only when an action is done
        view = await evaluation.choose(person_id, eval_id, "vo", "no")
    assert view is not None and view.completed_at is not None


async def test_funnel_counts_each_stage(conv):
    """Written 5 → returned 4 (one trainee blocked the bot) → answered 3 → applied 2."""
    course = await add_course()  # 27 May – 3 Jun 2018
    old = await add_course("T-2017", date(2017, 5, 1), date(2017, 5, 8))
    people = []
    for telegram_id in (4101, 4102, 4103, 4104):
        conv.user(telegram_id, f"T{telegram_id}", "en")
        people.append(await add_trainee(telegram_id, course, city=("kyiv", "Europe/Kyiv")))
    await add_trainee(4105, course, postcard="draft", actions=[])  # wrote nothing
    await add_trainee(4106, course, blocked=datetime(2018, 6, 1, tzinfo=UTC))  # never reached
    conv.user(4107, "Old", "en")
    await add_trainee(4107, old)  # another year's postcard: not in 2018's funnel
    clock.freeze(FOUR_MONTHS)
    await run_tick(conv.app.bot, conv.app.bot_data.outbox_senders, AFTER_COURSE)
    await run_tick(conv.app.bot, conv.app.bot_data.outbox_senders, FOUR_MONTHS)

    await _answer(people[0], course, ["done", "not_started"])
    await _answer(people[1], course, ["dropped", "in_progress"])
    await _answer(people[2], course, ["not_started", "dropped"])
    # people[3] started but did not finish: not answered.
    assert (await evaluation.begin(people[3], course)).outcome == "started"

    stats = (await year_stats(2018)).as_json()
    assert stats["funnel"] == {
        "postcards_written": 5,
        "postcards_returned": 4,
        "evaluations_answered": 3,
        "applied_at_home": 2,
    }
    assert stats["basis"] == "applications" and stats["trainees"] == 6
    assert stats["by_country"]["UA"] == {"cities": 1, "courses": 1, "trainees": 4}
    assert (await year_stats(2017)).as_json()["funnel"] == {
        "postcards_written": 1,
        "postcards_returned": 1,
        "evaluations_answered": 0,
        "applied_at_home": 0,
    }
