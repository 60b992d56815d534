"""Cities a question names that the catalogue does not know ("may officials of Osh apply?"),
found in GeoNames: their country decides which courses are open to them."""

from __future__ import annotations

import re

from bot.features.places import City, Index, resolve
from bot.features.qa.nlu_text import MAX_CHARS, normalise

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_HAN = re.compile("[\u4e00-\u9fff]{2,}")
# Russian names are inflected: "мэрии Оша", "из Бишкека", "в Казани".
_CASE_ENDINGS = ("ом", "ой", "ем", "а", "я", "у", "ю", "е", "ы", "и")
MAX_WORDS = 3
# Names not written like a name (lower case, or inside Chinese text without spaces) are only
# taken for large cities: "davao" and "昆明" are cities, "union" and "东方" are words first.
LARGE = 300_000
# Two Chinese characters are a word more often than a city ("东方" is also Dongfang).
HAN_PAIR = 1_000_000


def _forms(words: list[str]) -> list[str]:
    name = " ".join(words)
    forms = [name]
    last = words[-1]
    if re.match("[а-яё]", last.casefold()):
        for end in _CASE_ENDINGS:
            if last.casefold().endswith(end) and len(last) - len(end) >= 2:
                forms.append(" ".join([*words[:-1], last[: -len(end)]]))
    return forms


def _least_population(words: list[str], known: frozenset[str]) -> int | None:
    """How large a city these words must name to be taken for one; None: not a name at all."""
    # Ordinary words are also towns somewhere ("Can", "Mayor") and abbreviations are airport
    # codes ("NGO" is Nagoya): words the bot's lexicon knows and abbreviations never count.
    if all(normalise(w) in known for w in words):
        return None
    if len(words) == 1:
        word = words[0]
        if normalise(word) in known or (word.isupper() and len(word) <= 4):
            return None
        if word[:1].isupper():
            return 0
        return LARGE if len(word) >= 5 else None
    first = words[0]
    return 0 if first[:1].isupper() and not (first.isupper() and len(first) <= 4) else LARGE


def _sure(text: str, index: Index, least: int) -> City | None:
    place = resolve(text, index)
    city = place.city
    if city and not place.guessed and not place.ambiguous and city.population >= least:
        return city
    return None


def _in_han(text: str, index: Index, known: frozenset[str]) -> list[tuple[City, str]]:
    # Chinese has no spaces: the longest run of 2-4 characters that is a large city.
    for run in _HAN.findall(text):
        for size in (4, 3, 2):
            for i in range(len(run) - size + 1):
                part = run[i : i + size]
                least = HAN_PAIR if size == 2 else LARGE
                if normalise(part) not in known and (city := _sure(part, index, least)):
                    return [(city, part)]
    return []


def cities_in(text: str, index: Index, known: frozenset[str]) -> list[tuple[City, str]]:
    """Cities named in the text with the name to show (as written, "Ош" for "Оша", when
    capitalised; else GeoNames'); longest names first; only sure, unambiguous readings."""
    text = (text or "")[:MAX_CHARS]
    words = _WORD.findall(text)
    found: list[tuple[City, str]] = []
    taken = [False] * len(words)
    for size in range(MAX_WORDS, 0, -1):
        for i in range(len(words) - size + 1):
            span = words[i : i + size]
            if size > 1 and (len(span[0]) == 1 or len(span[-1]) == 1):
                # "Is Lagos a member?": an article is never the edge of a city's name.
                continue
            least = _least_population(span, known)
            if any(taken[i : i + size]) or least is None:
                continue
            for form in _forms(words[i : i + size]):
                if city := _sure(form, index, least):
                    shown = form if form[:1].isupper() else city.name
                    found.append((city, shown))
                    taken[i : i + size] = [True] * size
                    break
    return found or _in_han(text, index, known)
