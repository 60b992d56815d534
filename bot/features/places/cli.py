"""`python -m bot places resolve [--batch] [--json] [TEXT]`: what city a name means."""

from __future__ import annotations

import argparse
import json
import sys

from bot.config import Settings
from bot.features.places.resolution import default_index, resolve


def _line(text: str, as_json: bool, settings: Settings) -> str:
    found = resolve(text, default_index(settings.places_path))
    if as_json:
        return json.dumps({"text": text, **found.as_json()}, ensure_ascii=False)
    if found.city is None:
        return f"{text}: unknown"
    city = found.city
    head = f"{text}: {city.name}, {city.country} ({city.timezone}, GeoNames {city.geonameid})"
    others = "; ".join(f"{c.name}, {c.country}" for c in found.candidates[1:])
    if found.guessed:
        head += " — a guess from a near spelling" + (f"; or: {others}" if others else "")
    elif found.ambiguous:
        head += f" — ambiguous, also: {others}"
    return head


async def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """Resolve TEXT, or every line of standard input with --batch; one result per name."""
    if args.batch:
        names = [line.strip() for line in sys.stdin if line.strip()]
    elif args.text:
        names = [" ".join(args.text)]
    else:
        print("give a name, or --batch to read one per line", file=sys.stderr)
        return 2
    for name in names:
        print(_line(name, args.json, settings))
    return 0
