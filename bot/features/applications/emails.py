"""The likely address behind a mistyped e-mail domain ("gmial.com", "mial.ru", "qq.con").

Only domains of the big free providers trainees use are offered, and only when the typed
domain is a near miss of one and not itself a known or official-looking domain: an
office's own domain ("bishkek.gov.kg", "minhacienda.gov.co") is never "corrected".
"""

from __future__ import annotations

from babel import Locale
from rapidfuzz import process
from rapidfuzz.distance import OSA

# Free mail providers officials of partner cities use, by region; a typed domain that is
# one of these is taken as it is.
COMMON_DOMAINS = (
    # Worldwide
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "mail.com",
    "gmx.com",
    "proton.me",
    "protonmail.com",
    "zoho.com",
    "yandex.com",
    # Latin America and Spain
    "yahoo.es",
    "yahoo.com.mx",
    "yahoo.com.ar",
    "yahoo.com.br",
    "yahoo.com.co",
    "hotmail.es",
    "hotmail.com.ar",
    "hotmail.com.br",
    "outlook.es",
    "live.com.mx",
    "terra.com.br",
    "uol.com.br",
    # Russian-speaking countries
    "mail.ru",
    "inbox.ru",
    "list.ru",
    "bk.ru",
    "internet.ru",
    "yandex.ru",
    "ya.ru",
    "rambler.ru",
    "yandex.kz",
    "yandex.by",
    "mail.kz",
    "ukr.net",
    # China
    "qq.com",
    "foxmail.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sina.cn",
    "sohu.com",
    "aliyun.com",
    "139.com",
    # Korea, Japan and South-East Asia
    "naver.com",
    "daum.net",
    "hanmail.net",
    "kakao.com",
    "yahoo.co.jp",
    "yahoo.com.ph",
    "yahoo.com.vn",
    "yahoo.co.id",
    "yahoo.co.uk",
    "hotmail.co.uk",
    "outlook.jp",
)
_COMMON = frozenset(COMMON_DOMAINS)
# Labels of public bodies, universities and organisations: such a domain is someone's office.
_OFFICIAL = frozenset(
    {"gov", "gob", "go", "gouv", "govt", "gv", "gc", "mil", "edu", "ac", "int", "org", "or"}
)
_MAX_EDITS = 2
# Two-letter country codes, which are also the country domains (.kg, .kz, .ru …).
_COUNTRIES = frozenset(c for c in Locale.parse("en").territories if len(c) == 2)


def _official(domain: str) -> bool:
    labels = domain.split(".")
    return any(label in _OFFICIAL or label.startswith("gov") for label in labels[1:]) or (
        labels[0] in _OFFICIAL
    )


def _suffix(domain: str) -> str:
    return domain.split(".", 1)[1] if "." in domain else ""


def _plausible(typed: str, common: str, edits: int) -> bool:
    """A near miss, not another provider's real domain: "yandex.kz" is not "yandex.ru"."""
    name, suffix = typed.split(".", 1)[0], _suffix(typed)
    common_name, common_suffix = common.split(".", 1)[0], _suffix(common)
    if name == common_name:
        # Only the ending differs: "con", "cm", "co" are slips; "mail.kg" beside "mail.kz",
        # "163.net" beside "163.com" are other real providers.
        both_countries = len(suffix) == len(common_suffix) == 2 and suffix.upper() in _COUNTRIES
        return OSA.distance(suffix, common_suffix) == 1 and not (
            both_countries or suffix in ("net", "org")
        )
    if edits > 1 and min(len(name), len(common_name)) < 5:
        return False  # two changes in "bk" or "qq" make any short name
    return OSA.distance(suffix, common_suffix) <= 1


def suggest(address: str) -> str | None:
    """The address with the common domain it probably means, or None when it looks right."""
    local, at, domain = address.rpartition("@")
    domain = domain.lower()
    if not at or not local or domain in _COMMON or _official(domain):
        return None
    found = process.extractOne(
        domain, COMMON_DOMAINS, scorer=OSA.distance, score_cutoff=_MAX_EDITS
    )
    if found is None:
        return None
    common, edits, _index = found
    if edits == 0 or not _plausible(domain, common, edits):
        return None
    return f"{local}@{common}"
