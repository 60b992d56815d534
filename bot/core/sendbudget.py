"""A send budget shared by every instance of the bot on one PostgreSQL database.

Telegram limits the bot, not the process: two instances that each pace themselves to 30
messages a second send 60 and collect 429s. `SharedBudget` keeps one schedule for the whole
bot in a single row of `send_budget`: two virtual clocks ("theoretical arrival times" of a
GCRA token bucket), one for ordinary sends (30/s) and one for paid broadcasts (1000/s), in
seconds of the database's own clock (``clock_timestamp()``), so instances on different hosts
agree without synchronised clocks. Booking `n` slots is one atomic UPDATE … RETURNING:
start = max(now, next free instant), next free instant += n × interval. The instance then
sends at start, start + interval, … translated to its own monotonic clock.

Why a schedule and not a counter per clock second: Telegram's window slides, so a counter
that resets at whole seconds lets 30 sends in at the end of one second and 30 more at the
start of the next. Booked slots are evenly spaced across all instances, exactly like the
local limiter's pacing, and there is one row per bot instead of one per second, so there is
nothing to clean up. A 429 seen by any instance pushes both clocks past ``retry_after``, so
every instance pauses, as Telegram pauses the whole bot.

Paid and ordinary sends share Telegram's one-second count: an ordinary send also uses a paid
slot, and a paid send pushes the ordinary clock forward (by at most one second ahead of it),
so ordinary sends wait while a paid broadcast uses more than 30 a second.

Round trips: ordinary sends book one slot per request (30 queries a second at most); paid
sends book up to `paid_chunk` slots at once, as many as callers are waiting. If the database
cannot be reached within `timeout`, the instance falls back to a local pace of 1/`share` of
the budget (logged once per outage) and tries the database again after `RETRY_SECONDS`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Float, String, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, make_engine

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0  # how long to pace locally before trying the database again
STALE_SECONDS = 0.05  # a slot that passed this long ago is dropped, not used late


class SendBudget(Base):
    """The bot's shared send schedule: when the next ordinary and paid send may go."""

    __tablename__ = "send_budget"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Seconds since the epoch on the database clock (double precision: sub-microsecond).
    ordinary_at: Mapped[float] = mapped_column(Float, default=0.0)
    paid_at: Mapped[float] = mapped_column(Float, default=0.0)


_NOW = "(SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8 AS now) AS c"
_ENSURE = text(
    "INSERT INTO send_budget (name, ordinary_at, paid_at) VALUES (:name, 0, 0) "
    "ON CONFLICT (name) DO NOTHING"
)
_BOOK_ORDINARY = text(
    "UPDATE send_budget AS b SET "
    "ordinary_at = GREATEST(b.ordinary_at, c.now) + CAST(:do AS float8), "
    "paid_at = GREATEST(b.paid_at, b.ordinary_at, c.now) + CAST(:dp AS float8) "
    f"FROM {_NOW} WHERE b.name = :name "
    "RETURNING b.ordinary_at - CAST(:do AS float8) AS start, c.now AS now"
)
_BOOK_PAID = text(
    "UPDATE send_budget AS b SET "
    "paid_at = GREATEST(b.paid_at, c.now) + CAST(:dp AS float8), "
    "ordinary_at = GREATEST(b.ordinary_at, LEAST("
    "GREATEST(b.ordinary_at, b.paid_at, c.now) + CAST(:do AS float8), "
    "GREATEST(b.paid_at, c.now) + 1.0)) "
    f"FROM {_NOW} WHERE b.name = :name "
    "RETURNING b.paid_at - CAST(:dp AS float8) AS start, c.now AS now"
)
_PAUSE = text(
    "UPDATE send_budget AS b SET "
    "ordinary_at = GREATEST(b.ordinary_at, c.now + CAST(:s AS float8)), "
    "paid_at = GREATEST(b.paid_at, c.now + CAST(:s AS float8)) "
    f"FROM {_NOW} WHERE b.name = :name"
)


@dataclass
class _Kind:
    """Slots booked but not yet handed out, for ordinary or for paid sends."""

    interval: float
    chunk: int
    slots: deque[float] = field(default_factory=deque)
    waiting: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class BudgetStats:
    """What the budget did, for tests and logs."""

    bookings: int = 0  # database round trips that booked slots
    slots: int = 0
    fallbacks: int = 0  # times the database was unreachable and local pacing took over


class SharedBudget:
    """Hands out send slots booked in the database; `slot(paid)` returns a local instant."""

    def __init__(
        self,
        url: str,
        *,
        per_second: float = 30.0,
        paid_per_second: float = 1000.0,
        margin: float = 0.9,
        share: int = 2,
        paid_chunk: int = 50,
        timeout: float = 2.0,
        name: str = "telegram",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url, self.name, self.timeout, self._clock = url, name, timeout, clock
        self._io = 1.0 / (per_second * margin)
        self._ip = 1.0 / (paid_per_second * margin)
        self._kinds = {False: _Kind(self._io, 1), True: _Kind(self._ip, paid_chunk)}
        # Fallback pacing: this instance's share of the budget, spaced evenly.
        self._local = {False: self._io * share, True: self._ip * share}
        self._local_next = {False: 0.0, True: 0.0}
        self._engine: AsyncEngine | None = None
        self._offline_until = 0.0
        self.offline = False
        self.stats = BudgetStats()

    async def initialize(self) -> None:
        """Open a small pool of its own (sends must not wait behind the app's queries)."""
        self._engine = make_engine(
            self.url,
            pool_size=2,
            max_overflow=2,
            pool_timeout=self.timeout,
            connect_args={"timeout": self.timeout, "command_timeout": self.timeout},
        )
        try:
            await self._run(_ENSURE, {"name": self.name})
        except Exception as exc:
            self._go_offline(exc)

    async def shutdown(self) -> None:
        """Close the pool."""
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    async def _run(self, stmt, params: dict):
        assert self._engine is not None, "SharedBudget.initialize() was not called"

        async def go():
            async with self._engine.begin() as conn:  # type: ignore[union-attr]
                result = await conn.execute(stmt, params)
                return result.first() if result.returns_rows else None

        return await asyncio.wait_for(go(), self.timeout)

    def _go_offline(self, exc: BaseException) -> None:
        self._offline_until = self._clock() + RETRY_SECONDS
        if not self.offline:
            self.offline = True
            self.stats.fallbacks += 1
            log.warning(
                "send budget database unavailable (%s); pacing locally at 1/%d of the budget",
                exc or type(exc).__name__,
                round(self._local[False] / self._io),
            )

    async def slot(self, paid: bool) -> float:
        """The local monotonic instant at which this caller may send (wait until then)."""
        kind = self._kinds[paid]
        kind.waiting += 1
        try:
            async with kind.lock:
                now = self._clock()
                while kind.slots and kind.slots[0] < now - STALE_SECONDS:
                    kind.slots.popleft()
                if not kind.slots:
                    await self._book(kind, paid, min(kind.chunk, kind.waiting))
                return kind.slots.popleft()
        finally:
            kind.waiting -= 1

    async def _book(self, kind: _Kind, paid: bool, n: int) -> None:
        if self._clock() >= self._offline_until:
            params = {"name": self.name, "do": n * self._io, "dp": n * self._ip}
            try:
                row = await self._run(_BOOK_PAID if paid else _BOOK_ORDINARY, params)
                if row is None:  # the row vanished (table truncated): recreate and retry
                    await self._run(_ENSURE, {"name": self.name})
                    row = await self._run(_BOOK_PAID if paid else _BOOK_ORDINARY, params)
            except Exception as exc:  # any database failure: keep sending, slower
                self._go_offline(exc)
            else:
                if row is not None:
                    if self.offline:
                        self.offline = False
                        log.warning("send budget database reachable again; sharing resumed")
                    start = self._clock() + max(0.0, float(row.start) - float(row.now))
                    kind.slots.extend(start + i * kind.interval for i in range(n))
                    self.stats.bookings += 1
                    self.stats.slots += n
                    return
        # Offline: this instance's share, so N instances together stay under the ceiling.
        start = max(self._clock(), self._local_next[paid])
        self._local_next[paid] = start + self._local[paid]
        kind.slots.append(start)

    async def pause(self, seconds: float) -> None:
        """A 429: push every instance's schedule past `seconds` from now (best effort)."""
        if self.offline:
            return
        try:
            await self._run(_PAUSE, {"name": self.name, "s": seconds})
        except Exception as exc:
            self._go_offline(exc)
        for kind in self._kinds.values():
            kind.slots.clear()  # slots booked before the pause would land inside it
