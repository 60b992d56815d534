#!/usr/bin/env python3
"""Fill catalogue entries from JSON: {"msgid": {"zh": "...", "ru": ["один", "два", "пять"]}}.

English entries are filled with the msgid itself (singular/plural). Run after scripts/i18n.
Usage: .venv/bin/python scripts/po_fill.py FILE.json [FILE.json …]
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "locales"


def main() -> None:
    """Merge the given translations into every catalogue and report what is still empty."""
    table: dict = {}
    for name in sys.argv[1:]:
        for msgid, langs in json.loads(Path(name).read_text(encoding="utf-8")).items():
            table.setdefault(msgid, {}).update(langs)
    for po in sorted(ROOT.glob("*/LC_MESSAGES/messages.po")):
        loc = po.parent.parent.name
        with po.open("rb") as fh:
            cat = read_po(fh, locale=loc)
        missing = 0
        for msg in cat:
            if not msg.id:
                continue
            key = msg.id[0] if isinstance(msg.id, tuple) else msg.id
            if loc == "en":
                msg.string = msg.id
            elif key in table and loc in table[key]:
                value = table[key][loc]
                msg.string = tuple(value) if isinstance(msg.id, tuple) else value
            msg.flags.discard("fuzzy")
            strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
            missing += not all(strings)
        with po.open("wb") as fh:
            write_po(fh, cat, width=99, omit_header=False, no_location=True)
        print(f"{loc}: {missing} still empty")


if __name__ == "__main__":
    main()
