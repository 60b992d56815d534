"""A structural check of webhook bodies before they reach python-telegram-bot.

PTB's `Update.de_json` is lenient: a message without `chat` becomes a Message whose chat is
None, and a handler then fails far from the cause. Telegram always sends the fields the Bot
API marks required, so a body lacking them is forged or broken and is refused at the door.
Only required fields are checked, so a future Bot API version cannot be refused by mistake.
"""

from __future__ import annotations

from typing import Any

MESSAGE_KINDS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
)
_MAX_DEPTH = 3  # reply_to_message nests; Telegram sends one level, we accept a few


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _user_problem(user: Any, where: str) -> str | None:
    if not isinstance(user, dict):
        return f"{where} is not an object"
    if not _is_int(user.get("id")) or not isinstance(user.get("is_bot"), bool):
        return f"{where} lacks id or is_bot"
    if not isinstance(user.get("first_name"), str):
        return f"{where} lacks first_name"
    return None


def _chat_problem(chat: Any, where: str) -> str | None:
    if not isinstance(chat, dict) or not _is_int(chat.get("id")):
        return f"{where} lacks an id"
    if not isinstance(chat.get("type"), str):
        return f"{where} lacks a type"
    return None


def _message_problem(message: Any, where: str, depth: int = 0) -> str | None:
    if not isinstance(message, dict):
        return f"{where} is not an object"
    if not _is_int(message.get("message_id")) or not _is_int(message.get("date")):
        return f"{where} lacks message_id or date"
    problem = _chat_problem(message.get("chat"), f"{where}.chat")
    if problem:
        return problem
    if "from" in message and (problem := _user_problem(message["from"], f"{where}.from")):
        return problem
    for key in ("text", "caption"):
        if key in message and not isinstance(message[key], str):
            return f"{where}.{key} is not a string"
    for key in ("entities", "caption_entities"):
        if key in message and not isinstance(message[key], list):
            return f"{where}.{key} is not a list"
    reply = message.get("reply_to_message")
    if reply is not None:
        if depth >= _MAX_DEPTH:
            return f"{where} nests too deep"
        return _message_problem(reply, f"{where}.reply_to_message", depth + 1)
    return None


def _callback_problem(query: Any) -> str | None:
    if not isinstance(query, dict) or not isinstance(query.get("id"), str):
        return "callback_query lacks an id"
    if problem := _user_problem(query.get("from"), "callback_query.from"):
        return problem
    if not isinstance(query.get("chat_instance"), str):
        return "callback_query lacks chat_instance"
    if "data" in query and not isinstance(query["data"], str):
        return "callback_query.data is not a string"
    message = query.get("message")
    if message is not None:
        # An inaccessible message has date 0 and no other fields but chat and message_id.
        return _message_problem(message, "callback_query.message")
    return None


def update_problem(data: Any) -> str | None:
    """Why `data` is not a Telegram update we can handle, or None when it is."""
    if not isinstance(data, dict):
        return "not a JSON object"
    if not _is_int(data.get("update_id")):
        return "no integer update_id"
    for key, value in data.items():
        if key == "update_id":
            continue
        if not isinstance(value, dict):
            return f"{key} is not an object"
        if key in MESSAGE_KINDS:
            problem = _message_problem(value, key)
        elif key == "callback_query":
            problem = _callback_problem(value)
        elif "from" in value:
            problem = _user_problem(value["from"], f"{key}.from")
        else:
            problem = None
        if problem:
            return problem
    return None
