"""Incoming side of the Bot API double: update factories, the update queue and getUpdates."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Callable
from typing import Any

from bot.dev.botapi_limits import ApiError
from bot.dev.botapi_messages import MessagesMixin, Upload, flag, without_reply
from bot.dev.botapi_validation import utf16_len


class UpdatesMixin(MessagesMixin):
    """Builds the updates users would send and delivers them through getUpdates."""

    def _user(self, user_id: int) -> dict[str, Any]:
        user = self.state.users.get(user_id)
        if user is None:
            raise KeyError(f"unknown user {user_id}; call add_private_chat() first")
        return copy.deepcopy(user)

    def _known_chat(self, chat_id: int) -> dict[str, Any]:
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise KeyError(f"unknown chat {chat_id}; register it with add_*_chat() first")
        return copy.deepcopy(chat)

    def make_message_update(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """Build (and store in the chat history) an Update for a user's text message."""
        user = self._user(user_id)
        chat = self._known_chat(user_id if chat_id is None else chat_id)
        message: dict[str, Any] = {
            "message_id": self.state.allocate_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        if reply_to_message_id is not None:
            target = self.state.find(chat["id"], reply_to_message_id)
            if target is None:
                raise KeyError(f"message {reply_to_message_id} not found in chat {chat['id']}")
            message["reply_to_message"] = without_reply(target)
        self.state.store(chat["id"], message)
        update = {"update_id": self.state.allocate_update_id(), "message": message}
        self._save()
        return copy.deepcopy(update)

    def make_document_update(
        self,
        user_id: int,
        filename: str,
        body: bytes,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Build an Update for a user sending a file as a document (getFile serves it)."""
        user, chat = self._user(user_id), self._known_chat(user_id)
        upload = Upload(filename, body, mime_type)
        record = self._save_upload(self.state.allocate_seq(), "upload", upload, "document")
        keys = ("file_id", "file_unique_id", "file_name", "mime_type", "file_size")
        message: dict[str, Any] = {
            "message_id": self.state.allocate_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "document": {k: record[k] for k in keys},
        }
        if caption:
            message["caption"] = caption
        self.state.store(chat["id"], message)
        update = {"update_id": self.state.allocate_update_id(), "message": message}
        self._save()
        return copy.deepcopy(update)

    def make_callback_update(
        self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """Build an Update for the user pressing an inline button under a stored message."""
        user = self._user(user_id)
        target_chat = user_id if chat_id is None else chat_id
        message = self.state.find(target_chat, message_id)
        if message is None:
            raise KeyError(f"message {message_id} not found in chat {target_chat}")
        self._callback_seq += 1
        query_id = f"{self.bot_id}{self.state.next_update_id:06d}{self._callback_seq}"
        self._callback_ids.add(query_id)
        update = {
            "update_id": self.state.allocate_update_id(),
            "callback_query": {
                "id": query_id,
                "from": user,
                "chat_instance": f"ci{target_chat}",
                "data": data,
                "message": message,
            },
        }
        self._save()
        return update

    def make_button_update(
        self, user_id: int, label_or_data: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """find_button() + make_callback_update() in one step."""
        target_chat = user_id if chat_id is None else chat_id
        message_id, data = self.find_button(target_chat, label_or_data)
        return self.make_callback_update(user_id, message_id, data, chat_id=chat_id)

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (assigning an update_id if missing)."""
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = self.state.allocate_update_id()
        self.state.next_update_id = max(self.state.next_update_id, update["update_id"] + 1)
        self.state.pending_updates.append(update)
        self._save()
        self._wake()

    def _wake(self) -> None:
        # A fresh Event per generation lets every current long-poll waiter see this wake-up.
        event, self._updates_event = self._updates_event, asyncio.Event()
        event.set()

    def last_buttons_message(self, chat_id: int) -> dict[str, Any] | None:
        """The latest bot message in the chat that carries an inline keyboard."""
        for message in reversed(self.state.messages.get(chat_id, [])):
            markup = message.get("reply_markup") or {}
            if message["from"]["id"] == self.bot_id and markup.get("inline_keyboard"):
                return copy.deepcopy(message)
        return None

    def find_button(self, chat_id: int, label_or_data: str) -> tuple[int, str]:
        """(message_id, callback_data) of a button in the last buttons message of the chat."""
        message = self.last_buttons_message(chat_id)
        if message is None:
            raise LookupError(f"no bot message with inline buttons in chat {chat_id}")
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        wanted = label_or_data.casefold()
        stages: list[Callable[[dict], bool]] = [
            lambda b: b["text"] == label_or_data,
            lambda b: b.get("callback_data") == label_or_data,
            lambda b: b["text"].casefold() == wanted,
            lambda b: b["text"].casefold().startswith(wanted),
            lambda b: wanted in b["text"].casefold(),
        ]
        listing = ", ".join(
            f"{b['text']!r}->{b.get('callback_data', b.get('url'))!r}" for b in buttons
        )
        for stage in stages:
            matches = [b for b in buttons if stage(b)]
            if len(matches) > 1 and stage in stages[3:]:
                raise LookupError(
                    f"{label_or_data!r} is ambiguous in message "
                    f"{message['message_id']}; available: {listing}"
                )
            if matches:
                if "callback_data" not in matches[0]:
                    raise LookupError(f"button {matches[0]['text']!r} has no callback_data")
                return message["message_id"], matches[0]["callback_data"]
        raise LookupError(
            f"no button matching {label_or_data!r} in message {message['message_id']} of chat "
            f"{chat_id}; available: {listing}"
        )

    # ------------------------------------------------- Bot API methods of update delivery

    def _confirm_updates(self, offset: int) -> None:
        pending = self.state.pending_updates
        if offset > 0:
            kept = [u for u in pending if u["update_id"] >= offset]
        elif offset < 0:
            kept = pending[offset:]
        else:
            return
        if len(kept) != len(pending):
            self.state.pending_updates = kept
            self._save()

    async def _get_updates(self, params: dict, files: dict) -> list[dict[str, Any]]:
        if self.state.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        self._confirm_updates(offset)
        deadline = asyncio.get_running_loop().time() + timeout
        while not self.state.pending_updates and not self._stopped:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._updates_event.wait(), remaining)
        return copy.deepcopy(self.state.pending_updates[:limit])

    def _set_webhook(self, params: dict, files: dict) -> bool:
        url = params.get("url") or ""
        self.state.webhook = {k: v for k, v in params.items() if k != "certificate"} if url else {}
        if flag(params, "drop_pending_updates"):
            self.state.pending_updates = []
        self._save()
        return True

    def _delete_webhook(self, params: dict, files: dict) -> bool:
        return self._set_webhook({"drop_pending_updates": params.get("drop_pending_updates")}, {})

    def _get_webhook_info(self, params: dict, files: dict) -> dict[str, Any]:
        return {
            "url": self.state.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.pending_updates),
        }
