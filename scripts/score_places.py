#!/usr/bin/env python3
"""Score `places resolve` on a labelled JSONL file: {"text", "country", "utc_offset_hours"}.

Right = the resolved city's country is the expected one and its zone's standard UTC offset is
the expected offset (the hour follow-ups arrive). Ambiguous answers count as right only when
their first candidate is. Prints misses and a last line `accuracy X (n/N)`.
Usage: .venv/bin/python scripts/score_places.py FILE [--index PATH]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.features.places import default_index, resolve, standard_offset


def main() -> None:
    """Resolve every line and compare country and standard offset."""
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--index", default="data/places.sqlite")
    args = parser.parse_args()
    index = default_index(Path(args.index))
    rows = [json.loads(line) for line in Path(args.file).read_text().splitlines() if line.strip()]
    right = 0
    for row in rows:
        found = resolve(row["text"], index)
        city = found.city
        ok = (
            city is not None
            and city.country == row["country"]
            and abs(standard_offset(city.timezone) - float(row["utc_offset_hours"])) < 0.01
        )
        right += ok
        if not ok:
            got = f"{city.name}, {city.country}, {city.timezone}" if city else "unknown"
            want = f"{row['country']} {row['utc_offset_hours']}"
            print(f"MISS {row['text']!r}: want {want}, got {got}")
    print(f"accuracy {right / len(rows):.3f} ({right}/{len(rows)})")


if __name__ == "__main__":
    main()
