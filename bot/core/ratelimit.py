"""One flood-control budget shared by every request the bot sends, in every instance.

Handlers' replies, outbox follow-ups, relayed answers and broadcasts all go through the same
`Bot`, so installing `FloodControl` as the Application's rate limiter paces all of them
together against Telegram's limits:

* globally at most `per_second` sends per second (30 by default), spaced evenly rather than
  in bursts, and requests with ``allow_paid_broadcast`` at most `paid_per_second` (1000);
* per private chat about one message per second with a small burst;
* per group, supergroup or channel at most `group_per_minute` messages in any minute.

Telegram counts a request when it arrives, not when we release it, so evenly spaced releases
can still bunch up on arrival and put one request too many into a second; one 429 then costs
a whole `retry_after` of silence. Two guards keep the sender just under the ceiling: the
pace itself is a little lower (`margin`), and a request is only released while fewer than
the limit are in flight or were answered within the last second — Telegram stamped each of
those before its answer came back, so that count can never be below Telegram's own.
Like Telegram (and the Bot API double), paid and ordinary sends share that one-second count:
ordinary sends wait while a paid broadcast uses more than 30 a second.

When Telegram answers 429 anyway, every send of the bot pauses until `retry_after` has
passed (Telegram pauses the whole bot, not one chat) and the request is retried, at most
`max_retries` times before `RetryAfter` reaches the caller. Methods that send nothing
(getUpdates, answerCallbackQuery, getMe, setMyCommands, sendChatAction, …) are never held.

Where the global pace lives (SEND_BUDGET, see `for_settings`): "local" keeps it in this
process, which is right for a single instance. "database" (the default on PostgreSQL) books
every global slot in the database (bot.core.sendbudget.SharedBudget), so several instances
on one PostgreSQL share one 30/s (and 1000/s paid) budget and one 429 pause; per-chat and
per-group pacing stay local, since one chat's updates are handled by whichever instance
got them and the per-chat limits are far from the global one. If the database cannot be
reached, each instance paces itself at a fraction of the budget until it can.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.config import Settings
from bot.core.sendbudget import SharedBudget

log = logging.getLogger(__name__)

# Methods Telegram counts against the flood limits (everything that posts or edits a message).
_SENDING_PREFIXES = ("send", "copymessage", "forwardmessage", "editmessage", "stopmessagelive")
_NOT_SENDING = frozenset({"sendchataction"})
_PAUSE_SLACK = 0.05  # Telegram's retry_after is whole seconds; wake just after it
_LATE = 0.05  # a shared slot used later than this is given up (it would crowd the next one)
_MAX_LATE = 3  # …at most this often per request, so a saturated CPU still sends


def retry_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asked us to wait (read without PTB's deprecated int accessor)."""
    value = getattr(exc, "_retry_after", None)
    if value is None:
        value = exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def is_sending(endpoint: str) -> bool:
    """True for Bot API methods that deliver or edit a message (those Telegram throttles)."""
    name = endpoint.lower()
    return name.startswith(_SENDING_PREFIXES) and name not in _NOT_SENDING


# The share of a private chat's allowed rate the limiter uses (see FloodControl.__init__).
PRIVATE_MARGIN = 0.9


class Pacer:
    """A reserving token bucket (GCRA): each caller books the next free instant.

    Booking instead of polling keeps callers in arrival order and wakes each one once,
    which matters at 1000 requests per second.
    """

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.interval = 1.0 / rate
        self.tolerance = (max(burst, 1) - 1) * self.interval
        self.tat = 0.0  # theoretical arrival time of the next request

    def reserve(self, now: float) -> float:
        """Book a slot no earlier than `now`; returns when the caller may go."""
        start = max(now, self.tat - self.tolerance)
        self.tat = max(self.tat, start) + self.interval
        return start

    def idle(self, now: float) -> bool:
        """True once the bucket is full again (the entry can be forgotten)."""
        return self.tat <= now


@dataclass
class LimiterStats:
    """What the limiter did, for benchmarks and tests."""

    sends: int = 0
    retry_afters: int = 0
    waited: float = 0.0  # summed over requests, so it can exceed wall time
    late_slots: int = 0  # shared slots given up because the event loop woke too late


class FloodControl(BaseRateLimiter[int]):
    """Paces every sending request of the bot; `rate_limit_args` overrides `max_retries`."""

    def __init__(
        self,
        *,
        per_second: float = 30.0,
        paid_per_second: float = 1000.0,
        private_per_second: float = 1.0,
        private_burst: int = 3,
        group_per_minute: int = 20,
        group_window: float = 60.0,
        margin: float = 0.99,
        max_retries: int = 3,
        budget: SharedBudget | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self.budget = budget  # global pacing shared with other instances, if any
        self._global = Pacer(per_second * margin)
        self._paid = Pacer(paid_per_second * margin)
        self._limits = {False: int(per_second), True: int(paid_per_second)}
        self._answered: deque[float] = deque()  # when each send of the last second came back
        self._inflight = 0
        self._freed = asyncio.Event()
        # A private chat's sends are a second apart, so a few milliseconds of jitter between
        # leaving here and arriving at Telegram (a loaded machine, a slow network) would make
        # 1 % slack too little: 10 % costs a tenth of a second per message to one person.
        self._private_rate = private_per_second * min(margin, PRIVATE_MARGIN)
        self._private_burst = private_burst
        self._private: dict[int, Pacer] = {}
        self._group_limit = group_per_minute
        self._group_span = group_window / margin
        self._groups: dict[int | str, deque[float]] = {}
        self._group_locks: dict[int | str, asyncio.Lock] = {}
        self._max_retries = max_retries
        self._pause_until = 0.0
        self.stats = LimiterStats()

    async def initialize(self) -> None:
        """Connect the shared budget, if any (the local state lives in memory)."""
        if self.budget is not None:
            await self.budget.initialize()

    async def shutdown(self) -> None:
        """Close the shared budget's connections, if any."""
        if self.budget is not None:
            await self.budget.shutdown()

    @property
    def paused_for(self) -> float:
        """Seconds left in the current global pause after a 429 (0 when sending freely)."""
        return max(0.0, self._pause_until - self._clock())

    def pause(self, seconds: float) -> None:
        """Hold every send for `seconds` (Telegram silences the whole bot after a 429)."""
        until = self._clock() + seconds + _PAUSE_SLACK
        self._pause_until = max(self._pause_until, until)
        for pacer in (self._global, self._paid):
            # Requests released right after the pause must still be spaced evenly.
            pacer.tat = max(pacer.tat, self._pause_until)

    async def _sleep_until(self, instant: float) -> None:
        delay = instant - self._clock()
        if delay > 0:
            self.stats.waited += delay
            await asyncio.sleep(delay)

    def _private_pacer(self, chat_id: int) -> Pacer:
        pacer = self._private.get(chat_id)
        if pacer is None:
            if len(self._private) > 4096:
                # Forget chats whose bucket is full again: they behave like new ones.
                now = self._clock()
                self._private = {k: p for k, p in self._private.items() if not p.idle(now)}
            pacer = self._private[chat_id] = Pacer(self._private_rate, self._private_burst)
        return pacer

    async def _group_slot(self, chat: int | str) -> None:
        # A sliding window like Telegram's; a lock per group keeps its senders in order.
        lock = self._group_locks.setdefault(chat, asyncio.Lock())
        async with lock:
            stamps = self._groups.setdefault(chat, deque())
            while True:
                now = self._clock()
                while stamps and stamps[0] <= now - self._group_span:
                    stamps.popleft()
                if len(stamps) < self._group_limit:
                    stamps.append(now)
                    return
                await self._sleep_until(stamps[0] + self._group_span)

    async def _acquire(self, chat: int | str | None, paid: bool) -> None:
        # The chat's own limit first, so a request waiting for its chat holds no global slot.
        if isinstance(chat, int) and chat > 0:
            await self._sleep_until(self._private_pacer(chat).reserve(self._clock()))
        elif chat is not None:
            await self._group_slot(chat)
        pacer = self._paid if paid else self._global
        late = 0
        while True:
            if self.budget is not None:
                start = await self.budget.slot(paid)
                if start < self._pause_until:
                    # Booked before a 429 paused the bot: using it late would bunch sends.
                    await self._sleep_until(self._pause_until)
                    continue
                await self._sleep_until(start)
                if self._clock() - start > _LATE and late < _MAX_LATE:
                    # A busy event loop woke us late: sending now would crowd the next
                    # instance's slot, so give this one up and book another.
                    late += 1
                    self.stats.late_slots += 1
                    continue
            else:
                start = pacer.reserve(max(self._clock(), self._pause_until))
            await self._sleep_until(start)
            # A 429 that arrived while we slept moved the pause past our slot: book again.
            if self._clock() + 1e-3 >= self._pause_until:
                break
        await self._window_slot(self._limits[paid])

    async def _window_slot(self, limit: int) -> None:
        while True:
            now = self._clock()
            while self._answered and self._answered[0] <= now - 1.0:
                self._answered.popleft()
            if self._inflight + len(self._answered) < limit:
                self._inflight += 1
                return
            # Rare: arrivals bunched up. Wait for the oldest to leave the window or an answer.
            self._freed.clear()
            delay = self._answered[0] + 1.0 - now if self._answered else 1.0
            started = self._clock()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._freed.wait(), max(delay, 0.001))
            self.stats.waited += self._clock() - started

    def _answer(self) -> None:
        self._inflight -= 1
        self._answered.append(self._clock())
        self._freed.set()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for a slot, make the request, and on 429 pause everything and retry."""
        if not is_sending(endpoint):
            return await callback(*args, **kwargs)
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        chat: int | str | None = data.get("chat_id")
        with contextlib.suppress(TypeError, ValueError):
            chat = int(chat)  # type: ignore[arg-type]  # ids may come as strings
        paid = bool(data.get("allow_paid_broadcast"))
        attempt = 0
        while True:
            await self._acquire(chat, paid)
            self.stats.sends += 1
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as exc:
                self._answer()
                self.stats.retry_afters += 1
                seconds = retry_seconds(exc)
                self.pause(seconds)
                if self.budget is not None:
                    await self.budget.pause(seconds)  # every instance pauses, as Telegram does
                if attempt >= retries:
                    log.warning("429 on %s after %d retries; giving up", endpoint, retries)
                    raise
                attempt += 1
                log.info("429 on %s: every send paused for %.1f s", endpoint, seconds)
            except BaseException:
                self._answer()
                raise
            else:
                self._answer()
                return result


def for_settings(settings: Settings, *, max_retries: int = 3) -> FloodControl:
    """The limiter SEND_BUDGET asks for: local, or the global pace shared in the database."""
    mode = settings.send_budget
    postgres = (settings.database_url or "").startswith("postgresql")
    if mode == "database" and not postgres:
        log.warning("SEND_BUDGET=database needs PostgreSQL; pacing locally on SQLite")
    if mode == "local" or not postgres:
        return FloodControl(max_retries=max_retries)
    return FloodControl(max_retries=max_retries, budget=SharedBudget(settings.db_url))
