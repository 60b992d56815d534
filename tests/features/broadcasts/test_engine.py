"""The broadcast engine through the real Application and the Bot API double."""

from __future__ import annotations

import asyncio

from bot import db
from bot.core.models import Person
from bot.features.broadcasts import engine
from tests.features.broadcasts.test_engine_fixtures import (
    SENDER,
    broadcast,
    deliveries,
    make_broadcast,
    received,
)


async def test_everyone_gets_their_version_once_and_the_sender_a_report(conv):
    """Russian recipients read the Russian version; the progress message ends with counts."""
    chats = [7000 + i for i in range(12)]
    bid = await make_broadcast(conv, chats, locale="ru")
    report = await engine.run_broadcast(conv.app, bid, concurrency=4)
    assert (report.state, report.sent, report.remaining, report.possible_duplicates) == (
        "done",
        12,
        0,
        0,
    )
    assert received(conv, chats) == dict.fromkeys(chats, 1)
    assert conv.double.last_message(7000, from_bot=True)["text"] == "Форум 18 октября"
    row = await broadcast(bid)
    assert row.state == "done" and row.finished_at is not None
    final = conv.double.last_message(SENDER, from_bot=True)["text"]
    assert final == f"Broadcast #{bid} finished: sent 12, failed 0, blocked 0, skipped 0."


async def test_blocked_users_are_marked_not_retried_and_skipped_next_time(conv):
    """A 403 storm: 20 blocked, the rest sent; the next broadcast skips the 20."""
    chats = [7100 + i for i in range(30)]
    for chat in chats[:20]:
        conv.double.block(chat)
    bid = await make_broadcast(conv, chats)
    report = await engine.run_broadcast(conv.app, bid)
    assert (report.sent, report.blocked, report.failed) == (10, 20, 0)
    assert conv.double.counters["403"] == 20  # each tried once
    async with db.session_scope() as s:
        from sqlalchemy import func, select

        marked = await s.scalar(select(func.count()).where(Person.blocked_at.is_not(None)))
    assert marked == 20
    # A later broadcast whose deliveries were written before they blocked: skipped, not sent.
    again = await make_broadcast(conv, [7200, 7201], progress=False)
    async with db.session_scope() as s:
        from sqlalchemy import update

        from bot.features.broadcasts.models import BroadcastDelivery

        await s.execute(
            update(BroadcastDelivery)
            .where(BroadcastDelivery.broadcast_id == again, BroadcastDelivery.chat_id == 7200)
            .values(chat_id=chats[0], person_id=select(Person.id).where(
                Person.telegram_id == chats[0]).scalar_subquery())
        )  # fmt: skip
    second = await engine.run_broadcast(conv.app, again)
    assert (second.sent, second.skipped, second.blocked) == (1, 1, 0)
    assert conv.double.counters["403"] == 20


async def test_a_429_storm_is_waited_out_and_everyone_gets_one_message(conv):
    """Several 429s: the limiter pauses and retries; every recipient gets exactly one."""
    chats = [7300 + i for i in range(10)]
    bid = await make_broadcast(conv, chats)
    for chat in chats[:3]:
        conv.double.inject_fault(chat_id=chat, status=429, retry_after=1)
    report = await engine.run_broadcast(conv.app, bid)
    assert report.sent == 10 and report.remaining == 0
    assert received(conv, chats) == dict.fromkeys(chats, 1)
    assert conv.double.counters["429"] == 3


async def test_network_errors_back_off_then_fail(conv, monkeypatch):
    """5xx: retried after a back-off; a chat that never answers fails after N attempts."""
    from bot.features.broadcasts import engine_send

    monkeypatch.setattr(engine_send, "BACKOFF_BASE", 0.05)
    monkeypatch.setattr(engine_send, "MAX_ATTEMPTS", 3)
    chats = [7400, 7401]
    bid = await make_broadcast(conv, chats, progress=False)
    conv.double.inject_fault(chat_id=7400, status=502, count=1)
    conv.double.inject_fault(chat_id=7401, status=502, count=10)
    report = await engine.run_broadcast(conv.app, bid)
    assert (report.sent, report.failed) == (1, 1)
    assert await deliveries(bid) == {7400: "sent", 7401: "failed"}


async def test_cancel_while_running_stops_within_a_batch(conv):
    """Cancelled mid-way: the runner stops, the rest stays pending, the state cancelled."""
    chats = [7500 + i for i in range(60)]
    bid = await make_broadcast(conv, chats)
    conv.double.gate.close(after=10)  # sends in flight when the cancel comes
    task = asyncio.create_task(engine.run_broadcast(conv.app, bid, concurrency=4))
    await asyncio.wait_for(conv.double.gate.wait_held(), 10)
    assert await engine.launch(conv.app, bid) is task  # one runner per broadcast
    async with db.session_scope() as s:
        row = await s.get(type(await broadcast(bid)), bid)
        row.state = "cancelled"
    conv.double.gate.open()
    report = await asyncio.wait_for(task, 10)
    assert report.state == "cancelled"
    assert 0 < report.sent < 60 and report.sent + report.remaining == 60
    assert set((await deliveries(bid)).values()) == {"sent", "pending"}
    assert "cancelled" in conv.double.last_message(SENDER, from_bot=True)["text"]


async def test_photo_with_a_long_text_goes_as_photo_then_text(conv):
    """Caption ≤ 1024: one file with caption; longer: the file, then the text; paid flag."""
    conv.double.add_private_chat(SENDER)
    uploaded = await conv.app.bot.send_document(SENDER, b"programme", filename="forum.txt")
    file = {"kind": "document", "file_id": uploaded.document.file_id}
    short = await make_broadcast(
        conv, [7600], attachment=file, paid=True,
        progress=False,
    )  # fmt: skip
    await engine.run_broadcast(conv.app, short)
    [event] = [e for e in conv.double.sent if e.chat_id == 7600]
    assert (event.method, event.text, event.paid) == ("sendDocument", "Forum on 18 October", True)
    long = await make_broadcast(
        conv, [7601], attachment=file,
        texts={"en": "x" * 1500}, progress=False,
    )  # fmt: skip
    await engine.run_broadcast(conv.app, long)
    methods = [(e.method, len(e.text or "")) for e in conv.double.sent if e.chat_id == 7601]
    assert methods == [("sendDocument", 0), ("sendMessage", 1500)]
