"""Process metrics for /metrics (Prometheus): updates by type, handler errors, webhook requests.

Every Application gets its own CollectorRegistry (in BotData), never the global one, so two
Applications in one process — tests, benchmarks — count separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter
from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.core.context import BotContext

# A group before the per-update context (-1), so even updates it stops are counted.
METRICS_GROUP = -2


@dataclass
class BotMetrics:
    """The counters of one Application, registered in its own registry."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.updates = Counter(
            "liaison_updates",
            "Updates dispatched to the handlers, by update type.",
            ["type"],
            registry=self.registry,
        )
        self.errors = Counter(
            "liaison_handler_errors",
            "Exceptions raised by handlers or jobs (reported to the error handlers).",
            registry=self.registry,
        )
        self.webhook_requests = Counter(
            "liaison_webhook_requests",
            "Requests to the webhook endpoint, by outcome.",
            ["outcome"],
            registry=self.registry,
        )


def update_type(update: object) -> str:
    """The kind of an update (`message`, `callback_query`, …), `unknown` if none is set."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
        return "unknown"
    return type(update).__name__


def get(app: Application) -> BotMetrics:
    """The Application's metrics (created on first use)."""
    found = app.bot_data.metrics
    if found is None:
        found = app.bot_data.metrics = BotMetrics()
    return found


def register(app: Application) -> None:
    """Count updates and errors of the Application."""
    metrics = get(app)

    async def count_update(update: object, context: BotContext) -> None:
        # Returns normally: the other groups still see the update.
        metrics.updates.labels(update_type(update)).inc()

    async def count_error(update: object, context: BotContext) -> None:
        # One more error handler; PTB runs every registered one, so the start feature's
        # handler still logs and answers the user.
        metrics.errors.inc()

    app.add_handler(TypeHandler(object, count_update), group=METRICS_GROUP)
    app.add_error_handler(count_error)
