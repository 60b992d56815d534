"""The per-language word lists of the NLU engine (intent cues, theme synonyms, months…)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "lexicon.json"

# kind → what its value means; the engine ignores kinds it does not know, so staff can add
# rows of a new kind before the code uses them.
KINDS = {
    "intent": "an intent name; the phrase is a cue for it",
    "theme": "a course theme key",
    "type": "a course type: planned | cooperative | customised",
    "language": "an instruction language: en | zh | es | ru",
    "month": "a month number 1–12",
    "year": "a year offset from the programme year: -1 (last year) | 1 (next year)",
    "day": "today | tomorrow",
    "when": "next: the question asks for the next course only",
    "weekday": "mon … sun",
    "course_day": "1 … 8 | last: the nth (or last) day of a course",
    "session": "lecture | site_visit | presentation | cultural",
    "course_word": "any value; the phrase means 'course'",
    "country": "an ISO country code (demonyms and names Babel lacks)",
    "org": "an organisation code (extra aliases)",
    "city": "a city key (extra spellings)",
    "offtopic": "any value; the phrase marks a question the bot cannot answer",
    "noise": "any value; the phrase marks code or SQL pasted in, never a question",
    "stop": "any value; the phrase's words are ignored when matching",
    "ignore": "city | org | country; the phrase is a key/code never used as a filter",
}

Row = tuple[str, str, str, str]


class Lexicon:
    """Rows of (kind, value, locale, phrase), from the lexicon table or the bundled JSON file."""

    def __init__(self, rows: Iterable[Row] = ()):
        self.rows: tuple[Row, ...] = tuple(
            (str(k), str(v), str(loc or "*"), str(p)) for k, v, loc, p in rows if p and k
        )

    @classmethod
    def from_rows(cls, rows: Iterable[Row]) -> Lexicon:
        """A lexicon from (kind, value, locale, phrase) tuples, e.g. LexiconEntry rows."""
        return cls(rows)

    @classmethod
    def from_file(cls, path: str | Path = DEFAULT_PATH) -> Lexicon:
        """A lexicon from a JSON file of {"entries": [{kind, value, locale, phrases: [...]}]}."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(cls.flatten(data))

    @staticmethod
    def flatten(data: dict) -> Iterator[Row]:
        """One (kind, value, locale, phrase) row per phrase of the JSON structure."""
        for entry in data.get("entries", ()):
            for phrase in entry.get("phrases", ()):
                yield entry["kind"], str(entry["value"]), entry.get("locale") or "*", phrase

    def of_kind(self, kind: str) -> list[Row]:
        """The rows of one kind."""
        return [r for r in self.rows if r[0] == kind]

    def values(self, kind: str) -> set[str]:
        """The phrases of a kind, e.g. the ignored city keys."""
        return {r[3] for r in self.rows if r[0] == kind}

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)
