"""A clean stop hands claimed outbox rows back at once (on both databases)."""

from __future__ import annotations

from bot.clock import utcnow
from bot.core import lifecycle
from bot.core.outbox import OutboxMessage
from bot.core.outbox_dispatch import _IN_FLIGHT, claim
from tests.faults.helpers import PROBE, people, probes, states


async def test_stop_callbacks_release_claimed_rows_but_not_the_one_in_flight(bot_app, double):
    """Five rows claimed, one of them being sent: four go back to pending, one stays."""
    await probes(await people(double, 500, 5))
    claimed = await claim([PROBE], utcnow(), 10)
    assert len(claimed) == 5 and (await states(OutboxMessage))["sending"] == 5
    _IN_FLIGHT.add(claimed[0].id)
    try:
        await lifecycle.run_stop_callbacks(bot_app)
    finally:
        _IN_FLIGHT.discard(claimed[0].id)
    assert await states(OutboxMessage) == {"pending": 4, "sending": 1}
