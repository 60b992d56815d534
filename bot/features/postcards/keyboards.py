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

from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.callbacks import CODE, ID, VALUE, Codec
from bot.features.postcards import form
from bot.features.postcards.service import CourseRef
from bot.features.postcards.views import CardView
from bot.i18n import _

CB = Codec("pc")
COURSE = CB.action("c", course=ID)
MONTH = CB.action("m", card=ID, n=ID, month=CODE)
ADD = CB.action("add", card=ID)
DONE = CB.action("done", card=ID)
SKIP = CB.action("skip", card=ID)
EDIT = CB.action("e", card=ID, key=VALUE)
SAVE = CB.action("save", card=ID)
FILE = CB.action("file", course=ID)


def _rows(buttons: list[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def courses_keyboard(courses: Sequence[CourseRef]) -> InlineKeyboardMarkup:
    """One button per course the person may write a card for."""
    return _rows(
        [InlineKeyboardButton(c.t()[:60], callback_data=COURSE.data(c.id)) for c in courses], 1
    )


def months_keyboard(card_id: int, n: int, today: date) -> InlineKeyboardMarkup:
    """The next twelve months, named in the reader's language."""
    buttons = [
        InlineKeyboardButton(form.month_name(value), callback_data=MONTH.data(card_id, n, value))
        for value in form.month_choices(today)
    ]
    return _rows(buttons, 3)


def more_keyboard(card_id: int) -> InlineKeyboardMarkup:
    """Add another action, or stop."""
    add = InlineKeyboardButton(_("➕ Add another action"), callback_data=ADD.data(card_id))
    done = InlineKeyboardButton(_("That's all"), callback_data=DONE.data(card_id))
    return InlineKeyboardMarkup([[add, done]])


def skip_keyboard(card_id: int) -> InlineKeyboardMarkup:
    """Skip the support question."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("Skip"), callback_data=SKIP.data(card_id))]]
    )


def summary_keyboard(card: CardView) -> InlineKeyboardMarkup:
    """Change any field or action, add an action, or save."""
    edits = [
        InlineKeyboardButton(
            _("✏️ {field}").format(field=form.label("inspired_by")),
            callback_data=EDIT.data(card.id, "inspired_by"),
        )
    ]
    for n in range(1, len(card.actions) + 1):
        edits.append(
            InlineKeyboardButton(
                _("✏️ Action {n}").format(n=n), callback_data=EDIT.data(card.id, f"a{n}")
            )
        )
    if len(card.actions) < form.MAX_ACTIONS:
        edits.append(
            InlineKeyboardButton(_("➕ Add an action"), callback_data=EDIT.data(card.id, "add"))
        )
    for key in ("obstacles", "support"):
        edits.append(
            InlineKeyboardButton(
                _("✏️ {field}").format(field=form.label(key)),
                callback_data=EDIT.data(card.id, key),
            )
        )
    markup = _rows(edits, 2)
    save = InlineKeyboardButton(_("✅ Save my postcard"), callback_data=SAVE.data(card.id))
    return InlineKeyboardMarkup([*markup.inline_keyboard, [save]])


def file_keyboard(course_id: int) -> InlineKeyboardMarkup:
    """Get the picture as a file (full resolution, no compression)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("📎 As a file"), callback_data=FILE.data(course_id))]]
    )
