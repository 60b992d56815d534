"""The /broadcast wizard through the bot: scope, count, versions, preview, send, schedule."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot import clock, db
from bot.core.models import AuditEntry
from bot.dev.harness import conversation
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery
from tests.features.broadcasts.broadcast_fixtures import (
    CITYNET_COURSE,
    OTHER_COURSE,
    apply,
    course_id,
    make_liaison,
    person,
)

T0 = datetime(2018, 4, 2, 1, 0, tzinfo=UTC)
LIAISON = 500


async def _cohort(conv) -> None:
    """Three accepted trainees of the CITYNET course: English, Chinese and Russian."""
    for tg, loc in ((101, "en"), (102, "zh"), (103, "ru")):
        await apply(await person(tg, loc), CITYNET_COURSE)
        conv.user(tg, f"T{tg}", lang=loc)
    await make_liaison(LIAISON)
    conv.user(LIAISON, "Liaison", lang="en")


async def _write(conv) -> None:
    """/broadcast → cohort of 2018-04 → English text → Chinese version."""
    events = await conv.send(LIAISON, "/broadcast")
    assert "It reaches 0 recipients." in events[-1].text
    await conv.press(LIAISON, "br:k:c")
    events = await conv.press(LIAISON, f"br:t:c:{await course_id(CITYNET_COURSE)}")
    assert "It reaches 3 recipients." in events[-1].text
    events = await conv.press(LIAISON, "br:m")
    assert "Courses: 2018-04 (accepted)" in events[-1].text
    events = await conv.press(LIAISON, "br:w")
    assert "4,096" in events[-1].text
    events = await conv.send(LIAISON, "Welcome to the transport course!")
    assert "Versions written: English." in events[-1].text
    await conv.press(LIAISON, "br:v:zh")
    events = await conv.send(LIAISON, "欢迎参加交通课程！")
    assert "Versions written: English, 中文." in events[-1].text


async def _deliveries(broadcast_id: int) -> dict[int, str]:
    async with db.session_scope() as s:
        rows = await s.scalars(
            select(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == broadcast_id)
        )
        return {d.chat_id: d.locale for d in rows}


async def test_liaison_sends_cohort_two_versions(conv, sample):
    """Preview per version, send now: deliveries in each recipient's version."""
    clock.freeze(T0)
    await _cohort(conv)
    await _write(conv)
    events = await conv.press(LIAISON, "br:pv")
    texts = [e.text for e in events if e.chat_id == LIAISON]
    assert texts[:4] == [
        "Preview — English version:",
        "Welcome to the transport course!",
        "Preview — 中文 version:",
        "欢迎参加交通课程！",
    ]
    assert "It reaches 3 recipients." in texts[-1]
    events = await conv.press(LIAISON, "br:go")
    progress = [e for e in events if e.chat_id == LIAISON and e.text.startswith("Sending")]
    assert progress and progress[0].buttons[0][0]["data"].startswith("br:stop:")
    async with db.session_scope() as s:
        [row] = list(await s.scalars(select(Broadcast)))
        [entry] = list(await s.scalars(select(AuditEntry).where(
            AuditEntry.action == "broadcast.send")))  # fmt: skip
    assert row.state in ("sending", "done") and row.started_at is not None
    assert row.progress_chat_id == LIAISON and entry.target_id == str(row.id)
    # The Russian trainee has no version of their own: the sender's (English).
    assert await _deliveries(row.id) == {101: "en", 102: "zh", 103: "en"}
    from bot.features.broadcasts import sending

    assert await sending.materialise(row.id) == 0  # idempotent
    assert len(await _deliveries(row.id)) == 3
    try:
        from bot.features.broadcasts import engine  # noqa: F401
    except ImportError:
        return
    for _ in range(50):  # the engine sends in the background
        got = {c: conv.double.last_message(c, from_bot=True) for c in (101, 102)}
        if all(got.values()):
            break
        import asyncio

        await asyncio.sleep(0.1)
    assert got[101]["text"] == "Welcome to the transport course!"
    assert got[102]["text"] == "欢迎参加交通课程！"


async def test_schedule_then_cancel_and_resume_after_restart(conv, sample, settings):
    """The draft survives a new Application; a past time is refused; cancel from /broadcasts."""
    clock.freeze(T0)
    await _cohort(conv)
    await _write(conv)
    async with conversation(settings, double=conv.double) as again:
        events = await again.send(LIAISON, "/broadcast")
        assert "Versions written: English, 中文." in events[-1].text
        await again.press(LIAISON, "br:pv")
        events = await again.press(LIAISON, "br:sc")
        assert "Seoul time" in events[-1].text
        events = await again.send(LIAISON, "2018-04-01 09:00")
        assert "in the future" in events[-1].text
        events = await again.send(LIAISON, "2018-04-05 09:00")
        assert events[-1].text.startswith("Scheduled for")
        async with db.session_scope() as s:
            [row] = list(await s.scalars(select(Broadcast)))
        assert row.state == "scheduled"
        assert row.scheduled_at == datetime(2018, 4, 5, 0, 0, tzinfo=UTC)
        events = await again.send(LIAISON, "/broadcasts")
        assert f"#{row.id}" in events[-1].text
        await again.press(LIAISON, f"br:x:{row.id}")
        async with db.session_scope() as s:
            row = await s.get(Broadcast, row.id)
            actions = list(await s.scalars(select(AuditEntry.action)))
        assert row.state == "cancelled"
        assert {"broadcast.schedule", "broadcast.cancel"} <= set(actions)


async def test_forged_data_and_strangers_refused(conv, sample):
    """A course outside the scope, unknown br: data, a trainee's /broadcast: all refused."""
    await _cohort(conv)
    await conv.send(LIAISON, "/broadcast")
    message_id = conv.double.last_message(LIAISON, from_bot=True)["message_id"]
    await conv.press_data(LIAISON, message_id, f"br:t:c:{await course_id(OTHER_COURSE)}")
    assert "2018-01 is not one of them" in conv.double.callback_answers[-1]["text"]
    await conv.press_data(LIAISON, message_id, "br:t:c:99999")
    assert "no longer valid" in conv.double.callback_answers[-1]["text"]
    await conv.press_data(LIAISON, message_id, "br:drop:table")
    assert "no longer valid" in conv.double.callback_answers[-1]["text"]
    await conv.press_data(LIAISON, message_id, "br:p")  # paid is a staff setting
    assert "Only programme staff" in conv.double.callback_answers[-1]["text"]
    events = await conv.send(101, "/broadcast")
    assert events[-1].text == "Broadcasts are only for liaison officers and programme staff."
    await conv.press_data(101, message_id, "br:go", chat_id=LIAISON)
    assert "only for liaison" in conv.double.callback_answers[-1]["text"]
    events = await conv.send(LIAISON, "/cancel")
    assert events[-1].text == "The draft was discarded."
