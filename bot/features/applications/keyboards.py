"""Buttons of the trainee's application screens and the callback data they carry.

Callback data (prefix `ap`):

    ap:new:<code>                   apply to a course        ap:wl:<code>   join its waitlist
    ap:res:<app>                    continue a draft
    ap:ch:<app>:<field>:<value>     a choice answer          ap:edit:<app>:<field>
    ap:sub:<app>                    submit                   ap:wd:<app> / ap:wdy:<app>  withdraw
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.callbacks import CODE, ID, VALUE, WORD, Codec
from bot.features.applications import form, form_text
from bot.features.schedule.api import CourseView
from bot.i18n import _, babel_locale

CB = Codec("ap")
NEW = CB.action("new", code=CODE)
WAITLIST = CB.action("wl", code=CODE)
RESUME = CB.action("res", app=ID)
CHOICE = CB.action("ch", app=ID, field=WORD, value=VALUE)
EDIT = CB.action("edit", app=ID, field=WORD)
SUBMIT = CB.action("sub", app=ID)
WITHDRAW = CB.action("wd", app=ID)
WITHDRAW_YES = CB.action("wdy", app=ID)
WITHDRAW_NO = CB.action("wdn", app=ID)  # "ap:wdn:0": nothing to undo, the id is a placeholder


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with "…" so a cut is visible."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return head.rstrip(" ,(—–-") + "…"


def apply_button(course: CourseView) -> InlineKeyboardButton:
    """The “Apply” button under a course card."""
    return InlineKeyboardButton(_("📝 Apply"), callback_data=NEW.pack(code=course.code))


def courses_keyboard(courses: Sequence[CourseView]) -> InlineKeyboardMarkup:
    """One button per course open for applications."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(c.t(), callback_data=NEW.pack(code=c.code))] for c in courses]
    )


def waitlist_keyboard(code: str) -> InlineKeyboardMarkup:
    """The offer to join a full course's waitlist."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("Join the waitlist"), callback_data=WAITLIST.pack(code=code))]]
    )


def resume_keyboard(app_id: int) -> InlineKeyboardMarkup:
    """Continue a draft."""
    button = InlineKeyboardButton(
        _("✏️ Continue the application"), callback_data=RESUME.pack(app=app_id)
    )
    return InlineKeyboardMarkup([[button]])


def choice_keyboard(
    app_id: int, key: str, values: Sequence[str], labels: dict | None = None
) -> InlineKeyboardMarkup | None:
    """Buttons answering a field (`labels` names values that have no fixed label, such as
    candidate cities); None for a field answered by typing only."""
    if labels:
        # Candidate cities: one a row, "Valencia, Venezuela" is too long to pair.
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(labels.get(v, v), callback_data=CHOICE.data(app_id, key, v))]
                for v in values
            ]
        )
    if key == "country":
        names = babel_locale().territories
        labels = [(v, names.get(v, v)) for v in values]
    else:
        labels = [(v, form_text.choice_label(key, v)) for v in values]
    if not labels:
        return None
    width = 1 if key in ("seniority", "consent") else 2
    buttons = [
        InlineKeyboardButton(text, callback_data=CHOICE.data(app_id, key, value))
        for value, text in labels
    ]
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def summary_keyboard(app_id: int, keys: Sequence[str]) -> InlineKeyboardMarkup:
    """Change any one of the fields `keys`, or submit."""
    edits = [
        InlineKeyboardButton(
            _("✏️ {field}").format(field=form.label(k)), callback_data=EDIT.data(app_id, k)
        )
        for k in keys
    ]
    rows = [edits[i : i + 2] for i in range(0, len(edits), 2)]
    rows.append([InlineKeyboardButton(_("✅ Submit"), callback_data=SUBMIT.pack(app=app_id))])
    return InlineKeyboardMarkup(rows)


def withdraw_button(app_id: int, title: str) -> InlineKeyboardButton:
    """Withdraw one application (asks for confirmation first)."""
    return InlineKeyboardButton(
        _("↩️ Withdraw: {course}").format(course=_shorten(title, 40)),
        callback_data=WITHDRAW.pack(app=app_id),
    )


def confirm_withdraw_keyboard(app_id: int) -> InlineKeyboardMarkup:
    """Yes, withdraw / No."""
    yes = InlineKeyboardButton(_("Yes, withdraw"), callback_data=WITHDRAW_YES.pack(app=app_id))
    no = InlineKeyboardButton(_("No, keep it"), callback_data=WITHDRAW_NO.pack(app=0))
    return InlineKeyboardMarkup([[yes, no]])
