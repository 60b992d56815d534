"""Buttons of the evaluation and the survey, the callback data they carry, and their labels.

Callback data:

    ev:go:<course>                    open the evaluation (the invitation's button)
    ev:st:<eval>:<action>:<status>    an action's status     ev:rt:<eval>:<1–5>  the rating
    ev:sk:<eval>:<step>               skip a typed answer    ev:vo:<eval>:yes|no the forum
    sv:go:<course>                    open the survey        sv:sc:<resp>:<item>:<1–5>
    sv:sk:<resp>                      skip the comment
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.callbacks import ID, VALUE, WORD, Codec
from bot.features.followups.evaluation import RATINGS, STATUSES
from bot.features.followups.labels import ITEM_LABELS, STATUS_LABELS
from bot.features.followups.survey import ITEMS, SCORES
from bot.i18n import _

assert set(STATUS_LABELS) == set(STATUSES) and set(ITEM_LABELS) == set(ITEMS)

EV = Codec("ev")
EV_OPEN = EV.action("go", course=ID)
STATUS = EV.action("st", eval=ID, index=ID, value=WORD)
RATING = EV.action("rt", eval=ID, value=ID)
EV_SKIP = EV.action("sk", eval=ID, value=VALUE)  # the step it skips
VOLUNTEER = EV.action("vo", eval=ID, value=WORD)
SV = Codec("sv")
SV_OPEN = SV.action("go", course=ID)
SCORE = SV.action("sc", response=ID, item=WORD, value=ID)
SV_SKIP = SV.action("sk", response=ID)


def status_label(status: str) -> str:
    """An action status in the current language."""
    return _(STATUS_LABELS.get(status, status))


def item_label(item: str) -> str:
    """A survey item in the current language."""
    return _(ITEM_LABELS.get(item, item))


def _row(buttons: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([buttons])


def status_keyboard(eval_id: int, index: int) -> InlineKeyboardMarkup:
    """The four statuses of one action, two per row."""
    buttons = [
        InlineKeyboardButton(status_label(s), callback_data=STATUS.data(eval_id, index, s))
        for s in STATUSES
    ]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:]])


def skip_keyboard(flow: str, row_id: int, step: str = "") -> InlineKeyboardMarkup:
    """“Skip” for a typed answer; the step is in the data so an old Skip cannot skip a new one."""
    data = EV_SKIP.data(row_id, step) if flow == "ev" else SV_SKIP.data(row_id)
    return _row([InlineKeyboardButton(_("Skip"), callback_data=data)])


def rating_keyboard(eval_id: int) -> InlineKeyboardMarkup:
    """1–5 for how useful the course was."""
    return _row(
        [InlineKeyboardButton(str(n), callback_data=RATING.data(eval_id, n)) for n in RATINGS]
    )


def volunteer_keyboard(eval_id: int) -> InlineKeyboardMarkup:
    """Yes / No to presenting at the forum."""
    return _row(
        [
            InlineKeyboardButton(_("Yes"), callback_data=VOLUNTEER.data(eval_id, "yes")),
            InlineKeyboardButton(_("No"), callback_data=VOLUNTEER.data(eval_id, "no")),
        ]
    )


def score_keyboard(response_id: int, item: str) -> InlineKeyboardMarkup:
    """1–5 for one survey item."""
    return _row(
        [
            InlineKeyboardButton(str(n), callback_data=SCORE.data(response_id, item, n))
            for n in SCORES
        ]
    )


def continue_keyboard(flow: str, course_id: int) -> InlineKeyboardMarkup:
    """Continue a paused evaluation or survey later (the same data as the invitation)."""
    return _row(
        [
            InlineKeyboardButton(
                _("▶️ Continue"),
                callback_data=(EV_OPEN if flow == "ev" else SV_OPEN).data(course_id),
            )
        ]
    )


def courses_keyboard(courses: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """One survey button per course, for /survey when several are open."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(title[:60], callback_data=SV_OPEN.data(cid))]
            for cid, title in courses
        ]
    )
