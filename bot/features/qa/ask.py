"""`python -m bot ask`: answer questions through the same service the bot uses."""

from __future__ import annotations

import argparse
import json
import sys

from bot import clock
from bot.config import Settings
from bot.features.places import default_index
from bot.features.qa.service import Answer, answer_question


def as_json(answer: Answer) -> str:
    """One answer as the JSON line the scorer reads."""
    courses = [
        {
            "code": c.code,
            "title": c.title,
            "starts": c.starts.isoformat() if c.starts else None,
            "ends": c.ends.isoformat() if c.ends else None,
        }
        for c in answer.courses
    ]
    record = {
        "intent": answer.intent,
        "locale": answer.locale,
        "courses": courses,
        "answer": answer.text,
        "offer_handoff": answer.offer_handoff,
    }
    return json.dumps(record, ensure_ascii=False)


async def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer one question, or JSON lines {"lang", "text"} from stdin with --batch."""
    if args.now:
        clock.freeze(clock.parse_instant(args.now, settings.timezone))
    if args.batch:
        questions = []
        for line in sys.stdin:
            if line.strip():
                item = json.loads(line)
                questions.append((item.get("lang") or args.lang, item.get("text") or ""))
    elif args.text:
        questions = [(args.lang, args.text)]
    else:
        print("Give a question, or --batch with JSON lines on stdin.", file=sys.stderr)
        return 2
    for lang, text in questions:
        answer = await answer_question(
            text, locale=lang, tz=settings.timezone, places=default_index(settings.places_path)
        )
        if args.json:
            print(as_json(answer), flush=True)
        else:
            titles = ", ".join(c.code for c in answer.courses)
            print(f"[{answer.intent}{': ' + titles if titles else ''}]\n{answer.text}\n")
    return 0
