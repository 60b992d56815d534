#!/usr/bin/env python3
"""Split labelled trainee messages into training and held-out parts, once, before any tuning.

Usage: scripts/split_corpus.py RAW.jsonl [RAW.jsonl …]
writes bot/data/qa_corpus/{train,heldout}_LANG.jsonl.
A message goes to the held-out part by a hash of its text (3 in 10), so the split of a message
never changes when lines are added, and nobody chooses which messages are held out.
"""

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "qa_corpus"


def held_out(text: str) -> bool:
    """Whether a message belongs to the held-out part."""
    return hashlib.sha256(text.encode("utf-8")).digest()[0] % 10 < 3


def main() -> None:
    """Append each raw file's new messages to the parts they belong to."""
    parts: dict[tuple[str, str], list[dict]] = defaultdict(list)
    seen: set[str] = set()
    for name in sys.argv[1:]:
        for line in Path(name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            key = " ".join(row["text"].casefold().split())
            if key in seen:
                continue
            seen.add(key)
            part = "heldout" if held_out(row["text"]) else "train"
            parts[(part, row["lang"])].append(
                {k: row[k] for k in ("lang", "text", "intent", "courses") if k in row}
            )
    OUT.mkdir(parents=True, exist_ok=True)
    for (part, lang), rows in sorted(parts.items()):
        path = OUT / f"{part}_{lang}.jsonl"
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
        print(f"{path.name}: {len(rows)}")


if __name__ == "__main__":
    main()
