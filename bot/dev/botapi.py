"""A local Telegram Bot API double: a loopback HTTP server speaking real Bot API JSON.

Point python-telegram-bot at it with
``Bot(token, base_url=double.base_url, base_file_url=double.base_file_url)``.

BotApiDouble is assembled from mixins, split by concern to keep modules small:
botapi_messages (shared state, outgoing messages, saved files, history inspection),
botapi_updates (update factories, getUpdates, webhooks) and botapi_methods (the other Bot API
methods). botapi_http serves them over tornado; botapi_validation, botapi_limits and
botapi_state hold validation, errors/flood limits/faults and persistence. This module adds the
lifecycle, chat registry, fault controls and the dispatch table.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tornado.httpserver

from bot.dev.botapi_http import listen
from bot.dev.botapi_limits import ApiError, Fault, FloodLimiter, SendGate
from bot.dev.botapi_messages import (
    BOT_FIRST_NAME,
    BOT_USERNAME,
    MAX_PHOTO,
    MAX_UPLOAD,
    SentEvent,
    Upload,
)
from bot.dev.botapi_methods import MethodsMixin
from bot.dev.botapi_state import DoubleState
from bot.dev.botapi_updates import UpdatesMixin

__all__ = [
    "BOT_FIRST_NAME",
    "BOT_USERNAME",
    "MAX_PHOTO",
    "MAX_UPLOAD",
    "BotApiDouble",
    "SentEvent",
    "Upload",
]

log = logging.getLogger(__name__)

# Methods Telegram counts against the flood limits (as bot.core.ratelimit.is_sending).
_SENDING = ("send", "copymessage", "forwardmessage", "editmessage", "stopmessagelive")


def is_sending(method: str) -> bool:
    """True for methods that post or edit a message."""
    name = method.lower()
    return name.startswith(_SENDING) and name != "sendchataction"


class BotApiDouble(UpdatesMixin, MethodsMixin):
    """In-process fake of api.telegram.org for the methods liaison-bot uses."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        state_path: Path | None = None,
        files_dir: Path | None = None,
        enforce_limits: bool = False,
        global_per_second: int = 30,
        paid_per_second: int = 1000,
        private_per_second: float = 1.0,
        private_burst: int = 3,
        group_per_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Set up an unstarted double; a given state_path is loaded now and saved on changes."""
        self.token = token
        self.state_path = Path(state_path) if state_path else None
        self.files_dir = Path(files_dir or tempfile.mkdtemp(prefix="botapi-double-"))
        self.enforce_limits = enforce_limits
        # Loaded eagerly so chats can be registered/inspected before start().
        self.state = DoubleState.load(self.state_path) if self.state_path else DoubleState()
        self.sent: list[SentEvent] = []
        self.counters: Counter[str] = Counter()
        self.callback_answers: list[dict[str, Any]] = []
        # (arrival time, method, chat_id, HTTP status) of every request that sends or edits,
        # answered or not: fault tests measure rates per window and requests per chat.
        self.arrivals: list[tuple[float, str, Any, int]] = []
        self._clock = clock
        self._limiter = FloodLimiter(
            global_per_second=global_per_second,
            paid_per_second=paid_per_second,
            private_per_second=private_per_second,
            private_burst=private_burst,
            group_per_minute=group_per_minute,
            clock=clock,
        )
        self._faults: list[Fault] = []
        self.gate = SendGate()  # tests close it to hold sends mid-broadcast
        self._callback_ids: set[str] = set()
        self._callback_seq = 0
        self._updates_event = asyncio.Event()
        self._server: tornado.httpserver.HTTPServer | None = None
        self._port: int | None = None
        self._stopped = False
        self._stop_event = asyncio.Event()
        self.inflight = 0  # requests currently being answered; stop() waits briefly for them
        self._idle = asyncio.Event()
        self._methods: dict[str, Callable[[dict, dict], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "logOut": lambda p, f: True,
            "close": lambda p, f: True,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": lambda p, f: self._send_file("sendDocument", "document", p, f),
            "sendPhoto": lambda p, f: self._send_file("sendPhoto", "photo", p, f),
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "deleteMessage": self._delete_message,
            "copyMessage": lambda p, f: self._copy_message(p, forward=False),
            "forwardMessage": lambda p, f: self._copy_message(p, forward=True),
            "getChatMember": self._get_chat_member,
            "getFile": self._get_file,
        }
        self._by_lower = {name.lower(): name for name in self._methods}

    # ----------------------------------------------------------------- server lifecycle

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1:`port` (0 picks a free port) in the running event loop."""
        self._server, self._port = listen(self, port)
        self._stopped = False
        self._stop_event = asyncio.Event()

    async def stop(self) -> None:
        """Stop listening, release long-polls and close open connections."""
        self._stopped = True
        self._stop_event.set()
        self._wake()
        if self._server is not None:
            self._server.stop()
            # Let released long-polls answer [] instead of dropping their connections.
            if self.inflight:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._idle.wait(), 0.5)
            await self._server.close_all_connections()
            self._server = None

    def request_started(self) -> None:
        """Bookkeeping for stop(): an HTTP request is being answered."""
        self.inflight += 1
        self._idle.clear()

    def request_finished(self) -> None:
        """Bookkeeping for stop(): an HTTP response has been written."""
        self.inflight -= 1
        if not self.inflight:
            self._idle.set()

    async def __aenter__(self) -> BotApiDouble:
        """Start the double for an `async with` block."""
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Stop the double when the `async with` block ends."""
        await self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port (only after start())."""
        if self._port is None:
            raise RuntimeError("BotApiDouble is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """Value for Bot(base_url=...)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for Bot(base_file_url=...)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ------------------------------------------------------------------ test controls

    def add_private_chat(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Register a user who has started the bot; returns the private Chat dict."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value is not None:
                user[key] = chat[key] = value
        if language_code is not None:
            user["language_code"] = language_code
        self.state.users[user_id] = user
        self.state.chats[user_id] = chat
        self._save()
        return chat

    def add_group_chat(
        self, chat_id: int, title: str = "Group", type_: str = "supergroup"
    ) -> dict[str, Any]:
        """Register a group or supergroup the bot is a member of; returns the Chat dict."""
        if type_ not in ("group", "supergroup", "channel"):
            raise ValueError(f"unsupported chat type {type_!r}")
        chat = {"id": chat_id, "type": type_, "title": title}
        self.state.chats[chat_id] = chat
        self._save()
        return chat

    def block(self, user_id: int) -> None:
        """Make the user block the bot: sends to their chat now fail with 403."""
        self.state.blocked.add(user_id)
        self._save()

    def unblock(self, user_id: int) -> None:
        """Undo block()."""
        self.state.blocked.discard(user_id)
        self._save()

    def inject_fault(
        self,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        status: int = 500,
        count: int = 1,
        retry_after: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Make the next `count` matching requests fail (status 0: hang `delay` s, then 504)."""
        self._faults.append(Fault(method, chat_id, status, count, retry_after, delay))

    def clear_faults(self) -> None:
        """Remove all pending injected faults."""
        self._faults.clear()

    def events_since(self, seq: int) -> list[SentEvent]:
        """Sent events with a sequence number greater than `seq`."""
        return [event for event in self.sent if event.seq > seq]

    @property
    def seq(self) -> int:
        """Sequence number of the latest SentEvent (persisted), a mark for events_since()."""
        return self.state.next_seq - 1

    # ------------------------------------------------------------------------ dispatch

    async def call(
        self,
        token: str,
        method: str,
        params: dict[str, Any],
        files: dict[str, Upload] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Handle one decoded Bot API call; returns (HTTP status, JSON body)."""
        name = self._by_lower.get(method.lower())
        self.counters[name or method] += 1
        arrived = self._clock()
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if name is None:
                raise ApiError(404, "Not Found: method not found")
            if is_sending(name):
                await self.gate.passage(self._stop_event)
            fault = next((f for f in self._faults if f.matches(name, params.get("chat_id"))), None)
            if fault is not None:
                fault.remaining -= 1
                # Hang like a stalled server, but let stop() cut the hang short.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop_event.wait(), fault.delay)
                raise fault.error()
            result = self._methods[name](params, files or {})
            if inspect.isawaitable(result):
                result = await result
            status, payload = 200, {"ok": True, "result": result}
        except ApiError as err:
            status, payload = err.status, err.payload()
        except Exception as exc:  # a bug in the double must surface as a response, not a hang
            log.exception("BotApiDouble crashed on %s", method)
            status = 500
            payload = ApiError(500, f"Internal Server Error: double crashed: {exc!r}").payload()
        self._faults = [f for f in self._faults if f.remaining > 0]
        self.counters[str(status)] += 1
        if is_sending(method):
            self.arrivals.append((arrived, name or method, params.get("chat_id"), status))
        return status, payload

    def max_per_window(self, span: float = 1.0, since: float = 0.0) -> int:
        """The most sending requests that arrived within any `span` seconds (sliding)."""
        stamps = sorted(t for t, *_ in self.arrivals if t >= since)
        best, first = 0, 0
        for last, stamp in enumerate(stamps):
            while stamp - stamps[first] >= span:
                first += 1
            best = max(best, last - first + 1)
        return best
