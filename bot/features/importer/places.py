"""Countries and cities "as recorded": parsing a results cell and resolving the names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.core import get_global

from bot.features.importer.columns import norm

EXTRA_COUNTRY_NAMES = {"czech republic": "CZ", "체코공화국": "CZ", "uae": "AE", "usa": "US"}
PIECE = re.compile(r"^\s*(?P<country>[^()]+?)\s*(?:\((?P<cities>[^()]*)\))?\s*$")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class PlaceIn:
    """One country/city entry of a results row, as the staff member wrote it."""

    country: str  # ISO 3166-1 alpha-2
    recorded: str  # the country's name as recorded (English)
    recorded_ko: str | None
    city: str | None  # the city as written, None for a country alone


@cache
def _countries() -> dict[str, str]:
    """Normalised country name in any bot language (or the ISO code) → ISO code."""
    index = {norm(k): v for k, v in EXTRA_COUNTRY_NAMES.items()}
    for lang in ("en", "ko", "zh", "es", "ru"):
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                index.setdefault(norm(name), code)
                index.setdefault(norm(code), code)
    return index


def country_code(name: str) -> str | None:
    """The ISO code of a country name (English, Korean, Chinese, Spanish, Russian) or code."""
    return _countries().get(norm(name))


def parse_places(text: str) -> tuple[list[PlaceIn], list[str]]:
    """Parse "Country (City, City); Country" into entries; also the unreadable pieces."""
    places, bad = [], []
    for piece in re.split(r"[;\n]", text):
        if not piece.strip():
            continue
        match = PIECE.match(piece)
        code = country_code(match["country"]) if match else None
        if match is None or code is None:
            bad.append(piece.strip())
            continue
        written = match["country"].strip()
        if HANGUL.search(written):
            recorded, recorded_ko = Locale.parse("en").territories[code], written
        else:
            recorded, recorded_ko = written, Locale.parse("ko").territories.get(code)
        cities = [c.strip() for c in re.split(r"[,、]", match["cities"] or "") if c.strip()]
        for city in cities or [None]:
            places.append(PlaceIn(code, recorded[:100], (recorded_ko or "")[:100] or None, city))
    return places, bad


def city_slug(name: str, taken: set[str]) -> str:
    """A new, unused city key from a written name (ASCII where possible)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:50] or "city"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def country_zone(country: str) -> str:
    """A time zone of a country (the first Babel lists), UTC if unknown."""
    zones = get_global("territory_zones").get(country) or ["UTC"]
    return zones[0]
