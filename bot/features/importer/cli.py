"""`python -m bot import [FILE] [--dry-run] [--template OUT] [--lang ko]`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.config import Settings
from bot.features.importer.reader import MAX_BYTES
from bot.features.importer.render import outcome_text
from bot.features.importer.service import import_file
from bot.features.importer.template import write_template
from bot.i18n import translator


def _read(path: Path) -> bytes:
    """The file's bytes; one byte over the limit is enough for the service to refuse it."""
    with path.open("rb") as fh:
        return fh.read(MAX_BYTES + 1)


async def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """Write the template, or import (or check) a file and print the report."""
    tr = translator(args.lang)
    if args.template:
        out = Path(args.template)
        what = write_template(out, args.lang)
        print(f"Template ({what}) written to {out}.")
        return 0
    if not args.file:
        print("import needs a FILE (or --template OUT)", file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        data = await asyncio.to_thread(_read, path)
    except OSError as exc:
        print(f"Cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    outcome = await import_file(None, path.name, data, tz=settings.timezone, dry_run=args.dry_run)
    print(outcome_text(outcome, tr))
    return 0 if outcome.ok else 1
