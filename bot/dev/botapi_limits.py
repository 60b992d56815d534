"""Error responses, flood limits and fault injection for the Bot API double."""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class ApiError(Exception):
    """A Bot API error response: HTTP status, description and optional parameters."""

    def __init__(self, status: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """Return the JSON body Telegram would send for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """Build a 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    """Build the 429 error PTB turns into telegram.error.RetryAfter."""
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


class FloodLimiter:
    """Telegram's documented broadcast limits: global/second, per private chat, per group."""

    def __init__(
        self,
        *,
        global_per_second: int,
        paid_per_second: int,
        private_per_second: float,
        private_burst: int,
        group_per_minute: int,
        clock: Callable[[], float],
    ) -> None:
        self._global_limit = global_per_second
        self._paid_limit = paid_per_second
        self._rate = private_per_second
        self._burst = private_burst
        self._group_limit = group_per_minute
        self._clock = clock
        self._global: deque[float] = deque()
        self._buckets: dict[int, tuple[float, float]] = {}
        self._groups: dict[int, deque[float]] = {}

    @staticmethod
    def _window_wait(stamps: deque[float], limit: int, span: float, now: float) -> float:
        while stamps and stamps[0] <= now - span:
            stamps.popleft()
        if len(stamps) < limit:
            return 0.0
        # The request fits once enough old stamps leave the window to drop below the limit.
        return stamps[len(stamps) - limit] + span - now

    def _tokens(self, chat_id: int, now: float) -> float:
        tokens, stamp = self._buckets.get(chat_id, (float(self._burst), now))
        return min(float(self._burst), tokens + (now - stamp) * self._rate)

    def check(self, chat_id: int, chat_type: str, paid: bool) -> int | None:
        """Return retry_after seconds if this request must be rejected, else None."""
        now = self._clock()
        limit = self._paid_limit if paid else self._global_limit
        waits = [self._window_wait(self._global, limit, 1.0, now)]
        if chat_type == "private":
            tokens = self._tokens(chat_id, now)
            waits.append((1.0 - tokens) / self._rate if tokens < 1.0 else 0.0)
        elif chat_type in ("group", "supergroup"):
            stamps = self._groups.setdefault(chat_id, deque())
            waits.append(self._window_wait(stamps, self._group_limit, 60.0, now))
        wait = max(waits)
        return max(1, math.ceil(wait)) if wait > 0 else None

    def commit(self, chat_id: int, chat_type: str) -> None:
        """Charge an accepted request against every applicable limit."""
        now = self._clock()
        self._global.append(now)
        if chat_type == "private":
            self._buckets[chat_id] = (self._tokens(chat_id, now) - 1.0, now)
        elif chat_type in ("group", "supergroup"):
            self._groups.setdefault(chat_id, deque()).append(now)


@dataclass
class Fault:
    """An injected failure for the next `remaining` requests matching method/chat."""

    method: str | None
    chat_id: int | None
    status: int
    remaining: int
    retry_after: int
    delay: float

    def matches(self, method: str, chat_id: Any) -> bool:
        """True if this fault applies to a request for `method` on `chat_id`."""
        if self.remaining <= 0:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError:
        """The error this fault produces (status 0 means a gateway timeout after hanging)."""
        if self.status == 429:
            return too_many_requests(self.retry_after)
        descriptions = {
            0: (504, "Gateway Timeout"),
            400: (400, "Bad Request: injected fault"),
            401: (401, "Unauthorized"),
            403: (403, "Forbidden: bot was blocked by the user"),
            409: (409, "Conflict: terminated by other getUpdates request"),
            500: (500, "Internal Server Error"),
            502: (502, "Bad Gateway"),
        }
        status, text = descriptions.get(self.status, (self.status, "Injected fault"))
        return ApiError(status, text)


class SendGate:
    """Holds sending requests past a count until released, so a test can act mid-send.

    Tests of cancelling or crashing during a broadcast need sends in flight at a known
    moment; without a flood limiter the bot would otherwise finish before the test acts.
    """

    def __init__(self) -> None:
        self._open = asyncio.Event()
        self._open.set()
        self._allowance = 0
        self.held = 0  # requests waiting at the gate now
        self._changed = asyncio.Event()

    def close(self, after: int = 0) -> None:
        """Let `after` more sending requests through, then hold the rest until open()."""
        self._allowance = after
        self._open.clear()

    def open(self) -> None:
        """Release every held request and let all later ones through."""
        self._open.set()

    async def passage(self, stop: asyncio.Event) -> None:
        """Wait at the gate if it is closed and the allowance is spent (or until `stop`)."""
        if self._open.is_set():
            return
        if self._allowance > 0:
            self._allowance -= 1
            return
        self.held += 1
        self._changed.set()
        try:
            waits = [asyncio.ensure_future(e.wait()) for e in (self._open, stop)]
            _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
        finally:
            self.held -= 1

    async def wait_held(self, count: int = 1) -> None:
        """Wait until at least `count` requests are held at the gate (callers bound the wait)."""
        while self.held < count:
            self._changed.clear()
            await self._changed.wait()
