"""The webhook endpoint: the secret token, valid and broken bodies, /healthz and /metrics."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from bot.clock import utcnow
from bot.core.models import Person
from bot.core.outbox import OutboxMessage
from bot.db import make_engine, session_scope
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery
from bot.web.app import create_app, webhook_path
from tests.web.conftest import HOOK_PATH, SECRET, Web, person_count


def start_update(web: Web, user_id: int, text: str = "/start", lang: str = "es") -> dict:
    """A private message from a user the double knows."""
    web.conv.user(user_id, "Lucía", lang)
    return web.double.make_message_update(user_id, text)


@pytest.mark.parametrize("secret", [None, "wrong", SECRET[:-1], SECRET + "x", ""])
async def test_wrong_or_missing_secret_is_refused_and_nothing_happens(web: Web, secret):
    """Without the exact secret the update is refused with 403: no reply, no person row."""
    response = await web.post(start_update(web, 4242), secret=secret)
    await web.drain()
    assert response.status_code == 403
    assert web.double.sent == []
    assert await person_count() == 0
    assert web.counter("liaison_webhook_requests_total", outcome="forbidden") == 1
    assert web.counter("liaison_updates_total", type="message") == 0


async def test_right_secret_update_is_answered_through_the_double(web: Web):
    """The update is queued, dispatched and answered in the user's language."""
    response = await web.post(start_update(web, 4242))
    assert response.status_code == 200
    await web.drain()
    [reply] = [e for e in web.double.sent if e.chat_id == 4242]
    assert reply.text.startswith("¡Hola, Lucía!")
    assert await person_count() == 1
    assert web.counter("liaison_updates_total", type="message") == 1


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        (b"{not json", "malformed"),
        (b"\xff\xfe\x00", "malformed"),
        (b"[" * 100_000 + b"]" * 100_000, "malformed"),
        ([1, 2, 3], "malformed"),
        ({"update_id": "7", "message": {}}, "malformed"),
        ({"update_id": 7, "message": {"message_id": 1, "date": 0}}, "malformed"),
        ({"update_id": 7, "message": "hello"}, "malformed"),
        ({"update_id": 7, "callback_query": {"id": "1", "data": "lang:ru"}}, "malformed"),
        (b"x" * (2 << 20), "too_large"),
    ],
)
async def test_broken_bodies_get_a_4xx_never_a_5xx(web: Web, body, outcome):
    """Garbage is counted and refused; nothing reaches the handlers."""
    response = await web.post(body)
    await web.drain()
    assert 400 <= response.status_code < 500
    assert web.counter("liaison_webhook_requests_total", outcome=outcome) == 1
    assert web.counter("liaison_updates_total", type="message") == 0
    assert web.double.sent == []


async def test_unknown_update_type_is_accepted_and_ignored(web: Web):
    """A kind of update this PTB does not know is taken (200) and counted as `unknown`."""
    response = await web.post({"update_id": 5, "future_thing": {"id": 1}})
    await web.drain()
    assert response.status_code == 200
    assert web.counter("liaison_updates_total", type="unknown") == 1
    assert web.counter("liaison_handler_errors_total") == 0


async def test_healthz_reports_database_and_dispatcher(web: Web):
    """200 with the checks while everything runs."""
    response = await web.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "dispatcher": "running",
        "update_queue": 0,
    }


async def test_healthz_is_503_when_the_database_is_unreachable(web: Web):
    """An engine pointed at a closed port makes the check fail fast with 503."""
    dead = make_engine("postgresql+asyncpg://postgres@127.0.0.1:9/none")
    app = create_app(web.conv.app, web.settings, engine=lambda: dead)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        response = await client.get("/healthz")
        metrics_page = await client.get("/metrics")
    await dead.dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"].startswith("unreachable")
    assert body["dispatcher"] == "running"
    # /metrics still answers, saying the database is down.
    assert metrics_page.status_code == 200
    assert "liaison_database_up 0.0" in metrics_page.text


async def test_healthz_is_503_when_the_dispatcher_stopped(web: Web):
    """A stopped Application is unhealthy, and updates are refused with 503 for a retry."""
    await web.conv.app.stop()
    try:
        health = await web.client.get("/healthz")
        update = await web.post(start_update(web, 4242))
    finally:
        await web.conv.app.start()
    assert health.status_code == 503
    assert health.json()["dispatcher"] == "stopped"
    assert update.status_code == 503


def sample(text: str, name: str) -> float:
    """The value of the first sample line starting with `name` in a Prometheus page."""
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not exposed")


async def test_metrics_expose_counters_that_grow_with_updates(web: Web):
    """Updates, sends and webhook outcomes increase; backlog and queue gauges are there."""
    before = (await web.client.get("/metrics")).text
    assert sample(before, "liaison_handler_errors_total") == 0
    assert sample(before, "liaison_telegram_retry_after_total") == 0
    assert sample(before, "liaison_outbox_due") == 0
    assert sample(before, "liaison_update_queue_size") == 0
    sends = sample(before, "liaison_telegram_sends_total")
    for user_id in (4242, 4243):
        assert (await web.post(start_update(web, user_id))).status_code == 200
    await web.post(b"garbage")
    await web.drain()
    after = (await web.client.get("/metrics")).text
    assert 'liaison_updates_total{type="message"} 2.0' in after
    assert 'liaison_webhook_requests_total{outcome="accepted"} 2.0' in after
    assert 'liaison_webhook_requests_total{outcome="malformed"} 1.0' in after
    assert sample(after, "liaison_telegram_sends_total") >= sends + 2
    assert sample(after, "liaison_database_up") == 1


def test_webhook_path_comes_from_the_url():
    """The route is the WEBHOOK_URL's path; a bare host gets /telegram."""
    assert webhook_path("https://x.example/hooks/telegram/") == HOOK_PATH
    assert webhook_path("https://x.example") == "/telegram"
    assert webhook_path(None) == "/telegram"


async def test_metrics_show_the_follow_up_backlog_and_broadcast_progress(web: Web):
    """Due and pending outbox rows, and deliveries of a broadcast being sent, by state."""
    now = utcnow()
    async with session_scope() as session:
        person = Person(telegram_id=4242, locale="en")
        session.add(person)
        await session.flush()
        for n, due in enumerate((now - timedelta(hours=1), now + timedelta(days=30))):
            session.add(OutboxMessage(kind="test", chat_id=4242, due_at=due, key=f"k{n}"))
        sending = Broadcast(sender_id=person.id, state="sending")
        done = Broadcast(sender_id=person.id, state="done")
        session.add_all([sending, done])
        await session.flush()
        for n, state in enumerate(("pending", "pending", "sent", "failed")):
            session.add(BroadcastDelivery(broadcast_id=sending.id, chat_id=n, state=state))
        session.add(BroadcastDelivery(broadcast_id=done.id, chat_id=1, state="sent"))
        sending_id, done_id = sending.id, done.id
    page = (await web.client.get("/metrics")).text
    assert sample(page, "liaison_outbox_due") == 1
    assert sample(page, "liaison_outbox_pending") == 2
    label = f'liaison_broadcast_deliveries{{broadcast_id="{sending_id}",state='
    assert f'{label}"pending"}} 2.0' in page
    assert f'{label}"sent"}} 1.0' in page
    assert f'{label}"failed"}} 1.0' in page
    assert f'broadcast_id="{done_id}"' not in page  # finished broadcasts are not tracked
