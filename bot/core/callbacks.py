"""Callback data: one codec per feature (a prefix and typed fields), decoded once.

A feature declares its buttons once::

    CB = Codec("ap")
    NEW = CB.action("new", code=CODE)
    CHOICE = CB.action("ch", app=ID, field=WORD, value=VALUE)

    NEW.pack(code="2018-04")                         # "ap:new:2018-04"
    CB.decode("ap:ch:12:seniority:senior")           # Press("ch", {"app": 12, ...})

and registers one handler for its prefix with `@on_press(CB)`: the handler receives the
decoded `Press`; data that does not decode (forged, truncated, from an older version) is
answered in one place with the stale-button alert and never reaches the handler.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from telegram import CallbackQuery, Update

from bot.i18n import _

# Field kinds: a regular expression and how the matched text becomes a value.
ID = (r"\d{1,12}", int)  # a database id
NUMBER = (r"-?\d{1,15}", int)  # any integer that fits (a Telegram id, a year, a page)
WORD = (r"[a-z_]{1,24}", str)  # a lower-case key: a field, a status, a kind
CODE = (r"[A-Za-z0-9_.\-]{1,32}", str)  # a course code, an ISO code, a token
VALUE = (r"[A-Za-z0-9_\-]{1,24}", str)  # a short choice value

_MAX_BYTES = 64  # Telegram's limit on callback data


@dataclass(frozen=True)
class Press:
    """A decoded button: the action and its typed fields."""

    action: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        """A field that only some shapes of the action carry."""
        return self.values.get(name, default)


@dataclass(frozen=True)
class Action:
    """One kind of button of a codec: `prefix:action:field1:field2…`."""

    prefix: str
    name: str
    fields: tuple[tuple[str, tuple[str, Callable[[str], Any]]], ...]

    def pack(self, **values: Any) -> str:
        """The callback data for these values; raises on a missing or malformed value."""
        parts = [self.prefix, self.name]
        for key, (pattern, _convert) in self.fields:
            text = str(values[key])
            if not re.fullmatch(pattern, text):
                raise ValueError(f"{self.prefix}:{self.name}: bad {key}={text!r}")
            parts.append(text)
        data = ":".join(parts)
        if len(data.encode()) > _MAX_BYTES:
            raise ValueError(f"callback data over {_MAX_BYTES} bytes: {data!r}")
        return data

    def data(self, *values: Any) -> str:
        """`pack` with the fields given in order."""
        return self.pack(**{key: v for (key, _kind), v in zip(self.fields, values, strict=True)})

    @property
    def pattern(self) -> str:
        """The handler pattern that routes only this action's buttons."""
        head = rf"^{re.escape(self.prefix)}:{re.escape(self.name)}"
        return f"{head}:" if self.fields else f"{head}$"

    def match(self, parts: list[str]) -> Press | None:
        """The decoded press when `parts` (after prefix and action) fit the fields."""
        if len(parts) != len(self.fields):
            return None
        values = {}
        for text, (key, (pattern, convert)) in zip(parts, self.fields, strict=True):
            if not re.fullmatch(pattern, text):
                return None
            values[key] = convert(text)
        return Press(self.name, values)


class Codec:
    """The buttons of one feature, under one prefix.

    An action may be declared in several shapes with different numbers of fields (a list
    with and without its page, say); the number of fields in the data picks the shape.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.actions: dict[str, Action] = {}
        self._shapes: dict[tuple[str, int], Action] = {}

    def action(self, name: str, **fields: tuple[str, Callable[[str], Any]]) -> Action:
        """Declare a kind of button and its fields, in order."""
        if (name, len(fields)) in self._shapes:
            raise ValueError(f"{self.prefix}:{name} declared twice")
        act = Action(self.prefix, name, tuple(fields.items()))
        self._shapes[name, len(fields)] = act
        self.actions.setdefault(name, act)
        return act

    @property
    def pattern(self) -> str:
        """The handler pattern that routes this feature's buttons to it."""
        return rf"^{re.escape(self.prefix)}:"

    def pattern_without(self, *actions: Action) -> str:
        """The handler pattern for this feature's buttons except `actions` (routed elsewhere)."""
        names = "|".join(re.escape(a.name) for a in actions)
        return rf"^{re.escape(self.prefix)}:(?!(?:{names})(?::|$))"

    def decode(self, data: str | None) -> Press | None:
        """The press, or None for data this codec did not make."""
        if not data:
            return None
        parts = data.split(":")
        if len(parts) < 2 or parts[0] != self.prefix:
            return None
        act = self._shapes.get((parts[1], len(parts) - 2))
        return act.match(parts[2:]) if act else None


async def stale(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button that no longer means anything (old, forged, already used)."""
    await query.answer(text or _("This button is no longer valid."), show_alert=True)


Handler = Callable[..., Awaitable[None]]


def on_press(codec: Codec) -> Callable[[Handler], Handler]:
    """Decode the pressed button once; refuse what does not decode with `stale`.

    The wrapped handler is called as `handler(update, context, press)`.
    """

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def run(update: Update, context: Any) -> None:
            query = update.callback_query
            assert query is not None
            press = codec.decode(query.data)
            if press is None:
                await stale(query)
                return
            await handler(update, context, press)

        return run

    return wrap
