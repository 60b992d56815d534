"""The Bot API methods of the double that act on chats, messages, files and bot settings."""

from __future__ import annotations

import copy
import json
import re
import time
from typing import Any

from bot.dev.botapi_limits import ApiError, bad_request
from bot.dev.botapi_messages import MAX_PHOTO, MAX_UPLOAD, MessagesMixin, Upload
from bot.dev.botapi_state import image_size
from bot.dev.botapi_validation import MAX_CALLBACK_ANSWER, check_text

_CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class MethodsMixin(MessagesMixin):
    """Implementations of the Bot API methods other than getUpdates and the webhook ones."""

    def _get_me(self, params: dict, files: dict) -> dict[str, Any]:
        return {
            **self.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> str:
        scope = scope if isinstance(scope, dict) else {"type": "default"}
        return json.dumps([scope, language_code or ""], sort_keys=True)

    def _set_my_commands(self, params: dict, files: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for item in commands:
            if not isinstance(item, dict) or not _COMMAND_RE.match(str(item.get("command"))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(item.get("description") or "")) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self.state.commands[key] = commands
        self._save()
        return True

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[dict[str, Any]]:
        """Commands stored by setMyCommands for a scope/language."""
        return list(self.state.commands.get(self._commands_key(scope, language_code), []))

    def _get_my_commands(self, params: dict, files: dict) -> list[dict[str, Any]]:
        return self.commands(params.get("scope"), params.get("language_code") or "")

    def _delete_my_commands(self, params: dict, files: dict) -> bool:
        self.state.commands.pop(
            self._commands_key(params.get("scope"), params.get("language_code")), None
        )
        self._save()
        return True

    def _set_chat_menu_button(self, params: dict, files: dict) -> bool:
        key = str(self._chat(params)["id"]) if params.get("chat_id") else "default"
        self.state.menu_buttons[key] = params.get("menu_button") or {"type": "default"}
        self._save()
        return True

    def _get_chat_menu_button(self, params: dict, files: dict) -> dict[str, Any]:
        key = str(self._chat(params)["id"]) if params.get("chat_id") else "default"
        return self.state.menu_buttons.get(key, {"type": "default"})

    def _send_message(self, params: dict, files: dict) -> dict[str, Any]:
        chat = self._chat(params)
        self._guard(chat, params)
        text, entities = check_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = self._markup(params)
        reply = self._reply_target(chat["id"], params)
        message = self._new_message(
            chat, text=text, entities=entities, reply_markup=markup, reply_to_message=reply
        )
        self._record("sendMessage", chat, message, params)
        return message

    def _editable(self, params: dict) -> tuple[dict, dict]:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by BotApiDouble")
        chat = self._chat(params)
        self._guard(chat, params)
        message = self.state.find(chat["id"], self._message_id(params))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise bad_request("message can't be edited")
        return chat, message

    def _apply_edit(self, chat: dict, message: dict, **fields: Any) -> dict[str, Any]:
        for key, value in fields.items():
            if value in (None, []):
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        self.state.store(chat["id"], message)
        return copy.deepcopy(message)

    def _edit_message_text(self, params: dict, files: dict) -> dict[str, Any]:
        chat, message = self._editable(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text, entities = check_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        # Like Telegram, an edit without reply_markup removes the inline keyboard.
        markup = self._markup(params)
        if (text, entities or None, markup) == (
            message.get("text"),
            message.get("entities"),
            message.get("reply_markup"),
        ):
            raise bad_request(_NOT_MODIFIED)
        updated = self._apply_edit(
            chat, message, text=text, entities=entities, reply_markup=markup
        )
        self._record("editMessageText", chat, updated, params)
        return updated

    def _edit_message_reply_markup(self, params: dict, files: dict) -> dict[str, Any]:
        chat, message = self._editable(params)
        markup = self._markup(params)
        if markup == message.get("reply_markup"):
            raise bad_request(_NOT_MODIFIED)
        updated = self._apply_edit(chat, message, reply_markup=markup)
        self._record("editMessageReplyMarkup", chat, updated, params)
        return updated

    def _answer_callback_query(self, params: dict, files: dict) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._callback_ids:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        self._callback_ids.discard(query_id)
        self.callback_answers.append(copy.deepcopy(params))
        return True

    def _send_file(self, method: str, kind: str, params: dict, files: dict) -> dict[str, Any]:
        chat = self._chat(params)
        self._guard(chat, params)
        caption, entities = check_text(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            caption=True,
        )
        markup = self._markup(params)
        reply = self._reply_target(chat["id"], params)
        source = self._resolve_upload(params, files, kind)
        if isinstance(source, Upload):
            if len(source.body) > (MAX_PHOTO if kind == "photo" else MAX_UPLOAD):
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo" and image_size(source.body) is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
        elif kind == "photo" and "width" not in source:
            raise bad_request("wrong file identifier/HTTP URL specified")
        seq = self.state.allocate_seq()
        record = (
            self._save_upload(seq, method, source, kind) if isinstance(source, Upload) else source
        )
        if kind == "photo":
            keys = ("file_id", "file_unique_id", "width", "height", "file_size")
            media: Any = [{k: record[k] for k in keys}]
        else:
            keys = ("file_id", "file_unique_id", "file_name", "mime_type", "file_size")
            media = {k: record[k] for k in keys}
        message = self._new_message(
            chat,
            **{kind: media},
            caption=caption,
            caption_entities=entities,
            reply_markup=markup,
            reply_to_message=reply,
        )
        self._record(method, chat, message, params, files=[record["path"]], seq=seq)
        return message

    def _send_chat_action(self, params: dict, files: dict) -> bool:
        chat = self._chat(params)
        self._guard(chat, params, limited=False)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _get_chat(self, params: dict, files: dict) -> dict[str, Any]:
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        return {
            **self._chat(params),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {**dict.fromkeys(gifts, False), "gifts_from_channels": False},
        }

    def _delete_message(self, params: dict, files: dict) -> bool:
        chat = self._chat(params)
        if not self.state.remove(chat["id"], self._message_id(params)):
            raise bad_request("message to delete not found")
        self._save()
        return True

    def _copy_message(self, params: dict, *, forward: bool) -> dict[str, Any]:
        chat = self._chat(params)
        source_chat = self._chat(params, "from_chat_id")
        self._guard(chat, params)
        source = self.state.find(source_chat["id"], self._message_id(params))
        if source is None:
            raise bad_request(f"message to {'forward' if forward else 'copy'} not found")
        keys = ("text", "entities", "caption", "caption_entities", "document", "photo")
        content = {k: source[k] for k in keys if k in source}
        if forward:
            content["forward_origin"] = {
                "type": "user",
                "sender_user": source["from"],
                "date": source["date"],
            }
        else:
            if "caption" in params:
                content["caption"], content["caption_entities"] = check_text(
                    params.get("caption"),
                    params.get("parse_mode"),
                    params.get("caption_entities"),
                    caption=True,
                )
            content["reply_markup"] = self._markup(params)
            content["reply_to_message"] = self._reply_target(chat["id"], params)
        message = self._new_message(chat, **content)
        self._record("forwardMessage" if forward else "copyMessage", chat, message, params)
        return message if forward else {"message_id": message["message_id"]}

    def _get_chat_member(self, params: dict, files: dict) -> dict[str, Any]:
        self._chat(params)
        user_id = params.get("user_id")
        user = self.bot_user() if user_id == self.bot_id else self.state.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        return {"status": "member", "user": copy.deepcopy(user)}

    def _get_file(self, params: dict, files: dict) -> dict[str, Any]:
        record = self.state.files.get(str(params.get("file_id")))
        if record is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        keys = ("file_id", "file_unique_id", "file_size", "file_path")
        return {k: record[k] for k in keys}
