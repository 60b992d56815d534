"""The rule-based intent reading the engine falls back on when the classifier is missing."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from bot.features.qa.nlu_match import Match
from bot.features.qa.nlu_text import script

if TYPE_CHECKING:
    from bot.features.qa.nlu import Filters

# When two FAQ intents score the same, the more specific one wins: "who can apply" is about
# eligibility, "when is the evaluation after the course" about the follow-up.
_TIE_ORDER = (
    "eligibility",
    "action_plan",
    "forum",
    "online_lectures",
    "costs",
    "format",
    "contact",
    "apply",
)


def _weight(toks: list[str], m: Match) -> float:
    # A Chinese character carries about half the meaning of a word.
    return sum(0.5 if script(t) == "cjk" else 1.0 for t in toks[m.start : m.end])


def rule_intent(
    toks: list[str], matches: list[Match], filters: Filters, explicit_year: bool
) -> tuple[str, float]:
    """The intent by the lexicon's cue words, when no trained model is available."""
    if any(m.kind == "noise" for m in matches):
        return "unknown", 0.0
    scores: dict[str, float] = defaultdict(float)
    for m in matches:
        if m.kind == "intent":
            scores[m.value] += _weight(toks, m)
    offtopic = sum(_weight(toks, m) for m in matches if m.kind == "offtopic")
    faq = {k: v for k, v in scores.items() if k not in ("schedule", "programme")}
    # "Where can I eat near the hotel?" mentions a cost word but is about restaurants.
    if faq and max(faq.values()) >= offtopic:
        best = max(
            faq,
            key=lambda k: (faq[k], -_TIE_ORDER.index(k) if k in _TIE_ORDER else -99),
        )
        return best, min(0.95, 0.6 + 0.15 * faq[best])
    if filters.day or scores.get("programme"):
        return "programme", 0.8
    # "Where is the site visit?" is about the week's programme; "does the water course
    # have site visits" names a course, so it stays a course question.
    if filters.session_kinds and not filters.narrows_courses():
        return "programme", 0.7
    kinds = {m.kind for m in matches}
    cue = scores.get("schedule", 0) > 0
    course_word = "course_word" in kinds
    if offtopic and not (course_word or filters.themes):
        return "unknown", 0.1
    anchored = (
        course_word
        or filters.themes
        or filters.orgs
        or filters.types
        or filters.languages
        or (cue and (filters.cities or filters.countries or filters.months or explicit_year))
    )
    if anchored:
        return "schedule", 0.9 if cue or course_word else 0.7
    return "unknown", 0.1
