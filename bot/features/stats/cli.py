"""`python -m bot stats`: a year's figures as text or JSON."""

from __future__ import annotations

import argparse
import json

from bot.config import Settings
from bot.features.stats.service import year_stats


async def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """Print a year's statistics."""
    stats = await year_stats(args.year)
    data = stats.as_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    for key, value in data.items():
        print(f"{key}: {value}")
    return 0
