"""Two bot processes on one PostgreSQL: one send budget, every message exactly once."""

from __future__ import annotations

from bot.core.outbox import OutboxMessage
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery
from tests.faults.conftest import needs_pg
from tests.faults.helpers import Worker, broadcast, people, probes, received, states, wait_for

FOLLOW_UPS = 300
RECIPIENTS = 300


@needs_pg
async def test_two_processes_share_the_budget_and_send_everything_once(database, double, tmp_path):
    """A burst of follow-ups and a broadcast through two processes: once each, ≤ 30/s."""
    follow = await people(double, 3_000_000, FOLLOW_UPS)
    audience = await people(double, 4_000_000, RECIPIENTS)
    sender = await people(double, 5_000_000, 1)
    await probes(follow, "follow-up")
    bid = await broadcast(audience, sender[5_000_000], paid=False, text="Forum, 18 October")
    workers = [
        Worker(double, database, tmp_path / "a.log"),
        Worker(double, database, tmp_path / "b.log", FAULT_POLL="0"),
    ]
    for worker in workers:
        await worker.start()

    async def settled() -> bool:
        outbox = await states(OutboxMessage)
        deliveries = await states(BroadcastDelivery, broadcast_id=bid)
        return outbox["sent"] == FOLLOW_UPS and deliveries["sent"] == RECIPIENTS

    try:
        assert await wait_for(settled, 75), (await states(OutboxMessage), double.counters)
        assert await wait_for(lambda: _state(bid, "done"), 15), "the broadcast was not marked done"
    finally:
        codes = [await worker.stop() for worker in workers]
    assert codes == [0, 0], f"unclean exit; see {tmp_path}/*.log"

    follow_ups = received(double, "follow-up")
    broadcasts = received(double, "Forum, 18 October")
    assert set(follow_ups) == set(follow) and max(follow_ups.values()) == 1
    assert set(broadcasts) == set(audience) and max(broadcasts.values()) == 1
    window = double.max_per_window()
    stamps = sorted(t for t, *_ in double.arrivals)
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    print(
        f"\ntwo processes: {len(stamps)} sends in {stamps[-1] - stamps[0]:.1f} s, "
        f"mean {rate:.1f}/s, max {window} in any 1 s window, 429s {double.counters['429']}"
    )
    limited = [(t, m, c) for t, m, c, status in double.arrivals if status == 429]
    assert not limited, (limited, [a for a in double.arrivals if abs(a[0] - limited[0][0]) < 1])
    assert window <= 30
    by_worker = await _claimed_by(bid)
    assert len(by_worker) == 2, f"both processes should have sent: {by_worker}"


async def _state(bid: int, wanted: str) -> bool:
    from bot import db

    async with db.session_scope() as s:
        return (await s.get(Broadcast, bid)).state == wanted


async def _claimed_by(bid: int) -> dict[str, int]:
    """Sends per process (hostname:pid), from the rows' claimed_by."""
    from collections import Counter

    from sqlalchemy import select

    from bot import db

    async with db.session_scope() as s:
        outbox = await s.scalars(select(OutboxMessage.claimed_by))
        deliveries = await s.scalars(
            select(BroadcastDelivery.claimed_by).where(BroadcastDelivery.broadcast_id == bid)
        )
        owners = [o for o in [*outbox, *deliveries] if o]
    return dict(Counter(owner.split("/")[0] for owner in owners))
