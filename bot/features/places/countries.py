"""Countries as people write them: CLDR names in many languages, each country's name in its
own languages, older names, abbreviations ("Phils", "РФ", "KSA") and official forms."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from babel import Locale

from bot.features.places.names import fold, key

EXTRA_NAMES = Path(__file__).resolve().parents[2] / "data" / "country_names.json"

# Names of countries as people write them after a comma that CLDR does not list.
COUNTRY_ALIASES = {
    "phils": "PH",
    "phil": "PH",
    "ph": "PH",
    "rp": "PH",
    "usa": "US",
    "us": "US",
    "uk": "GB",
    "uae": "AE",
    "рф": "RU",
    "россия": "RU",
    "кр": "KG",
    "рк": "KZ",
    "руз": "UZ",
    "中国大陆": "CN",
    "大陆": "CN",
    "中國大陸": "CN",
    "prc": "CN",
    "prchina": "CN",
    "中华人民共和国": "CN",
    "中華人民共和國": "CN",
    "中國": "CN",
    "korea": "KR",
    "russianfederation": "RU",
    "российскаяфедерация": "RU",
    "southkorea": "KR",
    "kyrgyz": "KG",
    "кыргызская": "KG",
    "киргизская": "KG",
    "phl": "PH",
    "philippine": "PH",
    "drc": "CD",
    "rdc": "CD",
    "drcongo": "CD",
    # Abbreviations and short forms officials use on forms and in signatures.
    "ksa": "SA",
    "rok": "KR",
    "rpc": "CN",
    "rpchina": "CN",
    "кнр": "CN",
    "кндр": "KP",
    "сша": "US",
    "оаэ": "AE",
    "eau": "AE",
    "emiratos": "AE",
    "uaemirates": "AE",
    "rsa": "ZA",
    "юар": "ZA",
    "png": "PG",
    "rd": "DO",
    "ri": "ID",
    "lao": "LA",
    "laopdr": "LA",
    "laospdr": "LA",
    "holland": "NL",
    "macau": "MO",
    "монголулс": "MN",
    "burma": "MM",
    "birmania": "MM",
    "бирма": "MM",
    "easttimor": "TL",
    "ivorycoast": "CI",
    # Older or colloquial names in Russian and Spanish.
    "киргизия": "KG",
    "молдавия": "MD",
    "белоруссия": "BY",
    "федерацияроссии": "RU",
    "federacionrusa": "RU",
    "federacionderusia": "RU",
    "корея": "KR",
    "республикакорея": "KR",
    "한국": "KR",
    "mex": "MX",
}
# Words of a country's official name that people add: "Republic of the Philippines",
# "República de Colombia", "Kyrgyz Republic", "Кыргызская Республика".
OFFICIAL_LEADS = sorted(
    (
        "republic of the",
        "republic of",
        "rep of the",
        "rep of",
        "the republic of",
        "people s republic of",
        "peoples republic of",
        "socialist republic of",
        "federal republic of",
        "islamic republic of",
        "kingdom of",
        "state of",
        "the",
        "republica de",
        "republica del",
        "estado de",
        "reino de",
        "республика",
    ),
    key=len,
    reverse=True,
)
OFFICIAL_TAILS = ("republic", "rep", "federation", "республика", "федерация")
_NAME_LOCALES = ("en", "es", "ru", "zh", "zh_Hant", "ko", "fr", "pt", "id", "vi", "uz", "kk", "ky")


@cache
def _countries() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in _NAME_LOCALES:
        for territory, name in Locale.parse(code).territories.items():
            if territory.isalpha() and len(territory) == 2:
                table.setdefault(key(name), territory)
    for territory in Locale.parse("en").territories:
        if territory.isalpha() and len(territory) == 2:
            table.setdefault(territory.casefold(), territory)
    for territory, name in _other_names():
        table.setdefault(key(name), territory)
    table.update(COUNTRY_ALIASES)
    return table


def _other_names():
    """(code, name) pairs beyond CLDR's in the trainees' languages, copied from GeoNames,
    Babel and phonenumbers by scripts/country_names.py (loading them here costs ~200 MB)."""
    for code, names in json.loads(EXTRA_NAMES.read_text(encoding="utf-8")).items():
        for name in names:
            yield code, name


def country_of(text: str | None) -> str | None:
    """The ISO code of a country as written ("Kyrgyzstan", "Кыргызстан", "Phils", "中国",
    "Republic of Colombia", "Kyrgyz Republic")."""
    if not text:
        return None
    # 臺 is the official character in Taiwan; CLDR writes 台 in both scripts.
    table, folded = _countries(), fold(text).replace("臺", "台")
    for words in (folded, _without_official(folded)):
        if code := table.get(words.replace(" ", "")):
            return code
    return None


def _without_official(folded: str) -> str:
    for lead in OFFICIAL_LEADS:
        if folded.startswith(lead + " "):
            folded = folded[len(lead) + 1 :]
            break
    for tail in OFFICIAL_TAILS:
        if folded.endswith(" " + tail):
            folded = folded[: -len(tail) - 1]
            break
    return folded
