"""Cities a question names that the catalogue does not know ("may officials of Osh apply?"),
found in GeoNames: their country decides which courses are open to them."""

from __future__ import annotations

import re

from bot.features.places import City, Index, resolve
from bot.features.qa.nlu_text import MAX_CHARS, normalise

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Russian names are inflected: "мэрии Оша", "из Бишкека", "в Казани".
_CASE_ENDINGS = ("ом", "ой", "ем", "а", "я", "у", "ю", "е", "ы", "и")
MAX_WORDS = 3


def _forms(words: list[str]) -> list[str]:
    name = " ".join(words)
    forms = [name]
    last = words[-1]
    if re.match("[а-яё]", last.casefold()):
        for end in _CASE_ENDINGS:
            if last.casefold().endswith(end) and len(last) - len(end) >= 2:
                forms.append(" ".join([*words[:-1], last[: -len(end)]]))
    return forms


def _plausible(words: list[str], known: frozenset[str]) -> bool:
    # Ordinary words are also towns somewhere ("Can", "Mayor", "Union") and abbreviations are
    # airport codes ("NGO" is Nagoya): a single word must be capitalised or long, not an
    # abbreviation, and not a word the bot's own lexicon already knows.
    if len(words) == 1:
        word = words[0]
        if normalise(word) in known or (word.isupper() and len(word) <= 4):
            return False
        return word[:1].isupper() or len(word) >= 6
    return not all(normalise(w) in known for w in words)


def cities_in(text: str, index: Index, known: frozenset[str]) -> list[tuple[City, str]]:
    """Cities named in the text with the name to show (as written, "Ош" for "Оша", when
    capitalised; else GeoNames'); longest names first; only sure, unambiguous readings."""
    words = _WORD.findall((text or "")[:MAX_CHARS])
    found: list[tuple[City, str]] = []
    taken = [False] * len(words)
    for size in range(MAX_WORDS, 0, -1):
        for i in range(len(words) - size + 1):
            if any(taken[i : i + size]) or not _plausible(words[i : i + size], known):
                continue
            for form in _forms(words[i : i + size]):
                place = resolve(form, index)
                if place.city and not place.guessed and not place.ambiguous:
                    shown = form if form[:1].isupper() else place.city.name
                    found.append((place.city, shown))
                    taken[i : i + size] = [True] * size
                    break
    return found
