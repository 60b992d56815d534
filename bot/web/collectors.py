"""Metrics read at scrape time: the flood limiter, the update queue, the outbox backlog and
running broadcasts.

Prometheus collectors are synchronous, the database is not: `/metrics` first awaits
`StateSnapshot.refresh()` (cached for a few seconds, so a scraper hammering the endpoint
costs one query per interval), then the collector reads the cached figures.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application

from bot.clock import utcnow
from bot.core.outbox import OutboxMessage
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery

log = logging.getLogger(__name__)


@dataclass
class StateSnapshot:
    """Outbox and broadcast figures from the database, refreshed at most every `ttl` s."""

    engine: Callable[[], AsyncEngine]
    ttl: float = 5.0
    outbox_due: int | None = None
    outbox_pending: int | None = None
    broadcasts: dict[int, dict[str, int]] = field(default_factory=dict)
    ok: bool = False
    taken_at: float = float("-inf")

    async def refresh(self) -> None:
        """Query the database unless the last snapshot is fresh; a failure marks it stale."""
        if time.monotonic() - self.taken_at < self.ttl:
            return
        self.taken_at = time.monotonic()
        try:
            async with self.engine().connect() as conn:
                pending = OutboxMessage.state == "pending"
                due = func.count().filter(OutboxMessage.due_at <= utcnow())
                row = (await conn.execute(select(due, func.count()).where(pending))).one()
                self.outbox_due, self.outbox_pending = int(row[0]), int(row[1])
                rows = await conn.execute(
                    select(BroadcastDelivery.broadcast_id, BroadcastDelivery.state, func.count())
                    .join(Broadcast, Broadcast.id == BroadcastDelivery.broadcast_id)
                    .where(Broadcast.state == "sending")
                    .group_by(BroadcastDelivery.broadcast_id, BroadcastDelivery.state)
                )
                progress: dict[int, dict[str, int]] = {}
                for broadcast_id, state, count in rows:
                    progress.setdefault(broadcast_id, {})[state] = int(count)
                self.broadcasts = progress
            self.ok = True
        except Exception as exc:  # a scrape must answer even when the database does not
            log.warning("metrics: database query failed: %s", type(exc).__name__)
            self.ok = False


class ApplicationCollector(Collector):
    """Gauges and counters read from the running Application and the last snapshot."""

    def __init__(self, application: Application, snapshot: StateSnapshot) -> None:
        self.application = application
        self.snapshot = snapshot

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        """Yield the current values (called by generate_latest)."""
        app = self.application
        yield GaugeMetricFamily(
            "liaison_update_queue_size",
            "Updates received but not yet dispatched.",
            value=app.update_queue.qsize(),
        )
        yield GaugeMetricFamily(
            "liaison_application_running", "1 while the dispatcher runs.", value=app.running
        )
        stats = getattr(app.bot.rate_limiter, "stats", None)
        if stats is not None:
            yield CounterMetricFamily(
                "liaison_telegram_sends",
                "Requests that send or edit a message (every attempt, retries included).",
                value=stats.sends,
            )
            yield CounterMetricFamily(
                "liaison_telegram_retry_after",
                "429 Too Many Requests answers received from Telegram.",
                value=stats.retry_afters,
            )
            yield CounterMetricFamily(
                "liaison_telegram_send_wait_seconds",
                "Seconds sends waited for the flood budget, summed over requests.",
                value=stats.waited,
            )
        snap = self.snapshot
        yield GaugeMetricFamily(
            "liaison_database_up", "1 if the last metrics query succeeded.", value=snap.ok
        )
        if snap.outbox_due is not None:
            yield GaugeMetricFamily(
                "liaison_outbox_due",
                "Follow-up messages pending and already due (the backlog).",
                value=snap.outbox_due,
            )
            yield GaugeMetricFamily(
                "liaison_outbox_pending",
                "Follow-up messages pending, due or not.",
                value=snap.outbox_pending or 0,
            )
        progress = GaugeMetricFamily(
            "liaison_broadcast_deliveries",
            "Deliveries of broadcasts being sent, by state.",
            labels=["broadcast_id", "state"],
        )
        for broadcast_id, states in sorted(snap.broadcasts.items()):
            for state, count in sorted(states.items()):
                progress.add_metric([str(broadcast_id), state], count)
        yield progress
