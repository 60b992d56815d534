"""Buttons of the postcard screens and the callback data they carry.

Callback data (prefix `pc`):

    pc:c:<course>               write the card for a course
    pc:m:<card>:<n>:<YYYY-MM>   target month of action n
    pc:add:<card> / pc:done:<card>   another action / that's all
    pc:skip:<card>              skip the support question
    pc:e:<card>:<key>           edit from the summary (form.EDIT_KEYS)
    pc:save:<card>              save the card          pc:file:<course>  the picture as a file
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.features.postcards import form
from bot.features.postcards.service import CardView, CourseRef
from bot.i18n import _

_DATA = re.compile(
    r"^pc:(?P<action>c|m|add|done|skip|e|save|file):(?P<id>\d{1,12})"
    r"(?::(?P<n>\d))?(?::(?P<value>[a-z0-9_\-]{1,12}))?$"
)


@dataclass(frozen=True)
class Press:
    """Decoded button data; `id` is a course id for `c`, else a card id."""

    action: str
    id: int
    n: int = 0
    value: str = ""


def parse(data: str | None) -> Press | None:
    """Decode callback data; None for anything malformed."""
    text = data or ""
    match = _DATA.match(text)
    if not match or len(text) > 64:
        return None
    return Press(match["action"], int(match["id"]), int(match["n"] or 0), match["value"] or "")


def _rows(buttons: list[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def courses_keyboard(courses: Sequence[CourseRef]) -> InlineKeyboardMarkup:
    """One button per course the person may write a card for."""
    return _rows(
        [InlineKeyboardButton(c.t()[:60], callback_data=f"pc:c:{c.id}") for c in courses], 1
    )


def months_keyboard(card_id: int, n: int, today: date) -> InlineKeyboardMarkup:
    """The next twelve months, named in the reader's language."""
    buttons = [
        InlineKeyboardButton(form.month_name(value), callback_data=f"pc:m:{card_id}:{n}:{value}")
        for value in form.month_choices(today)
    ]
    return _rows(buttons, 3)


def more_keyboard(card_id: int) -> InlineKeyboardMarkup:
    """Add another action, or stop."""
    add = InlineKeyboardButton(_("➕ Add another action"), callback_data=f"pc:add:{card_id}")
    done = InlineKeyboardButton(_("That's all"), callback_data=f"pc:done:{card_id}")
    return InlineKeyboardMarkup([[add, done]])


def skip_keyboard(card_id: int) -> InlineKeyboardMarkup:
    """Skip the support question."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("Skip"), callback_data=f"pc:skip:{card_id}")]]
    )


def summary_keyboard(card: CardView) -> InlineKeyboardMarkup:
    """Change any field or action, add an action, or save."""
    edits = [
        InlineKeyboardButton(
            _("✏️ {field}").format(field=form.label("inspired_by")),
            callback_data=f"pc:e:{card.id}:inspired_by",
        )
    ]
    for n in range(1, len(card.actions) + 1):
        edits.append(
            InlineKeyboardButton(
                _("✏️ Action {n}").format(n=n), callback_data=f"pc:e:{card.id}:a{n}"
            )
        )
    if len(card.actions) < form.MAX_ACTIONS:
        edits.append(
            InlineKeyboardButton(_("➕ Add an action"), callback_data=f"pc:e:{card.id}:add")
        )
    for key in ("obstacles", "support"):
        edits.append(
            InlineKeyboardButton(
                _("✏️ {field}").format(field=form.label(key)),
                callback_data=f"pc:e:{card.id}:{key}",
            )
        )
    markup = _rows(edits, 2)
    save = InlineKeyboardButton(_("✅ Save my postcard"), callback_data=f"pc:save:{card.id}")
    return InlineKeyboardMarkup([*markup.inline_keyboard, [save]])


def file_keyboard(card_id: int) -> InlineKeyboardMarkup:
    """Get the picture as a file (full resolution, no compression)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("📎 As a file"), callback_data=f"pc:file:{card_id}")]]
    )
