"""Every interface string is translated in every locale, with identical placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES, LOCALES_DIR, translator

ROOT = Path(__file__).resolve().parents[2]
# What scripts/i18n extracts: Babel's defaults (_, gettext, ngettext, …) plus N_.
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}")


def _source_ids() -> set[str | tuple[str, str]]:
    found = extract_from_dir(
        str(ROOT / "bot"), method_map=[("**.py", "python")], keywords=KEYWORDS
    )
    return {msg for _f, _l, msg, _c, _ctx in found}


SOURCE_IDS = _source_ids()


def _catalog(locale: str):
    path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def test_source_has_messages() -> None:
    """Extraction finds the interface strings (guards against a broken keyword setup)."""
    assert any("Here is what I can do:" == m for m in SOURCE_IDS)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_complete(locale: str) -> None:
    """No missing, empty or fuzzy entry; placeholders identical; plural forms all present."""
    cat = _catalog(locale)
    problems = []
    for msgid in SOURCE_IDS:
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        msg = cat.get(key)
        if msg is None:
            problems.append(f"missing: {key!r}")
            continue
        if msg.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        if isinstance(msgid, tuple) and len(strings) != cat.num_plurals:
            problems.append(f"plural forms {len(strings)} != {cat.num_plurals}: {key!r}")
        wanted = set(PLACEHOLDER.findall(key))
        for s in strings:
            if not s:
                problems.append(f"empty: {key!r}")
            elif set(PLACEHOLDER.findall(s)) != wanted:
                problems.append(f"placeholders differ: {key!r} -> {s!r}")
    assert not problems, "\n".join(problems)


def test_russian_plurals_use_three_forms() -> None:
    """Russian catalogues carry one/few/many forms, and gettext picks them by number."""
    assert _catalog("ru").num_plurals == 3
    # A message whose three Russian forms differ (курс / курса / курсов); in some others
    # two forms coincide by grammar (dative: адресатам), so the choice is deliberate.
    one, many = "I found {count} course:", "I found {count} courses:"
    assert (one, many) in SOURCE_IDS
    tr = translator("ru")
    forms = [tr.ngettext(one, many, n).format(count=n) for n in (1, 3, 5, 21)]
    assert forms == [
        "Я нашёл 1 курс:",
        "Я нашёл 3 курса:",
        "Я нашёл 5 курсов:",
        "Я нашёл 21 курс:",
    ]
