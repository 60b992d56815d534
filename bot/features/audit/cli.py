"""`python -m bot audit`: print recent privileged actions, or write them to a file."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.config import Settings
from bot.core.sheets import write_csv, write_xlsx
from bot.features.audit import service
from bot.features.audit.render import entry_text, log_sheet
from bot.i18n import translator


async def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """Print the newest --limit entries in --lang, or write them (XLSX, or CSV for .csv)."""
    tr, zone = translator(args.lang), settings.timezone
    if not args.out:
        rows = await service.latest(args.limit)
        print("\n\n".join(entry_text(row, tr, zone) for row in rows) or "-")
        return 0
    rows = await service.for_export_cli(args.limit)
    sheet = log_sheet(rows, tr, zone)
    data = write_csv(sheet, tr) if args.out.lower().endswith(".csv") else write_xlsx([sheet], tr)
    await asyncio.to_thread(Path(args.out).write_bytes, data)
    print(f"Wrote {args.out} ({len(rows)} entries).")
    return 0
