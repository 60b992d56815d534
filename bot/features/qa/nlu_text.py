"""Text normalisation for the NLU engine: folding, tokens, stems and written-language detection."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
import snowballstemmer

# Questions are a sentence or two; anything longer is a paste. Analysing only the head keeps
# the engine fast and bounded on 5 000-character inputs.
MAX_CHARS = 800
MAX_TOKENS = 120

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_CYR_RE = re.compile("[\u0400-\u04ff]")
# A CJK character is a token on its own (Chinese has no spaces); everything else splits on
# non-word characters, so "e-government" gives "e", "government" on both phrase and text side.
_TOKEN_RE = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
_STEMMERS = {
    "en": snowballstemmer.stemmer("english"),
    "es": snowballstemmer.stemmer("spanish"),
    "ru": snowballstemmer.stemmer("russian"),
}
_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")

# Function words that give a Latin-script text away as Spanish or English; detection only.
_ES_WORDS = frozenset(
    "el la los las un una unos unas del al y o que qué cuando cuándo como cómo donde dónde "
    "quien quién cual cuál hay es son esta está están para por con sin en mi mis su sus "
    "puedo quiero tengo curso cursos cuántos cuantos cuántas cuantas se le lo algún alguno "
    "ciudad ciudades fechas hola gracias pero muy también mañana hoy dura incluidas".split()
)
_EN_WORDS = frozenset(
    "the a an is are was when what which who how where do does did can i you my your for "
    "to of in on and or any there course courses city cities with about will be have has "
    "please want talk tomorrow today".split()
)


def has_cjk(text: str) -> bool:
    """Whether the text contains Chinese characters."""
    return bool(_CJK_RE.search(text))


def is_traditional(text: str) -> bool:
    """Whether Chinese text is written in Traditional characters (more Traditional-only
    characters than Simplified-only ones)."""
    han = "".join(_CJK_RE.findall(text[:MAX_CHARS]))
    if not han:
        return False
    simplified, traditional = _T2S.convert(han), _S2T.convert(han)
    trad = sum(a != b for a, b in zip(han, simplified, strict=False))
    simp = sum(a != b for a, b in zip(han, traditional, strict=False))
    return trad > simp


def _strip_latin_marks(text: str) -> str:
    # Only Latin letters lose their accents ("gestión" = "gestion"); Cyrillic й must stay й,
    # or the Russian stemmer would see a different word.
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """NFKC, casefold, Latin accents stripped, ё→е, Traditional Chinese → Simplified."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = _strip_latin_marks(text)
    if has_cjk(text):
        text = _T2S.convert(text)
    return text


def tokens(text: str) -> list[str]:
    """Normalised tokens of a text (CJK characters one by one)."""
    return _TOKEN_RE.findall(normalise(text))


def script(token: str) -> str:
    """'cjk', 'cyr', 'num' or 'lat' (anything else counts as Latin-like)."""
    if _CJK_RE.match(token):
        return "cjk"
    if _CYR_RE.search(token):
        return "cyr"
    if token.isdigit():
        return "num"
    return "lat"


@lru_cache(maxsize=16384)
def stem(token: str, locale: str) -> str:
    """The Snowball stem of a normalised token in a locale (unchanged if no stemmer)."""
    stemmer = _STEMMERS.get(locale)
    return stemmer.stemWord(token) if stemmer else token


def stem_locales(token: str) -> tuple[str, ...]:
    """The stemmers that can apply to a token, by its script."""
    kind = script(token)
    if kind == "cyr":
        return ("ru",)
    if kind == "lat":
        return ("en", "es")
    return ()


def detect_locale(text: str, hint: str | None = None) -> str:
    """The language a text is written in: en, zh, es or ru (falls back to the hint, then en)."""
    text = (text or "")[:MAX_CHARS]
    cjk = len(_CJK_RE.findall(text))
    cyr = len(_CYR_RE.findall(text))
    if cjk or cyr:
        return "zh" if cjk >= cyr else "ru"
    folded = unicodedata.normalize("NFKC", text).casefold()
    if re.search("[¿¡ñ]", folded):
        return "es"
    words = re.findall(r"[^\W\d_]+", folded)
    es = sum(w in _ES_WORDS for w in words) + 2 * len(re.findall("[áéíóú]", folded))
    en = sum(w in _EN_WORDS for w in words)
    if es != en:
        return "es" if es > en else "en"
    hint = "zh" if hint == "zh_Hant" else hint
    return hint if hint in ("en", "zh", "es", "ru") else "en"
