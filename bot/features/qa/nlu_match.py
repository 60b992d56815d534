"""Phrase spotting: find lexicon and catalogue phrases in a question by form, stem or typo."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.features.qa.nlu_text import MAX_CHARS, MAX_TOKENS, script, stem, stem_locales, tokens

# Words this long or shorter must match exactly, and so must words whose stem is shorter than
# MIN_STEM: short stems collide too easily (Russian "мае" → "ма", Spanish "como" and "comidas"
# both → "com"). The lexicon lists the inflected forms of such words instead.
SHORT = 3
MIN_STEM = 4
# Typos are only looked for in longer words, where one slip still leaves a clear best match.
FUZZY_MIN_LEN = 4
FUZZY_CUTOFF = 85
# On equal length, the earlier kind wins a span ("Metropolis" is the planned type before it
# is an organisation; "in Chinese" is a language before "Chinese" is a country).
KIND_ORDER = (
    "noise",
    "intent",
    "type",
    "language",
    "theme",
    "month",
    "year",
    "course_day",
    "day",
    "weekday",
    "session",
    "org",
    "country",
    "city",
    "course_word",
    "offtopic",
    "smalltalk",
)


@dataclass(frozen=True)
class Phrase:
    """One phrase of the index: what it signals and its token keys."""

    kind: str
    value: str
    locale: str
    text: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A phrase found in a question, as a span of its tokens."""

    start: int
    end: int
    kind: str
    value: str
    locale: str
    text: str


def phrase_keys(phrase: str, locale: str, stop: frozenset[str]) -> tuple[str, ...]:
    """The keys a phrase's tokens must show: exact for short words, else the stem."""
    keys = []
    for tok in tokens(phrase):
        if tok in stop:
            continue
        kind = script(tok)
        if kind in ("cjk", "num") or len(tok) <= SHORT:
            keys.append("=" + tok)
        else:
            loc = "ru" if kind == "cyr" else (locale if locale in ("en", "es") else "en")
            root = stem(tok, loc)
            keys.append("~" + root if len(root) >= MIN_STEM else "=" + tok)
    return tuple(keys)


def token_keys(tok: str) -> set[str]:
    """Every key a text token can match: its exact form and its stems."""
    keys = {"=" + tok}
    if len(tok) > SHORT:
        roots = (stem(tok, loc) for loc in stem_locales(tok))
        keys.update("~" + root for root in roots if len(root) >= MIN_STEM)
    return keys


class PhraseIndex:
    """All phrases by first key, with a vocabulary for typo correction."""

    def __init__(self, phrases: Iterable[tuple[str, str, str, str]], stop: Iterable[str]):
        self.stop = frozenset(t for s in stop for t in tokens(s))
        self.by_first: dict[str, list[Phrase]] = {}
        self.all_keys: set[str] = set()
        vocab: dict[str, set[str]] = {"lat": set(), "cyr": set()}
        seen = set()
        for kind, value, locale, text in phrases:
            keys = phrase_keys(text, locale, self.stop)
            if not keys or (kind, value, keys) in seen:
                continue
            seen.add((kind, value, keys))
            self.by_first.setdefault(keys[0], []).append(Phrase(kind, value, locale, text, keys))
            self.all_keys.update(keys)
            for tok in tokens(text):
                sc = script(tok)
                if sc in vocab and len(tok) >= FUZZY_MIN_LEN - 1:
                    vocab[sc].add(tok)
        self.vocab = {sc: sorted(words) for sc, words in vocab.items()}
        self._fuzzy: dict[str, str | None] = {}

    def _correct(self, tok: str) -> str | None:
        # Cached: the same unknown words ("please", "would") recur across questions.
        if tok in self._fuzzy:
            return self._fuzzy[tok]
        best = None
        words = self.vocab.get(script(tok), ())
        if words:
            hit = process.extractOne(tok, words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            best = hit[0] if hit else None
        if len(self._fuzzy) > 20000:
            self._fuzzy.clear()
        self._fuzzy[tok] = best
        return best

    def keys_of(self, toks: list[str]) -> list[set[str]]:
        """Keys per token, adding the keys of the nearest known word for likely typos."""
        out = []
        for tok in toks:
            keys = token_keys(tok)
            if (
                len(tok) >= FUZZY_MIN_LEN
                and not keys & self.all_keys
                and script(tok) in ("lat", "cyr")
            ):
                fixed = self._correct(tok)
                if fixed:
                    keys |= token_keys(fixed)
            out.append(keys)
        return out

    def text_tokens(self, text: str) -> list[str]:
        """The question's tokens without stop words, bounded for long inputs."""
        toks = [t for t in tokens(text[:MAX_CHARS]) if t not in self.stop]
        return toks[:MAX_TOKENS]

    def find(self, toks: list[str]) -> list[Match]:
        """Non-overlapping phrase matches, longest first."""
        keys = self.keys_of(toks)
        found: list[tuple[int, int, Phrase]] = []
        for i, here in enumerate(keys):
            for key in here:
                for ph in self.by_first.get(key, ()):
                    end = i + len(ph.keys)
                    if end <= len(keys) and all(
                        k in keys[i + j] for j, k in enumerate(ph.keys[1:], 1)
                    ):
                        found.append((i, end, ph))
        order = {k: n for n, k in enumerate(KIND_ORDER)}
        found.sort(key=lambda f: (f[0] - f[1], order.get(f[2].kind, 99), f[0]))
        taken = [False] * len(toks)
        result: list[Match] = []
        for start, end, ph in found:
            if any(taken[start:end]):
                continue
            for j in range(start, end):
                taken[j] = True
            result.append(Match(start, end, ph.kind, ph.value, ph.locale, ph.text))
        result.sort(key=lambda m: m.start)
        return result
