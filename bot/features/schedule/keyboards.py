"""Inline keyboards of the course catalogue and the callback data they carry.

Callback data grammar, version 1 (prefix `crs`; an incompatible change takes a new prefix such
as `crs2`, so old buttons fall through to the stale-button answer):

    crs:y:<year>                  the year's start screen
    crs:p:<m|t|k>:<year>          pick a month, theme or course type
    crs:m:<year>:<month>          courses running in a month (1–12)
    crs:t:<year>:<theme>          courses of a theme
    crs:k:<year>:<type>           courses of a type
    crs:u:<year>                  courses whose dates are still to be agreed
    crs:c:<code>[:<list>]         a course card; <list> is one of the four above, for Back
    crs:ics:<code>                the course's .ics file
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babel.dates import format_skeleton
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot.features.schedule.labels import THEME_ICONS, month_name, theme_label, type_label
from bot.features.schedule.models import COURSE_TYPES, THEMES
from bot.features.schedule.service import CourseFilter, CourseView
from bot.i18n import _, babel_locale

PREFIX = "crs"
MAX_DATA = 64
_YEAR = re.compile(r"^(19|20|21)\d\d$")
_MONTH = re.compile(r"^(1[0-2]|[1-9])$")
_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,32}$")

CardButton = Callable[[CourseView], InlineKeyboardButton | None]


def add_card_button(app: Application, provider: CardButton) -> None:
    """Hook for other features (e.g. applications' “Apply”): a button under each course card."""
    app.bot_data.card_buttons.append(provider)


def card_extra_buttons(app: Application, course: CourseView) -> list[InlineKeyboardButton]:
    """The buttons other features add to this course's card, in registration order."""
    found = (provider(course) for provider in app.bot_data.card_buttons)
    return [button for button in found if button is not None]


@dataclass(frozen=True)
class Nav:
    """Where a button leads: a screen and its parameters, syntactically valid."""

    screen: str  # home | pick | list | card | ics
    year: int = 0
    pick: str = ""  # m | t | k, for the pick screen
    flt: CourseFilter | None = None  # the list shown, or the list a card returns to
    code: str = ""


def filter_data(flt: CourseFilter) -> str:
    """The callback data of a course list (without the prefix)."""
    return f"{flt.kind}:{flt.year}" + (f":{flt.value}" if flt.value else "")


def _data(*parts: object) -> str:
    return ":".join([PREFIX, *map(str, parts)])


def _parse_filter(parts: Sequence[str]) -> CourseFilter | None:
    if len(parts) < 2 or not _YEAR.match(parts[1]):
        return None
    kind, year, rest = parts[0], int(parts[1]), list(parts[2:])
    if kind == "u" and not rest:
        return CourseFilter("u", year)
    if len(rest) != 1:
        return None
    value = rest[0]
    valid = {"m": bool(_MONTH.match(value)), "t": value in THEMES, "k": value in COURSE_TYPES}
    return CourseFilter(kind, year, value) if valid.get(kind) else None


def parse(data: str | None) -> Nav | None:
    """Decode callback data; None for anything malformed (forged, truncated, other version)."""
    parts = (data or "").split(":")
    if len(parts) < 3 or parts[0] != PREFIX or len(data or "") > MAX_DATA:
        return None
    head, args = parts[1], parts[2:]
    if head == "y" and len(args) == 1 and _YEAR.match(args[0]):
        return Nav("home", year=int(args[0]))
    if head == "p" and len(args) == 2 and args[0] in ("m", "t", "k") and _YEAR.match(args[1]):
        return Nav("pick", year=int(args[1]), pick=args[0])
    if head in ("m", "t", "k", "u"):
        flt = _parse_filter([head, *args])
        return Nav("list", year=flt.year, flt=flt) if flt else None
    if head in ("c", "ics") and _CODE.match(args[0]):
        if head == "ics":
            return Nav("ics", code=args[0]) if len(args) == 1 else None
        origin = _parse_filter(args[1:]) if len(args) > 1 else None
        if len(args) > 1 and origin is None:
            return None
        return Nav("card", code=args[0], flt=origin)
    return None


def _back(data: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_("⬅ Back"), callback_data=data)]


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def home_keyboard(year: int, years: Sequence[int]) -> InlineKeyboardMarkup:
    """Browse a year by month, theme or type; switch to another year that has courses."""
    rows = [
        [
            InlineKeyboardButton(_("🗓 By month"), callback_data=_data("p", "m", year)),
            InlineKeyboardButton(_("🏷 By theme"), callback_data=_data("p", "t", year)),
        ],
        [InlineKeyboardButton(_("🧭 By course type"), callback_data=_data("p", "k", year))],
    ]
    others = [InlineKeyboardButton(f"📆 {y}", callback_data=_data("y", y)) for y in years]
    rows += _rows([b for b in others if b.callback_data != _data("y", year)], 4)
    return InlineKeyboardMarkup(rows)


def month_keyboard(year: int, counts: dict[int, int], undated: int) -> InlineKeyboardMarkup:
    """Months that have courses (with counts) and, if any, the courses not yet dated."""
    buttons = [
        InlineKeyboardButton(f"{month_name(m)} ({n})", callback_data=_data("m", year, m))
        for m, n in counts.items()
    ]
    rows = _rows(buttons, 3)
    if undated:
        label = _("⏳ Dates to be agreed ({count})").format(count=undated)
        rows.append([InlineKeyboardButton(label, callback_data=_data("u", year))])
    return InlineKeyboardMarkup([*rows, _back(_data("y", year))])


def theme_keyboard(year: int, counts: dict[str, int]) -> InlineKeyboardMarkup:
    """Themes that have courses this year, in the catalogue's fixed order."""
    buttons = [
        InlineKeyboardButton(
            f"{THEME_ICONS.get(t, '•')} {theme_label(t)} ({counts[t]})",
            callback_data=_data("t", year, t),
        )
        for t in [*THEMES, *sorted(set(counts) - set(THEMES))]
        if t in counts
    ]
    return InlineKeyboardMarkup([*_rows(buttons, 2), _back(_data("y", year))])


def type_keyboard(year: int, counts: dict[str, int]) -> InlineKeyboardMarkup:
    """Course types that have courses this year."""
    buttons = [
        InlineKeyboardButton(f"{type_label(k)} ({counts[k]})", callback_data=_data("k", year, k))
        for k in COURSE_TYPES
        if k in counts
    ]
    return InlineKeyboardMarkup([*_rows(buttons, 1), _back(_data("y", year))])


def card_data(course: CourseView, origin: CourseFilter | None) -> str:
    """Callback data opening a card; the origin is dropped if it would not fit in 64 bytes."""
    data = _data("c", course.code, filter_data(origin)) if origin else _data("c", course.code)
    return data if len(data.encode()) <= MAX_DATA else _data("c", course.code)


def list_keyboard(flt: CourseFilter, courses: Sequence[CourseView]) -> InlineKeyboardMarkup:
    """One button per course of the list, then Back to the picker it came from."""
    rows = []
    for course in courses:
        when = (
            format_skeleton("MMMd", course.starts, locale=babel_locale())
            if course.starts
            else "⏳"
        )
        label = f"{when} · {course.t()}"
        rows.append([InlineKeyboardButton(label, callback_data=card_data(course, flt))])
    picker = "m" if flt.kind == "u" else flt.kind
    return InlineKeyboardMarkup([*rows, _back(_data("p", picker, flt.year))])


def card_keyboard(
    course: CourseView,
    origin: CourseFilter | None,
    extra: Sequence[InlineKeyboardButton] = (),
) -> InlineKeyboardMarkup:
    """The card's buttons: .ics for dated courses, other features' buttons, then Back."""
    rows = []
    if course.starts:
        label = _("📅 Add to calendar (.ics)")
        rows.append([InlineKeyboardButton(label, callback_data=_data("ics", course.code))])
    rows += [[button] for button in extra]
    back = filter_data(origin) if origin else f"y:{course.year}"
    rows.append(_back(f"{PREFIX}:{back}"))
    return InlineKeyboardMarkup(rows)
