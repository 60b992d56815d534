"""Shared core of the Bot API double: outgoing Messages, SentEvents, saved files, history."""

from __future__ import annotations

import asyncio
import copy
import mimetypes
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.dev.botapi_limits import ApiError, FloodLimiter, bad_request, too_many_requests
from bot.dev.botapi_state import DoubleState, image_size
from bot.dev.botapi_validation import inline_buttons, validate_reply_markup

BOT_FIRST_NAME = "Liaison Bot"
BOT_USERNAME = "liaison_test_bot"
MAX_UPLOAD = 50 * 1024 * 1024
MAX_PHOTO = 10 * 1024 * 1024

_FORBIDDEN_BLOCKED = "Forbidden: bot was blocked by the user"


@dataclass
class Upload:
    """One multipart file part."""

    filename: str | None
    body: bytes
    mime_type: str


@dataclass
class SentEvent:
    """One successful outgoing send/edit, as the user would see it."""

    seq: int
    method: str
    chat_id: int
    message_id: int
    text: str | None
    buttons: list[list[dict]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    paid: bool = False


def flag(params: dict, name: str) -> bool:
    """True if the boolean parameter `name` is set, in any spelling a client may send."""
    return params.get(name) in (True, 1, "true", "True", "1")


def safe_name(name: str) -> str:
    """An uploaded file name reduced to a harmless base name for the files directory."""
    return re.sub(r"[^\w.\-]+", "_", Path(name).name).strip("._") or "file"


def without_reply(message: dict) -> dict:
    """A copy of `message` fit to be nested as another message's reply_to_message."""
    # Telegram nests reply_to_message only one level deep.
    return {k: v for k, v in message.items() if k != "reply_to_message"}


class MessagesMixin:
    """Shared state of BotApiDouble and the helpers that build and record bot messages."""

    # Assigned in BotApiDouble.__init__; declared here so every mixin sees the same fields.
    token: str
    state_path: Path | None
    files_dir: Path
    enforce_limits: bool
    state: DoubleState
    sent: list[SentEvent]
    callback_answers: list[dict[str, Any]]
    _limiter: FloodLimiter
    _callback_ids: set[str]
    _callback_seq: int
    _updates_event: asyncio.Event
    _stopped: bool

    @property
    def bot_id(self) -> int:
        """The numeric bot id encoded in the token."""
        return int(self.token.split(":", 1)[0])

    @property
    def bot_username(self) -> str:
        """The bot's @username without the @."""
        return BOT_USERNAME

    def bot_user(self) -> dict[str, Any]:
        """The User object the bot appears as in messages."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

    def _save(self) -> None:
        if self.state_path is not None:
            self.state.save(self.state_path)

    def _chat(self, params: dict, key: str = "chat_id") -> dict[str, Any]:
        chat_id = params.get(key)
        if chat_id in (None, ""):
            raise bad_request(f"{key} is empty")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            found = [c for c in self.state.chats.values() if c.get("username") == chat_id[1:]]
            chat = found[0] if found else None
        else:
            chat = self.state.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return copy.deepcopy(chat)

    def _message_id(self, params: dict, key: str = "message_id") -> int:
        value = params.get(key)
        if not isinstance(value, int):
            raise bad_request("message identifier is not specified")
        return value

    def _guard(self, chat: dict, params: dict, *, limited: bool = True) -> None:
        if chat["type"] == "private" and chat["id"] in self.state.blocked:
            raise ApiError(403, _FORBIDDEN_BLOCKED)
        if limited and self.enforce_limits:
            paid = flag(params, "allow_paid_broadcast")
            wait = self._limiter.check(chat["id"], chat["type"], paid)
            if wait is not None:
                raise too_many_requests(wait)

    @staticmethod
    def _markup(params: dict) -> dict | None:
        markup = params.get("reply_markup")
        validate_reply_markup(markup)
        # Only inline keyboards are echoed back on the Message, as Telegram does.
        return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None

    def _reply_target(self, chat_id: int, params: dict) -> dict | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id") or params.get("reply_to_message_id")
        if not message_id:
            return None
        if not str(message_id).isdigit():
            raise bad_request("message to be replied not found")
        target_chat = reply.get("chat_id")
        target_chat = target_chat if isinstance(target_chat, int) else chat_id
        target = self.state.find(target_chat, int(message_id))
        if target is not None:
            return without_reply(target)
        if reply.get("allow_sending_without_reply") or flag(params, "allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _new_message(self, chat: dict, **content: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.state.allocate_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user(),
        }
        message.update({k: v for k, v in content.items() if v not in (None, [], "")})
        self.state.store(chat["id"], message)
        return copy.deepcopy(message)

    def _record(
        self,
        method: str,
        chat: dict,
        message: dict,
        params: dict,
        *,
        files: list[str] | None = None,
        seq: int | None = None,
    ) -> None:
        if self.enforce_limits:
            self._limiter.commit(chat["id"], chat["type"])
        self.sent.append(
            SentEvent(
                seq=seq if seq is not None else self.state.allocate_seq(),
                method=method,
                chat_id=chat["id"],
                message_id=message["message_id"],
                text=message.get("text", message.get("caption")),
                buttons=inline_buttons(message.get("reply_markup")),
                files=files or [],
                params=copy.deepcopy(params),
                paid=flag(params, "allow_paid_broadcast"),
            )
        )
        self._save()

    def _resolve_upload(self, params: dict, files: dict, kind: str) -> Upload | dict:
        value = params.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            part = files.get(value.removeprefix("attach://"))
            if part is None:
                raise bad_request(f"can't find attached file {value!r}")
            return part
        if kind in files:
            return files[kind]
        if isinstance(value, str) and value in self.state.files:
            return copy.deepcopy(self.state.files[value])
        if not value:
            raise bad_request(f"there is no {kind} in the request")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _save_upload(self, seq: int, method: str, upload: Upload, kind: str) -> dict:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        if upload.filename:
            path = self.files_dir / f"{seq}-{safe_name(upload.filename)}"
        else:
            ext = mimetypes.guess_extension(upload.mime_type) or ".bin"
            path = self.files_dir / f"{seq}-{method}{ext}"
        path.write_bytes(upload.body)
        record: dict[str, Any] = {
            "file_id": f"{kind[:3].upper()}-{self.bot_id}-{seq}",
            "file_unique_id": f"U{self.bot_id}{seq}",
            "file_name": upload.filename or path.name,
            "mime_type": upload.mime_type,
            "file_size": len(upload.body),
            "path": str(path),
            "file_path": f"{kind}s/{path.name}",
        }
        if kind == "photo":
            record["width"], record["height"] = image_size(upload.body) or (1, 1)
        self.state.files[record["file_id"]] = record
        return record

    # ------------------------------------------- public inspection of history and files

    def last_message(self, chat_id: int, *, from_bot: bool | None = None) -> dict | None:
        """Latest stored message in the chat (optionally only the bot's or only users')."""
        for message in reversed(self.state.messages.get(chat_id, [])):
            if from_bot is None or (message["from"]["id"] == self.bot_id) == from_bot:
                return copy.deepcopy(message)
        return None

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The stored history (up to 50 messages) of a chat, oldest first."""
        return copy.deepcopy(self.state.messages.get(chat_id, []))

    def file_for_path(self, file_path: str) -> Path | None:
        """Local path of a stored file by its Bot API file_path."""
        for record in self.state.files.values():
            if record.get("file_path") == file_path:
                return Path(record["path"])
        return None
