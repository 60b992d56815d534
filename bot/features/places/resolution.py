"""What city a person means: their text against the GeoNames index, with honest ambiguity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from bot.features.places.countries import country_of
from bot.features.places.index import City, Index
from bot.features.places.names import (
    cjk_tails,
    fold,
    has_cjk,
    keys,
    spelling,
    split_qualifier,
)

# Another city with the same name counts as a real alternative when it has at least this
# share of the first one's people (Valencia VE/ES, San José US/CR, Córdoba AR/ES), not when
# it is a town next to a capital (Lagos, Portugal beside Lagos, Nigeria).
AMBIGUOUS_SHARE = 0.2
# Misspellings: a city's own name this similar (rapidfuzz ratio, 0-100) is offered, to confirm.
TYPO_SCORE = 85
TYPO_MIN_LENGTH = 5
TYPO_CANDIDATES = 5


@dataclass(frozen=True)
class Resolution:
    """The city meant (None when unknown) and the candidates a person could choose from."""

    city: City | None
    candidates: tuple[City, ...]
    ambiguous: bool
    guessed: bool = False  # found only as a near spelling of a city's name: to confirm

    def as_json(self) -> dict:
        """`places resolve --json`: name, country, timezone, geonameid and candidates."""
        best = self.city
        return {
            "name": best.name if best else None,
            "country": best.country if best else None,
            "timezone": best.timezone if best else None,
            "geonameid": best.geonameid if best else None,
            "ambiguous": self.ambiguous,
            "guessed": self.guessed,
            "candidates": [
                {
                    "name": c.name,
                    "country": c.country,
                    "timezone": c.timezone,
                    "geonameid": c.geonameid,
                    "population": c.population,
                }
                for c in self.candidates
            ],
        }


@cache
def _chinese_variants(text: str) -> tuple[str, ...]:
    # GeoNames often lists a Chinese name in one script only: try the other as well.
    from opencc import OpenCC

    return tuple(OpenCC(config).convert(text) for config in ("t2s", "s2t"))


def _candidate_keys(name: str) -> list[str]:
    out = list(keys(name))
    if has_cjk(name):
        for variant in _chinese_variants(name):
            out.extend(k for k in keys(variant) if k not in out)
    return out


def _find(index: Index, name: str) -> list[City]:
    written = spelling(name)
    for candidate in _candidate_keys(name):
        if found := index.lookup(candidate, written):
            return found
    return []


def _near(index: Index, name: str) -> list[City]:
    # A misspelling ("Barranquila", "Phnom Phen"): the closest names of cities, best
    # match first, then the most populous; short keys match too much to guess from.
    names, ids = index.typo_names()
    best: dict[int, float] = {}
    for wanted in keys(name):
        if len(wanted) < TYPO_MIN_LENGTH or has_cjk(wanted):
            continue
        hits = process.extract(
            wanted, names, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE, limit=TYPO_CANDIDATES
        )
        for _, score, i in hits:
            best[ids[i]] = max(best.get(ids[i], 0), score)
    cities = [(score, index.get(gid)) for gid, score in best.items()]
    ranked = sorted(
        (pair for pair in cities if pair[1] is not None),
        key=lambda pair: (-round(pair[0]), -pair[1].population),
    )
    return [city for _, city in ranked]


def resolve(text: str, index: Index, prefer: str | None = None) -> Resolution:
    """The city in `text`: exact names first, then without administrative words, then near
    spellings (a guess). A country after a comma, else `prefer` (the country the person
    gave), narrows the choice; a city only found elsewhere, or rivals in other countries or
    time zones, make the answer unsure: the person chooses or confirms."""
    name, qualifier = split_qualifier(text or "")
    found = _find(index, name) if name else []
    if not found and qualifier:
        found = _find(index, text)  # a comma inside a name, or the province came first
    if not found and not qualifier:
        name, qualifier, found = _trailing_country(index, name)
    guessed = not found
    if guessed:
        found = _tails(index, name) or _near(index, name)
    if not found:
        return Resolution(None, (), False)
    country = country_of(qualifier) or prefer
    inside = [c for c in found if c.country == country] if country else found
    # Nothing in the country given ("Mla" from the Philippines is Valletta's old name): show
    # what was found, never file it silently under another country's clock.
    elsewhere = not inside
    candidates = _distinct(inside or found)
    best = candidates[0]
    home = (best.country, best.timezone)
    # A rival is another city called so (San Jose, US for San José, Costa Rica) in another
    # country or time zone (Springfield, Illinois and Massachusetts); a city that only has
    # the name as a foreign one (Changchun's Esperanto "Ĉanĉun" for Cancún) is none, unless
    # the first is not called so either.
    rivals = [
        c for c in candidates[1:] if (c.country, c.timezone) != home and (c.own or not best.own)
    ]
    ambiguous = bool(rivals) and rivals[0].population >= best.population * AMBIGUOUS_SHARE
    unsure = guessed or elsewhere or ambiguous
    return Resolution(best, tuple(candidates[:5]), unsure, guessed)


def _trailing_country(index: Index, name: str) -> tuple[str, str | None, list[City]]:
    # "Bogota Colombia", "Osh Kyrgyzstan": a country named after the city without a comma.
    words = fold(name).split()
    for n in (1, 2, 3):
        if len(words) > n and country_of(" ".join(words[-n:])):
            head = " ".join(words[:-n])
            if found := _find(index, head):
                return head, " ".join(words[-n:]), found
    return name, None, []


def _tails(index: Index, name: str) -> list[City]:
    for tail in cjk_tails(name):
        if found := index.lookup(tail, spelling(tail)):
            return found
    return []


def _distinct(found: list[City]) -> list[City]:
    seen, out = set(), []
    for city in found:
        place = (city.country, city.timezone, city.name)
        if place not in seen:
            seen.add(place)
            out.append(city)
    return out


def default_index(path: Path) -> Index:
    """The shared reader of the index file at `path` (Settings.places_path), built on first
    use."""
    return _index(str(path.resolve()))


@cache
def _index(path: str) -> Index:
    return Index(Path(path))


def place_values(city: City) -> dict:
    """What a form keeps of a resolved city: GeoNames id, English name, country, zone."""
    return {
        "geonameid": city.geonameid,
        "city_name": city.name,
        "city_country": city.country,
        "city_zone": city.timezone,
    }


def standard_offset(zone: str) -> float:
    """Hours east of UTC in the zone's standard (not daylight saving) time, as of 2026."""
    moment = datetime(2026, 1, 15, 12, tzinfo=ZoneInfo(zone))
    return (moment.utcoffset() - (moment.dst() or timedelta())).total_seconds() / 3600
