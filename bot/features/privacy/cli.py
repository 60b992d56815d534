"""`python -m bot privacy mydata|forget|purge`: the privacy rights from the command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bot.clock import parse_instant, utcnow
from bot.config import Settings
from bot.features.privacy import render, service
from bot.i18n import set_locale


async def _mydata(args: argparse.Namespace) -> int:
    data = await service.my_data_by_telegram_id(args.telegram_id)
    if data is None:
        print(f"Nobody with Telegram id {args.telegram_id} is stored.", file=sys.stderr)
        return 1
    body = json.dumps(data.document, ensure_ascii=False, indent=2)
    if args.out:
        await asyncio.to_thread(Path(args.out).write_text, body + "\n", encoding="utf-8")
        print(f"Wrote {args.out}.")
    else:
        print(body)
    return 0


async def _forget(args: argparse.Namespace, settings: Settings) -> int:
    profile = await service.profile_by_telegram_id(args.telegram_id)
    if profile is None:
        print(f"Nobody with Telegram id {args.telegram_id} is stored.", file=sys.stderr)
        return 1
    print(render.staff_preview(profile, settings.timezone))
    if not args.yes:
        print("\nNothing changed: add --yes to erase these personal data.")
        return 0
    result = await service.erase_by_telegram_id(args.telegram_id)
    if result is None:  # erased meanwhile by someone else
        print("Already erased.", file=sys.stderr)
        return 1
    print(
        f"\nErased person #{result.person_id}: {result.applications} application(s), "
        f"{result.postcards} postcard(s), {result.questions} question(s), "
        f"{result.messages_cancelled} pending message(s) cancelled, "
        f"{result.audit_entries} audit entr(y/ies) scrubbed."
    )
    return 0


async def _purge(args: argparse.Namespace, settings: Settings) -> int:
    now = parse_instant(args.now, settings.timezone) if args.now else utcnow()
    report = await service.purge(
        now, settings.retention_days, settings.admin_ids, dry_run=args.dry_run
    )
    print(render.purge_text(report))
    return 0


async def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch `privacy <action>`; exit 0 on success, 1 when the person is unknown."""
    set_locale("en")  # operators read English on the command line
    if args.action == "mydata":
        return await _mydata(args)
    if args.action == "forget":
        return await _forget(args, settings)
    return await _purge(args, settings)
