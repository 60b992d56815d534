"""Loads and caches what the question answering knows: lexicon rows and FAQ answers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select

from bot.core.refdata import watch
from bot.db import session_scope
from bot.features.qa.models import FaqAnswer, LexiconEntry

# The lexicon and the FAQ answers are reference data (bot/core/refdata.py).
watch(FaqAnswer, LexiconEntry)
DATA = Path(__file__).resolve().parent.parent.parent / "data"


@dataclass(frozen=True)
class Knowledge:
    """Lexicon rows and per-intent answers, as plain data."""

    lexicon_rows: tuple[tuple[str, str, str, str], ...]
    answers: dict[str, dict[str, str]]


def load_bundled() -> tuple[dict, dict]:
    """Read the bundled lexicon and FAQ files (an absent file reads as empty)."""

    def read(name: str) -> dict:
        path = DATA / name
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    return read("lexicon.json"), read("faq.json")


async def import_knowledge(lexicon: dict, faq: dict) -> dict[str, int]:
    """Add lexicon phrases and FAQ answers that are missing; existing rows are kept.

    Staff edits win: an answer that exists is not overwritten, a phrase that exists is kept.
    """
    added = {"lexicon": 0, "faq_answers": 0}
    async with session_scope() as session:
        have = set(
            (
                await session.execute(
                    select(
                        LexiconEntry.kind,
                        LexiconEntry.value,
                        LexiconEntry.locale,
                        LexiconEntry.phrase,
                    )
                )
            ).all()
        )
        for entry in lexicon.get("entries", []):
            for phrase in entry.get("phrases", []):
                row = (entry["kind"], str(entry["value"]), entry["locale"], phrase)
                if row not in have:
                    have.add(row)
                    session.add(
                        LexiconEntry(kind=row[0], value=row[1], locale=row[2], phrase=row[3])
                    )
                    added["lexicon"] += 1
        known = set(await session.scalars(select(FaqAnswer.intent)))
        for intent, texts in faq.get("answers", {}).items():
            if intent not in known:
                session.add(FaqAnswer(intent=intent, answer=texts))
                added["faq_answers"] += 1
    return added


async def load_knowledge() -> Knowledge:
    """Read lexicon rows and answers from the database."""
    async with session_scope() as session:
        rows = (
            await session.execute(
                select(
                    LexiconEntry.kind, LexiconEntry.value, LexiconEntry.locale, LexiconEntry.phrase
                ).order_by(LexiconEntry.id)
            )
        ).all()
        answers = {a.intent: dict(a.answer) for a in await session.scalars(select(FaqAnswer))}
    return Knowledge(tuple(tuple(r) for r in rows), answers)


async def set_answer(intent: str, locale: str, text: str, person_id: int | None) -> None:
    """Staff edit of one answer in one language."""
    async with session_scope() as session:
        row = await session.scalar(select(FaqAnswer).where(FaqAnswer.intent == intent))
        if row is None:
            row = FaqAnswer(intent=intent, answer={})
            session.add(row)
        row.answer = {**row.answer, locale: text}
        row.updated_by = person_id


async def clear_lexicon() -> None:
    """Remove every lexicon row (tests and re-seeding)."""
    async with session_scope() as session:
        await session.execute(delete(LexiconEntry))
