"""Inline keyboards of the course catalogue and the callback data they carry.

Callback data grammar, version 1, declared once below as the codec CB (prefix `crs`; an
incompatible change takes a new prefix such as `crs2`, so old buttons get the stale answer):

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

from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import format_skeleton
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.callbacks import CODE, Codec
from bot.features.schedule.labels import THEME_ICONS, month_name, theme_label, type_label
from bot.features.schedule.models import COURSE_TYPES, THEMES
from bot.features.schedule.service import CourseFilter, CourseView
from bot.i18n import _, babel_locale

YEAR = (r"(?:19|20|21)\d\d", int)
MONTH = (r"1[0-2]|[1-9]", str)  # CourseFilter keeps the month as text
CB = Codec("crs")
HOME = CB.action("y", year=YEAR)
PICK = CB.action("p", pick=(r"[mtk]", str), year=YEAR)
KEY = (r"[^:]{1,40}", str)  # a theme or course type; parse checks it is one we know
LISTS = {
    "m": CB.action("m", year=YEAR, value=MONTH),
    "t": CB.action("t", year=YEAR, value=KEY),
    "k": CB.action("k", year=YEAR, value=KEY),
}
KNOWN = {"t": THEMES, "k": COURSE_TYPES}
UNDATED = CB.action("u", year=YEAR)
CARD = CB.action("c", code=CODE)
# A card remembers the list it was opened from, for its Back button.
CARD_FROM_UNDATED = CB.action("c", code=CODE, kind=(r"u", str), year=YEAR)
CARD_FROM = CB.action("c", code=CODE, kind=(r"[mtk]", str), year=YEAR, value=KEY)
ICS = CB.action("ics", code=CODE)


@dataclass(frozen=True)
class Nav:
    """Where a button leads: a screen and its parameters, syntactically valid."""

    screen: str  # home | pick | list | card | ics
    year: int = 0
    pick: str = ""  # m | t | k, for the pick screen
    flt: CourseFilter | None = None  # the list shown, or the list a card returns to
    code: str = ""


def list_data(flt: CourseFilter) -> str:
    """The callback data of a course list."""
    if flt.kind == "u":
        return UNDATED.pack(year=flt.year)
    return LISTS[flt.kind].pack(year=flt.year, value=flt.value)


def _filter(kind: str, year: int, value: str = "") -> CourseFilter | None:
    """The list of these fields, when the value fits the kind (a month, a known theme …)."""
    if kind == "u":
        return CourseFilter("u", year)
    fits = LISTS[kind].match([str(year), value]) is not None
    return CourseFilter(kind, year, value) if fits and value in KNOWN.get(kind, (value,)) else None


def parse(data: str | None) -> Nav | None:
    """Decode callback data; None for anything malformed (forged, truncated, other version)."""
    press = CB.decode(data)
    if press is None:
        return None
    if press.action == "y":
        return Nav("home", year=press.year)
    if press.action == "p":
        return Nav("pick", year=press.year, pick=press.pick)
    if press.action in LISTS or press.action == "u":
        flt = _filter(press.action, press.year, press.get("value", ""))
        return Nav("list", year=flt.year, flt=flt) if flt else None
    if press.action == "ics":
        return Nav("ics", code=press.code)
    if press.get("kind") is None:
        return Nav("card", code=press.code)
    origin = _filter(press.kind, press.year, press.get("value", ""))
    return Nav("card", code=press.code, flt=origin) if origin else None


def _back(data: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_("⬅ Back"), callback_data=data)]


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def home_keyboard(year: int, years: Sequence[int]) -> InlineKeyboardMarkup:
    """Browse a year by month, theme or type; switch to another year that has courses."""
    rows = [
        [
            InlineKeyboardButton(_("🗓 By month"), callback_data=PICK.pack(pick="m", year=year)),
            InlineKeyboardButton(_("🏷 By theme"), callback_data=PICK.pack(pick="t", year=year)),
        ],
        [
            InlineKeyboardButton(
                _("🧭 By course type"), callback_data=PICK.pack(pick="k", year=year)
            )
        ],
    ]
    others = [InlineKeyboardButton(f"📆 {y}", callback_data=HOME.pack(year=y)) for y in years]
    rows += _rows([b for b in others if b.callback_data != HOME.pack(year=year)], 4)
    return InlineKeyboardMarkup(rows)


def month_keyboard(year: int, counts: dict[int, int], undated: int) -> InlineKeyboardMarkup:
    """Months that have courses (with counts) and, if any, the courses not yet dated."""
    buttons = [
        InlineKeyboardButton(
            f"{month_name(m)} ({n})", callback_data=LISTS["m"].pack(year=year, value=m)
        )
        for m, n in counts.items()
    ]
    rows = _rows(buttons, 3)
    if undated:
        label = _("⏳ Dates to be agreed ({count})").format(count=undated)
        rows.append([InlineKeyboardButton(label, callback_data=UNDATED.pack(year=year))])
    return InlineKeyboardMarkup([*rows, _back(HOME.pack(year=year))])


def theme_keyboard(year: int, counts: dict[str, int]) -> InlineKeyboardMarkup:
    """Themes that have courses this year, in the catalogue's fixed order."""
    buttons = [
        InlineKeyboardButton(
            f"{THEME_ICONS.get(t, '•')} {theme_label(t)} ({counts[t]})",
            callback_data=LISTS["t"].pack(year=year, value=t),
        )
        for t in [*THEMES, *sorted(set(counts) - set(THEMES))]
        if t in counts
    ]
    return InlineKeyboardMarkup([*_rows(buttons, 2), _back(HOME.pack(year=year))])


def type_keyboard(year: int, counts: dict[str, int]) -> InlineKeyboardMarkup:
    """Course types that have courses this year."""
    buttons = [
        InlineKeyboardButton(
            f"{type_label(k)} ({counts[k]})", callback_data=LISTS["k"].pack(year=year, value=k)
        )
        for k in COURSE_TYPES
        if k in counts
    ]
    return InlineKeyboardMarkup([*_rows(buttons, 1), _back(HOME.pack(year=year))])


def card_data(course: CourseView, origin: CourseFilter | None) -> str:
    """Callback data opening a card; the origin is dropped if it would not fit in 64 bytes."""
    try:
        if origin is not None and origin.kind == "u":
            return CARD_FROM_UNDATED.pack(code=course.code, kind="u", year=origin.year)
        if origin is not None:
            kind, year, value = origin.kind, origin.year, origin.value
            return CARD_FROM.pack(code=course.code, kind=kind, year=year, value=value)
    except ValueError:
        pass  # over 64 bytes with the origin: the card's Back then leads to the year
    return CARD.pack(code=course.code)


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
    return InlineKeyboardMarkup([*rows, _back(PICK.pack(pick=picker, year=flt.year))])


def card_keyboard(
    course: CourseView,
    origin: CourseFilter | None,
    extra: Sequence[InlineKeyboardButton] = (),
) -> InlineKeyboardMarkup:
    """The card's buttons: .ics for dated courses, other features' buttons, then Back."""
    rows = []
    if course.starts:
        label = _("📅 Add to calendar (.ics)")
        rows.append([InlineKeyboardButton(label, callback_data=ICS.pack(code=course.code))])
    rows += [[button] for button in extra]
    back = list_data(origin) if origin else HOME.pack(year=course.year)
    rows.append(_back(back))
    return InlineKeyboardMarkup(rows)
