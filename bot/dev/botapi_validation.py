"""Telegram-like validation of message texts, HTML entities and inline keyboards."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from bot.dev.botapi_limits import bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_CALLBACK_DATA = 64
MAX_BUTTONS = 100

# Exactly one of these must accompany a button's text in an inline keyboard.
BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "copy_text",
)

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class _HtmlEntityParser(HTMLParser):
    """Strip Telegram-flavoured HTML into plain text plus MessageEntity dicts."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self.parts: list[str] = []
        self._pos = 0
        self.stack: list[tuple[str, dict | None]] = []
        self.entities: list[dict] = []

    def _fail(self, what: str) -> None:
        line, col = self.getpos()
        pos = self._line_starts[line - 1] + col
        byte_offset = len(self._source[:pos].encode())
        raise bad_request(f"can't parse entities: {what} at byte offset {byte_offset}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an entity for a supported tag; anything else is a parse error like Telegram's."""
        attr = dict(attrs)
        kind = _TAG_ENTITY.get(tag)
        if kind is None or (tag == "span" and attr.get("class") != "tg-spoiler"):
            self._fail(f'Unsupported start tag "{tag}"')
        entity: dict | None = {"type": kind, "offset": self._pos}
        if tag == "a":
            # An anchor without href is accepted by Telegram but yields no entity.
            entity = {**entity, "url": attr["href"]} if attr.get("href") else None
        elif tag == "tg-emoji":
            if not attr.get("emoji-id"):
                self._fail('Tag "tg-emoji" must have attribute "emoji-id"')
            entity["custom_emoji_id"] = attr["emoji-id"]
        elif tag == "blockquote" and "expandable" in attr:
            entity["type"] = "expandable_blockquote"
        elif tag == "code" and self.stack and self.stack[-1][0] == "pre":
            # <pre><code class="language-x"> sets the pre block's language, not a code entity.
            language = (attr.get("class") or "").removeprefix("language-")
            pre = self.stack[-1][1]
            if language and pre is not None:
                pre["language"] = language
                entity = None
        self.stack.append((tag, entity))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Self-closing tags (<br/>) are not part of Telegram's HTML subset."""
        self._fail(f'Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost entity; Telegram requires properly nested tags."""
        if not self.stack:
            self._fail(f'Unexpected end tag "{tag}"')
        open_tag, entity = self.stack.pop()
        if open_tag != tag:
            self._fail(f'Unmatched end tag, expected "</{open_tag}>", found "</{tag}>"')
        if entity is not None and self._pos > entity["offset"]:
            entity["length"] = self._pos - entity["offset"]
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        """Collect visible text and advance the UTF-16 offset."""
        self.parts.append(data)
        self._pos += utf16_len(data)

    def handle_comment(self, data: str) -> None:
        """Comments are rejected by Telegram."""
        self._fail("Unsupported comment")

    def handle_decl(self, decl: str) -> None:
        """Declarations are rejected by Telegram."""
        self._fail("Unsupported declaration")

    def handle_pi(self, data: str) -> None:
        """Processing instructions are rejected by Telegram."""
        self._fail("Unsupported processing instruction")

    def unknown_decl(self, data: str) -> None:
        """CDATA and friends are rejected by Telegram."""
        self._fail("Unsupported declaration")


def parse_html(text: str) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into (plain text, entities) or raise a 400 ApiError."""
    parser = _HtmlEntityParser(text)
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag \""
            f'{parser.stack[-1][0]}"'
        )
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.parts), entities


def check_text(
    text: Any, parse_mode: str | None, entities: Any = None, *, caption: bool = False
) -> tuple[str, list[dict]]:
    """Validate a message text or caption like Telegram; return (plain text, entities)."""
    raw = "" if text is None else str(text)
    if parse_mode and parse_mode.lower() == "html":
        plain, found = parse_html(raw)
    else:
        # MarkdownV2 is not parsed: the raw text is kept and measured as-is.
        plain = raw
        found = list(entities) if isinstance(entities, list) else []
    if caption:
        if utf16_len(plain) > MAX_CAPTION:
            raise bad_request("message caption is too long")
    else:
        if not plain.strip():
            raise bad_request("message text is empty")
        if utf16_len(plain) > MAX_TEXT:
            raise bad_request("message is too long")
    return plain, found


def validate_reply_markup(markup: Any) -> None:
    """Reject inline keyboards Telegram would refuse; other keyboard kinds pass through."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    for button in (b for row in rows for b in row):
        _validate_button(button)


def _validate_button(button: Any) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_EMPTY")
    actions = [name for name in BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(prefix + f"exactly one optional field is allowed, got {actions}")
    data = button.get("callback_data")
    if "callback_data" in button and (
        not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and (not isinstance(button["url"], str) or not button["url"].strip()):
        raise bad_request("BUTTON_URL_INVALID")


def inline_buttons(markup: Any) -> list[list[dict]]:
    """Summarise an inline keyboard as rows of {"text", "data"|"url"|<kind>} dicts."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return []
    rows: list[list[dict]] = []
    for row in markup["inline_keyboard"]:
        summary = []
        for button in row:
            item = {"text": button.get("text")}
            for name in BUTTON_ACTIONS:
                if name in button:
                    item["data" if name == "callback_data" else name] = button[name]
            summary.append(item)
        rows.append(summary)
    return rows
