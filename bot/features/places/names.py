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
# write and those of their home countries. Longest first, so "metropolitan city" goes whole.
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


def _strip_words(folded: str) -> str:
    changed = True
    while changed and folded:
        changed = False
        for word in PREFIXES:
            if folded.startswith(word + " ") and len(folded) > len(word) + 2:
                folded, changed = folded[len(word) + 1 :], True
                break
        for word in SUFFIXES:
            if folded.endswith(" " + word) and len(folded) > len(word) + 2:
                folded, changed = folded[: -len(word) - 1], True
                break
    return folded


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
    bare = _strip_words(folded)
    out.append(bare.replace(" ", ""))
    if _CJK.search(bare):
        out.append(_strip_cjk(bare.replace(" ", "")))
    return tuple(dict.fromkeys(k for k in out if k))


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
