#!/usr/bin/env python3
"""One rule for a guide that contradicted itself: questions about the bot itself ("are you a
robot?", "what's your name?") are small talk. Batch 4's guide called them unknown; earlier
batches, small talk. Applied to raw files by pattern, before splitting; never by model output.
Usage: scripts/relabel_bot_identity.py RAW.jsonl [...] (rewrites the files in place)."""

import json
import re
import sys
from pathlib import Path

ABOUT_THE_BOT = re.compile(
    r"\b(are|r) (you|u) (a |an )?(real )?(robot|bot|human|ai|person|machine)\b|your name\b"
    r"|who are (you|u)\b|\beres (un |una )?(robot|bot|humano|humana|persona|ia)\b"
    r"|c[oó]mo te llamas|\bты (бот|робот|человек|ии)\b|\bвы (бот|робот|человек)\b"
    r"|как тебя зовут|机器人|機器人|機械人|真人还是|真人還是|你叫(什么|什麼|啥|咩)",
    re.IGNORECASE,
)


def main() -> None:
    """Relabel unknown rows about the bot itself as small talk; print how many changed."""
    for name in sys.argv[1:]:
        path = Path(name)
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        changed = 0
        for row in rows:
            if row["intent"] == "unknown" and ABOUT_THE_BOT.search(row["text"]):
                row["intent"] = "smalltalk"
                changed += 1
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        path.write_text(text, encoding="utf-8")
        print(f"{name}: {changed} relabelled")


if __name__ == "__main__":
    main()
