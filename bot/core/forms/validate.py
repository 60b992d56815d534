"""Reading a typed answer: the text cleaned, its length checked, and why it was refused.

A validator returns a value or a `Problem` (a code and the numbers it mentions); `reason`
turns the codes every form shares into a sentence in the person's language, and a form's own
codes are worded by the form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from babel.numbers import format_decimal

from bot.i18n import _, babel_locale


@dataclass(frozen=True)
class Problem:
    """Why an answer was refused: a code and the numbers its sentence mentions."""

    code: str  # too_long | too_short | empty | buttons | closed, or a form's own
    params: dict = field(default_factory=dict)


# Invisible characters that only hide or reorder text: zero-width space, joiners, word
# joiner and BOM, and the bidi embeddings, overrides, isolates and marks. A right-to-left
# override in a stored name makes it read differently on every screen that shows it.
_INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)
# Full-width letters, digits and ＠ (a Chinese or Japanese keyboard's ＠, ０-９, ｃｏｍ) and the
# ideographic space: folded to their plain forms, the only part of NFKC applied to free text
# (NFKC elsewhere would turn "™" into "TM" or "²" into "2" in someone's motivation). Chinese
# punctuation (，。：？) is how Chinese is written, and stays.
_WIDE = re.compile("[\u3000\uff10-\uff19\uff20-\uff3a\uff41-\uff5a]+")
_EMOJI_JOINER = "\u200d"


def _keep_emoji_joiner(text: str, i: int) -> bool:
    # A zero-width joiner between two pictographs builds one emoji (👩‍💻): it stays.
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return bool(before and after) and all(
        unicodedata.category(ch) in ("So", "Sk", "Mn") or "\ufe0e" <= ch <= "\ufe0f"
        for ch in (before, after)
    )


def strip_invisible(text: str) -> str:
    """The text without zero-width and bidi-control characters (emoji sequences kept)."""
    return "".join(
        ch
        for i, ch in enumerate(text)
        if not _INVISIBLE.match(ch) or (ch == _EMOJI_JOINER and _keep_emoji_joiner(text, i))
    )


def clean(text: str) -> str:
    """A typed answer with full-width forms folded, invisible characters removed and white
    space trimmed; the text itself (any script, emoji) is otherwise kept exactly."""
    text = _WIDE.sub(lambda m: unicodedata.normalize("NFKC", m[0]), text or "")
    return strip_invisible(text).strip()


def check_length(text: str, limit: int, minimum: int = 1) -> Problem | None:
    """A Problem when the text is empty, shorter than `minimum` or longer than `limit`."""
    if not text:
        return Problem("empty")
    if len(text) > limit:
        return Problem("too_long", {"limit": limit, "length": len(text)})
    if len(text) < minimum:
        return Problem("too_short", {"minimum": minimum})
    return None


def reason(problem: Problem) -> str:
    """Why an answer was refused, for the codes every form shares, in the current language."""
    p = problem.params
    if problem.code == "too_long":
        loc = babel_locale()
        return _(
            "This answer is too long: the limit is {limit} characters and yours has {length}. "
            "Please shorten it and send it again."
        ).format(
            limit=format_decimal(p["limit"], locale=loc),
            length=format_decimal(p["length"], locale=loc),
        )
    if problem.code == "too_short":
        return _("This answer is too short. Please write at least {minimum} characters.").format(
            minimum=p["minimum"]
        )
    if problem.code == "buttons":
        return _("Please choose one of the buttons.")
    return _("Please type your answer.")
