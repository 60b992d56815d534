"""Target months as people write them: "dec 2018", "diciembre de 2018", "декабря 2018",
"2019年十二月", "12/2018", "2018-12". Month names come from CLDR (Babel) in the trainees'
languages, in every form it has: wide and abbreviated, format (Russian genitive "декабря")
and stand-alone ("декабрь"), and any unambiguous start of a name ("dic", "сент")."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache

from babel.dates import get_month_names

# The trainees' languages and regional forms with other spellings (en_GB "Sept", Peruvian
# "setiembre"); Korean for staff; Traditional Chinese readers.
LOCALES = ("en", "en_GB", "es", "es_PE", "ru", "zh", "zh_Hant", "ko")
_PREFIX_MIN = 3  # "dec", "dic", "дек": shorter starts ("ma", "ju") name several months
# Words around a month and year: Spanish "de", Russian "г."/"года", "年" and "년" (year).
_FILLER = frozenset({"de", "del", "г", "год", "года", "гг", "year", "of", "月", "월", "年", "년"})
_TOKENS = re.compile(r"\d+|[^\W\d_]+")


def _fold(text: str) -> str:
    # Case and accents off ("Décembre", "SEPT"); 年 and 년 (year) become spaces, so that
    # "2019年十二月" splits into the year and the month.
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return re.sub("[年년]", " ", unicodedata.normalize("NFC", text))


@cache
def names() -> dict[str, int]:
    """Folded month name, abbreviation or unambiguous start → month number."""
    found: dict[str, set[int]] = {}
    for loc in LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, loc).items():
                    word = _fold(name).replace(".", "")
                    found.setdefault(word, set()).add(number)
                    if width == "wide" and word.isalpha():
                        for end in range(_PREFIX_MIN, len(word)):
                            found.setdefault("^" + word[:end], set()).add(number)
    table = {w: n.pop() for w, n in found.items() if len(n) == 1 and not w.startswith("^")}
    for word, numbers in found.items():
        if word.startswith("^") and len(numbers) == 1:
            table.setdefault(word[1:], next(iter(numbers)))
    return table


def parse(text: str, today: date) -> tuple[int, int] | None:
    """(year, month) of a typed month, in any of the ways above; a month without a year is
    the next one of that name (this month included). None when it is not a month."""
    tokens = [t for t in _TOKENS.findall(_fold(text or "")) if t not in _FILLER]
    years = [int(t) for t in tokens if t.isdigit() and len(t) == 4]
    numbers = [int(t) for t in tokens if t.isdigit() and len(t) <= 2]
    words = [t for t in tokens if not t.isdigit()]
    months = [names().get(w) for w in words]
    if None in months or len(years) > 1 or len(numbers) + len(months) != 1:
        return None
    if numbers and not years:
        return None  # "12" alone could be a day or a count
    month = numbers[0] if numbers else months[0]
    if not 1 <= month <= 12:
        return None
    if years:
        return years[0], month
    return (today.year if month >= today.month else today.year + 1), month
