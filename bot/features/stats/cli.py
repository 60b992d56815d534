"""`python -m bot stats`: a year's figures as text or JSON, and its charts as PNG files."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bot.config import Settings
from bot.features.stats.render import report
from bot.features.stats.service import year_stats
from bot.i18n import LOCALES


async def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """Print a year's statistics; with --charts DIR also write country/satisfaction/funnel.png."""
    lang = getattr(args, "lang", None) or "ko"
    if lang not in LOCALES:
        print(f"--lang must be one of {', '.join(LOCALES)}", file=sys.stderr)
        return 2
    stats = await year_stats(args.year)
    if args.json:
        print(json.dumps(stats.as_json(), ensure_ascii=False))
    else:
        print(report(stats, lang))
    if getattr(args, "charts", None):
        from bot.features.stats.charts import render_charts  # matplotlib only when asked

        charts = await render_charts(stats, lang)
        for path in await asyncio.to_thread(_write, Path(args.charts), charts):
            # Keep stdout pure JSON with --json; the file list goes to stderr then.
            print(path, file=sys.stderr if args.json else sys.stdout)
    return 0


def _write(folder: Path, charts: dict[str, bytes]) -> list[Path]:
    """Write <name>.png for every chart into `folder` (created); returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, png in charts.items():
        path = folder / f"{name}.png"
        path.write_bytes(png)
        paths.append(path)
    return paths
