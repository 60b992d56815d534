"""A day of the month written with its month: "14 May", "May 14th", "14 мая", "el 14 de mayo",
"5月14日", "五月十四号" — the way people name one day of a course week."""

from __future__ import annotations

import re
from datetime import date

from bot.features.qa.nlu_match import Match

_CJK_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CJK_DAY_MARKS = frozenset("日号號")
# "14th", "1st", "14-го", "14го", "14e": the number with an ordinal ending.
_ORDINAL_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|го|е|ое|o|º)?$")
# English "may" is a modal verb far more often than a month; next to a day number it is May.
_AMBIGUOUS_MONTHS = {"may": 5}
# Between a day number and its month: "14-го мая", "14th of May", "14 de mayo".
_JOINERS = frozenset({"го", "е", "th", "st", "nd", "rd", "of", "de", "del"})


def _number(tok: str) -> int | None:
    m = _ORDINAL_RE.match(tok)
    return int(m.group(1)) if m else None


def _cjk_number(toks: list[str], at: int) -> tuple[int | None, int]:
    """A day written in Chinese numerals or digits from toks[at]: (value, tokens used)."""
    if at < len(toks) and toks[at].isdigit():
        return int(toks[at]), 1
    value, tens, used = 0, False, 0
    while at + used < len(toks):
        ch = toks[at + used]
        if ch == "十":
            value, tens = (value or 1) * 10, True
        elif ch in ("廿", "卅"):
            value, tens = (20 if ch == "廿" else 30), True
        elif ch in _CJK_DIGITS:
            value += _CJK_DIGITS[ch]
        else:
            break
        used += 1
    return (value if used and (tens or value < 10) else None), used


def _day_after(toks: list[str], end: int) -> int | None:
    if end >= len(toks):
        return None
    n = _number(toks[end])
    if n is not None:
        return n
    value, used = _cjk_number(toks, end)
    if value is not None and end + used < len(toks) and toks[end + used] in _CJK_DAY_MARKS:
        return value
    return None


def days_of_month(toks: list[str], matches: list[Match]) -> list[tuple[int, int]]:
    """Every (month, day) where a day number stands right before or after a month."""
    months = [
        (m.start, m.end, int(m.value)) for m in matches if m.kind == "month" if m.value.isdigit()
    ]
    months += [(i, i + 1, n) for i, t in enumerate(toks) if (n := _AMBIGUOUS_MONTHS.get(t))]
    found = []
    for start, end, month in sorted(months):
        before = start - 1
        if before > 0 and toks[before] in _JOINERS:
            before -= 1
        day = _number(toks[before]) if before >= 0 else None
        if day is None:
            day = _day_after(toks, end)
        if day is not None and 1 <= day <= 31:
            found.append((month, day))
    return found


def exact_day(toks: list[str], matches: list[Match], year: int | None) -> str | None:
    """The ISO date of the one day named with its month, in the programme year; None when none,
    several or impossible (31 June)."""
    found = days_of_month(toks, matches)
    # "From 10 May to 10 June" names a span, not a day.
    if len(found) != 1 or year is None:
        return None
    try:
        return date(year, *found[0]).isoformat()
    except ValueError:
        return None
