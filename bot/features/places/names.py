"""Place names as people type them, reduced to lookup keys.

"г. Бишкек", "Bogotá D.C.", "成都市", "Manila City", "Chengdu, Sichuan" and "  bogota. " all
come down to the key of the city's own name: full-width forms folded (NFKC), case folded,
diacritics dropped, punctuation and spaces removed, administrative words taken off.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Words people put around a city's name ("city of", "г.", "市"), in the languages trainees
# write and those of their home countries.
PREFIXES = sorted(
    (
        "г",
        "гор",
        "город",
        "город-курорт",
        "ciudad de",
        "ciudad",
        "city of",
        "municipality of",
        "municipio de",
        "municipio",
        "distrito de",
        "kota",
        "kabupaten",
        "thanh pho",
        "tp",
        "tinh",
        "provincia de",
        "province of",
        "mairie de",
        "ville de",
        # The office rather than the place: "Alcaldía Mayor de Bogotá", "Мэрия города Бишкек".
        "alcaldia mayor de",
        "alcaldia de",
        "alcaldia",
        "gobierno de",
        "gobierno municipal de",
        "municipalidad de",
        "municipalidad provincial de",
        "city government of",
        "government of",
        "office of the mayor of",
        "мэрия",
        "мэрия города",
        "администрация",
        "администрация города",
        "акимат",
        "акимат города",
    ),
    key=len,
    reverse=True,
)
SUFFIXES = sorted(
    (
        "city",
        "metropolitan city",
        "special city",
        "metro",
        "municipality",
        "municipal",
        "county",
        "province",
        "prefecture",
        "region",
        "oblast",
        "district",
        "town",
        "government",
        "city government",
        "municipal government",
        "city hall",
        "lgu",
        "мэрия",
        "акимат",
        "dc",
        "d c",
        "cdmx",
        "shi",
        "sheng",
        "xian",
        "shahri",
        "shaxri",
        "қаласы",
        "шаары",
        "шахри",
        "шаҳри",
        "қ",
        "ш",
    ),
    key=len,
    reverse=True,
)
# Administrative characters after a Chinese name: 成都市, 臺北市, 吉林省, 大兴安岭地区.
CJK_SUFFIXES = ("特别行政区", "特別行政區", "自治州", "地区", "地區")
CJK_SUFFIXES += ("市", "省", "县", "縣", "区", "區")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Case-, width- and accent-folded text with single spaces between words."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
    text = unicodedata.normalize("NFC", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def key(text: str) -> str:
    """The lookup key of a name: folded, without spaces."""
    return fold(text).replace(" ", "")


def same_name(one: str, other: str) -> bool:
    """True when two names differ only in case, accents, punctuation or spacing."""
    return key(one) == key(other)


def spelling(text: str) -> str:
    """A name as written, only width- and case-folded: "Mansoura" is not "Mansoûra" here."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def index_keys(name: str) -> set[str]:
    """The keys a city's name is filed under: as written and, for a Chinese name, also
    without its administrative suffix (GeoNames has 海防市 where people write 海防)."""
    found = {key(name)}
    if _CJK.search(name):
        found.add(_strip_cjk(key(name)))
    return {k for k in found if k}


def _strip_words(folded: str) -> list[str]:
    """The text with administrative words taken off in every way, longest left first:
    "quezon city government" gives "quezon city", then "quezon" (the first that names a city
    wins, so a city whose name holds such a word keeps it)."""
    found: set[str] = set()
    frontier = [folded]
    for _ in range(4):  # a name has at most a few such words around it
        step = []
        for text in frontier:
            for word in PREFIXES:
                if text.startswith(word + " ") and len(text) > len(word) + 2:
                    step.append(text[len(word) + 1 :])
            for word in SUFFIXES:
                if text.endswith(" " + word) and len(text) > len(word) + 2:
                    step.append(text[: -len(word) - 1])
        frontier = [t for t in step if t not in found]
        found.update(frontier)
    return sorted(found, key=lambda t: (-len(t), t))


def _strip_cjk(text: str) -> str:
    for suffix in CJK_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


@cache
def keys(text: str) -> tuple[str, ...]:
    """Keys to try for what a person typed, most literal first (no duplicates)."""
    folded = fold(text)
    out = [folded.replace(" ", "")]
    out += [step.replace(" ", "") for step in _strip_words(folded)]
    if _CJK.search(folded):
        out += [_strip_cjk(k) for k in list(out)]
        # A province before the city: 四川省成都市 is 成都市.
        for mark in ("自治区", "自治區", "省"):
            if mark in folded:
                tail = folded.replace(" ", "").rsplit(mark, 1)[1]
                out += [tail, _strip_cjk(tail)]
    return tuple(dict.fromkeys(k for k in out if k))


def cjk_tails(text: str) -> tuple[str, ...]:
    """Shorter and shorter endings of a Chinese name (四川成都 → 川成都, 成都), for a guess."""
    folded = key(text)
    if not _CJK.search(folded):
        return ()
    tails = [folded[i:] for i in range(1, len(folded) - 1)]
    return tuple(dict.fromkeys(k for t in tails for k in (t, _strip_cjk(t)) if len(k) >= 2))


def split_qualifier(text: str) -> tuple[str, str | None]:
    """("Chengdu", "Sichuan") from "Chengdu, Sichuan"; a name without a comma has none."""
    for mark in (",", "，", "、", "(", "（"):
        if mark in text:
            name, _, rest = text.partition(mark)
            rest = rest.strip(" )）")
            return name.strip(), rest or None
    return text.strip(), None


def has_cjk(text: str) -> bool:
    """True when the text has Chinese, Japanese or Korean characters."""
    return bool(_CJK.search(text or ""))
