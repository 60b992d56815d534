"""What the intent classifier sees of a question: word and character n-grams, with the names
of places, organisations, themes and dates replaced by their kind, and the lexicon's cues."""

from __future__ import annotations

from itertools import pairwise

from bot.features.qa.nlu_match import Match
from bot.features.qa.nlu_text import script, stem, stem_locales

# Bumped whenever the features change, so a model trained on the old ones is not reused.
VERSION = 1
# Names stand for their kind: "When is the water course in Bishkek?" teaches the classifier
# about "<theme> course in <city>", which carries over to every other theme and city.
MASKED = frozenset(
    {
        "city",
        "org",
        "country",
        "theme",
        "month",
        "year",
        "weekday",
        "day",
        "course_day",
        "type",
        "language",
        "session",
        "course_word",
    }
)
CHAR_SIZES = (2, 3, 4)


def _masked_tokens(toks: list[str], matches: list[Match]) -> tuple[list[str], list[str]]:
    """The tokens with masked spans replaced by '<kind>', and the cue features."""
    out: list[str] = []
    cues: list[str] = []
    at = 0
    for m in sorted(matches, key=lambda m: m.start):
        out.extend(toks[at : m.start])
        if m.kind in MASKED:
            out.append(f"<{m.kind}>")
        else:
            out.extend(toks[m.start : m.end])
            cues.append(f"cue:{m.kind}:{m.value}" if m.kind == "intent" else f"cue:{m.kind}")
        at = m.end
    out.extend(toks[at:])
    return ["<num>" if t.isdigit() else t for t in out], cues


def _char_grams(word: str) -> list[str]:
    padded = f" {word} "
    return [
        "c:" + padded[i : i + n]
        for n in CHAR_SIZES
        for i in range(len(padded) - n + 1)
        if padded[i : i + n].strip()
    ]


def features(toks: list[str], matches: list[Match]) -> list[str]:
    """The feature strings of one question (repeated features count several times)."""
    words, feats = _masked_tokens(toks, matches)
    # Chinese has no spaces: a run of characters is one "word" for character n-grams.
    runs: list[str] = []
    for w in words:
        if runs and script(w) == "cjk" and script(runs[-1][-1]) == "cjk" and len(w) == 1:
            runs[-1] += w
        else:
            runs.append(w)
    feats += ["w:" + w for w in words]
    # Stems join a word's inflected forms ("заявку", "заявки"; "plazas", "plaza").
    feats += ["s:" + stem(w, loc) for w in words if len(w) > 3 for loc in stem_locales(w)]
    feats += [f"b:{a}_{b}" for a, b in pairwise(words)]
    for run in runs:
        if not run.startswith("<"):
            feats += _char_grams(run)
    if not words:
        feats.append("empty")
    return feats
