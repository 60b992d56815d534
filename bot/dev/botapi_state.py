"""Persistent chat/message state of the Bot API double (JSON on disk, atomic saves)."""

from __future__ import annotations

import copy
import json
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_HISTORY = 50


@dataclass
class DoubleState:
    """Everything a later process needs to continue the conversation where it stopped."""

    users: dict[int, dict] = field(default_factory=dict)
    chats: dict[int, dict] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    next_update_id: int = 1
    next_message_id: dict[int, int] = field(default_factory=dict)
    messages: dict[int, list[dict]] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)
    commands: dict[str, list[dict]] = field(default_factory=dict)
    menu_buttons: dict[str, dict] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)
    pending_updates: list[dict] = field(default_factory=list)
    next_seq: int = 1

    def to_json(self) -> dict[str, Any]:
        """Serialise to JSON-compatible data (int keys become strings)."""
        return {
            "users": {str(k): v for k, v in self.users.items()},
            "chats": {str(k): v for k, v in self.chats.items()},
            "blocked": sorted(self.blocked),
            "next_update_id": self.next_update_id,
            "next_message_id": {str(k): v for k, v in self.next_message_id.items()},
            "messages": {str(k): v[-MAX_HISTORY:] for k, v in self.messages.items()},
            "files": self.files,
            "commands": self.commands,
            "menu_buttons": self.menu_buttons,
            "webhook": self.webhook,
            "pending_updates": self.pending_updates,
            "next_seq": self.next_seq,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DoubleState:
        """Rebuild state written by to_json."""

        def int_keys(mapping: dict) -> dict:
            return {int(k): v for k, v in mapping.items()}

        return cls(
            users=int_keys(data.get("users", {})),
            chats=int_keys(data.get("chats", {})),
            blocked=set(data.get("blocked", [])),
            next_update_id=int(data.get("next_update_id", 1)),
            next_message_id=int_keys(data.get("next_message_id", {})),
            messages=int_keys(data.get("messages", {})),
            files=dict(data.get("files", {})),
            commands=dict(data.get("commands", {})),
            menu_buttons=dict(data.get("menu_buttons", {})),
            webhook=dict(data.get("webhook", {})),
            pending_updates=list(data.get("pending_updates", [])),
            next_seq=int(data.get("next_seq", 1)),
        )

    @classmethod
    def load(cls, path: Path) -> DoubleState:
        """Load state from `path`, or return a fresh state if the file does not exist."""
        if not path.exists():
            return cls()
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        """Write atomically so a crashed CLI process never leaves a half-written file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    def allocate_message_id(self, chat_id: int) -> int:
        """Message ids are per chat and strictly increasing, as in private chats and groups."""
        message_id = self.next_message_id.get(chat_id, 1)
        self.next_message_id[chat_id] = message_id + 1
        return message_id

    def allocate_update_id(self) -> int:
        """Return the next update_id."""
        update_id = self.next_update_id
        self.next_update_id += 1
        return update_id

    def allocate_seq(self) -> int:
        """Return the next SentEvent sequence number (also used to name saved files)."""
        seq = self.next_seq
        self.next_seq += 1
        return seq

    def store(self, chat_id: int, message: dict) -> None:
        """Insert or replace a message in the chat history, keeping the last MAX_HISTORY."""
        history = self.messages.setdefault(chat_id, [])
        for index, old in enumerate(history):
            if old["message_id"] == message["message_id"]:
                history[index] = message
                return
        history.append(message)
        del history[:-MAX_HISTORY]

    def find(self, chat_id: int, message_id: int) -> dict | None:
        """Return the stored message (a deep copy) or None."""
        for message in self.messages.get(chat_id, []):
            if message["message_id"] == message_id:
                return copy.deepcopy(message)
        return None

    def remove(self, chat_id: int, message_id: int) -> bool:
        """Delete a message from the history; False if it was not there."""
        history = self.messages.get(chat_id, [])
        kept = [m for m in history if m["message_id"] != message_id]
        self.messages[chat_id] = kept
        return len(kept) != len(history)


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG/GIF/JPEG/WebP image, or None if it is not one of those."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data) or (1, 1)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        # Decoding WebP dimensions is not worth it for a double; any size will do.
        return 512, 512
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        # SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return int(width), int(height)
        index += 2 + length
    return None
