"""Scores the question answering on a labelled JSONL file (lang, text, intent, courses)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.features.qa.service import Answer, answer_question

CJK = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass
class Score:
    """Right answers per language and the misses, for printing."""

    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Share of right answers overall."""
        n = sum(self.total.values())
        return sum(self.right.values()) / n if n else 0.0

    def report(self, misses: bool = True) -> str:
        """Per-language lines, the misses, then 'accuracy X (n/N)' last."""
        lines = [
            f"{lang}: {self.right[lang]}/{n} = {self.right[lang] / n:.3f}"
            for lang, n in self.total.items()
        ]
        lines += self.misses if misses else []
        n, total = sum(self.right.values()), sum(self.total.values())
        lines.append(f"accuracy {self.accuracy:.3f} ({n}/{total})")
        return "\n".join(lines)


def is_right(row: dict, answer: Answer, intent_only: bool = False) -> bool:
    """The scorer's rule: intent matches; for schedule the start dates match exactly;
    Chinese answers contain CJK and Russian answers Cyrillic."""
    if answer.intent != row["intent"]:
        return False
    if intent_only:
        return True
    if row["intent"] == "schedule":
        got = sorted({c.starts.isoformat() if c.starts else "tbd" for c in answer.courses})
        if got != sorted(row.get("courses") or []):
            return False
    if row["lang"] == "zh" and not CJK.search(answer.text):
        return False
    return not (row["lang"] == "ru" and not CYRILLIC.search(answer.text))


def read_questions(path: Path) -> list[dict]:
    """The labelled questions of a JSONL file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


async def score_rows(rows: list[dict], intent_only: bool = False) -> Score:
    """Answer every labelled question and score it (or only its intent)."""
    score = Score()
    for row in rows:
        answer = await answer_question(row["text"], locale=row["lang"])
        score.total[row["lang"]] += 1
        if is_right(row, answer, intent_only):
            score.right[row["lang"]] += 1
        else:
            got = sorted(c.starts.isoformat() if c.starts else "tbd" for c in answer.courses)
            score.misses.append(
                f"  [{row['lang']}] {row['text']!r}: want {row['intent']} "
                f"{row.get('courses')}, got {answer.intent} {got}"
            )
    return score
