"""Language understanding for trainees' free-text questions (en, zh, es, ru).

Pure Python and offline: the question is normalised, lexicon and catalogue phrases are spotted
by exact form, Snowball stem or near spelling, and simple rules turn those into an intent,
filters and, for schedule questions, the matching courses."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from bot.features.qa.eligibility import upcoming_year
from bot.features.qa.features import features
from bot.features.qa.nlu_catalogue import entity_phrases, select_courses
from bot.features.qa.nlu_dates import exact_day
from bot.features.qa.nlu_lexicon import Lexicon
from bot.features.qa.nlu_match import Match, PhraseIndex
from bot.features.qa.nlu_rules import rule_intent
from bot.features.qa.nlu_text import MAX_CHARS, detect_locale, normalise
from bot.features.schedule.api import Catalogue, CourseView, open_to_all

__all__ = [
    "INTENTS",
    "Engine",
    "Filters",
    "Lexicon",
    "Understanding",
    "detect_locale",
]

INTENTS = (
    "schedule",
    "apply",
    "eligibility",
    "costs",
    "format",
    "action_plan",
    "online_lectures",
    "forum",
    "contact",
    "programme",
    "seats",
    "deadline",
    "smalltalk",
    "unknown",
)
# Below this probability the classifier's best guess is not answered: the bot says it is not
# sure and offers a person rather than guessing a course list. In 5-fold cross-validation on
# the training part (10 903 messages) 0.2 % fall below it; answering them would not be better.
MIN_CONFIDENCE = 0.2
# Intents whose answer is about particular courses (all of the year's when none is named).
COURSE_INTENTS = frozenset({"schedule", "seats", "deadline"})
# A greeting and a goodbye in one message is a goodbye; "thanks, bye" too.
# "ok" before "thanks": databases seeded before "ok" had a reply of its own list it as thanks.
_SMALLTALK_ORDER = ("bot", "bye", "ok", "thanks", "greet", "other")
_YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_ISO_DAY_RE = re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")
_EMPTY: frozenset = frozenset()
# Matches that show a message asks something beyond a greeting or thanks.
_ASKING = frozenset({"intent", "theme", "month", "day", "weekday", "course_day"})


def _start(course: CourseView) -> date:
    return course.starts or date.max


def _mashed(tok: str) -> bool:
    """A held-down key ("xxxxxxxx") or a token longer than any word: not language."""
    return len(tok) > 40 or (len(tok) >= 8 and len(set(tok)) <= 2)


@dataclass(frozen=True)
class Filters:
    """What a question narrows courses or the programme to; empty sets mean unconstrained."""

    themes: frozenset[str] = _EMPTY
    months: frozenset[int] = _EMPTY
    cities: frozenset[str] = _EMPTY
    countries: frozenset[str] = _EMPTY
    orgs: frozenset[str] = _EMPTY
    types: frozenset[str] = _EMPTY
    languages: frozenset[str] = _EMPTY
    year: int | None = None
    day: str | None = None  # "today" | "tomorrow" | "mon".."sun" | "YYYY-MM-DD"
    course_day: str | None = None  # "1".."8" | "last": that day of the course asked about
    session_kinds: frozenset[str] = _EMPTY

    def narrows_courses(self) -> bool:
        """Whether any course-level filter is set."""
        return bool(
            self.themes
            or self.months
            or self.cities
            or self.countries
            or self.orgs
            or self.types
            or self.languages
        )


@dataclass(frozen=True)
class Understanding:
    """The engine's reading of one question."""

    intent: str
    filters: Filters = field(default_factory=Filters)
    courses: tuple[CourseView, ...] = ()
    locale: str = "en"
    confidence: float = 0.0
    unsure: bool = False  # the best guess was too weak to answer
    smalltalk: str | None = None  # greet | thanks | bye | ok | bot | other, when said
    course_word: bool = False  # the question says "course" (or training, 课程, curso…)


class Engine:
    """The precomputed phrase index for one catalogue and lexicon."""

    def __init__(self, catalogue: Catalogue, lexicon: Lexicon):
        self.catalogue = catalogue
        self.lexicon = lexicon
        self.ignored: dict[str, set[str]] = defaultdict(set)
        for kind, value, _loc, phrase in lexicon:
            if kind == "ignore":
                self.ignored[value].add(phrase.strip().casefold())
        stop = [p for k, _v, _l, p in lexicon if k == "stop"]
        rows = [r for r in lexicon if r[0] not in ("stop", "ignore", "when")]
        rows += list(entity_phrases(catalogue))
        self.index = PhraseIndex(rows, stop)
        # Identifies what the classifier's features depend on, so a model is retrained only
        # when the lexicon or the catalogue's names change.
        self.signature = hashlib.sha256(
            repr(sorted({*rows, *(("stop", "-", "*", p) for p in stop)})).encode()
        ).hexdigest()
        self.model = None  # an IntentModel, set by the service once trained
        # Words the lexicon and catalogue give a meaning: never taken for a GeoNames town.
        self.known_words = frozenset(w for words in self.index.vocab.values() for w in words)
        # "next" words are also schedule cues; a separate index lets both readings count.
        self.when_index = PhraseIndex([r for r in lexicon if r[0] == "when"], stop)

    def features(self, text: str) -> list[str]:
        """The classifier's view of a text."""
        toks = self.index.text_tokens((text or "")[:MAX_CHARS])
        return features(toks, self.index.find(toks))

    def _values(self, matches: list[Match], kind: str) -> set[str]:
        ignored = self.ignored.get(kind, set())
        return {m.value for m in matches if m.kind == kind and m.value.casefold() not in ignored}

    def _year(
        self, text: str, matches: list[Match], today: date | None
    ) -> tuple[int | None, bool]:
        found = _YEAR_RE.findall(text)
        if found:
            return int(found[0]), True
        base = self.catalogue.default_year(today)
        shift = [
            int(m.value) for m in matches if m.kind == "year" and m.value.lstrip("+-").isdigit()
        ]
        if base is not None and shift:
            return base + shift[0], True
        return base, False

    def understand(
        self, text: str, *, locale: str | None = None, today: date | None = None
    ) -> Understanding:
        """Read one question."""
        text = (text or "")[:MAX_CHARS]
        loc = detect_locale(text, locale)
        toks = self.index.text_tokens(text)
        if not toks:
            # "👍" or "🙏" alone is a reaction, not a question; anything else is not understood.
            if any(unicodedata.category(ch) == "So" for ch in text):
                return Understanding("smalltalk", Filters(), (), loc, 1.0, smalltalk="other")
            return Understanding("unknown", Filters(), (), loc, 0.0)
        matches = self.index.find(toks)
        norm = normalise(text)
        year, explicit_year = self._year(norm, matches, today)
        iso = _ISO_DAY_RE.search(norm)
        day_values = self._values(matches, "day") | self._values(matches, "weekday")
        named_day = iso.group(0) if iso else exact_day(toks, matches, year)
        day = named_day or (sorted(day_values)[0] if day_values else None)
        months = {int(v) for v in self._values(matches, "month") if v.isdigit()}
        filters = Filters(
            themes=frozenset(self._values(matches, "theme")),
            months=frozenset(m for m in months if 1 <= m <= 12),
            cities=frozenset(self._values(matches, "city")),
            countries=frozenset(self._values(matches, "country")),
            orgs=frozenset(self._values(matches, "org")),
            types=frozenset(self._values(matches, "type")),
            languages=frozenset(self._values(matches, "language")),
            year=year,
            day=day,
            session_kinds=frozenset(self._values(matches, "session")),
            course_day=min(self._values(matches, "course_day"), default=None),
        )
        intent, confidence = self._classify(toks, matches, filters, explicit_year)
        talk = {m.value for m in matches if m.kind == "smalltalk"}
        # Small talk is recognised by its words ("gracias", "рахмет", "👍"); a guess of small
        # talk without one is a message the bot did not understand ("xxxxxxxx").
        unsure = intent != "unknown" and (
            confidence < MIN_CONFIDENCE
            or (intent == "smalltalk" and not talk and confidence < 0.5)
        )
        if unsure:
            intent = "unknown"
        if "bot" in talk and intent in ("unknown", "smalltalk"):
            # "r u a bot?" deserves a straight answer, not a dodge or "I don't know".
            intent, unsure = "smalltalk", False
        said = next((k for k in _SMALLTALK_ORDER if k in talk), None)
        courses: tuple[CourseView, ...] = ()
        if intent in ("seats", "deadline") and not filters.narrows_courses():
            courses = tuple(upcoming_year(self.catalogue, year, today))
        elif (
            intent in COURSE_INTENTS
            or (intent == "programme" and filters.course_day)
            or (
                intent not in ("unknown", "programme", "smalltalk", "eligibility")
                and filters.narrows_courses()
            )
        ):
            courses = select_courses(
                self.catalogue,
                year=year,
                themes=filters.themes,
                months=filters.months,
                types=filters.types,
                languages=filters.languages,
                cities=filters.cities,
                countries=filters.countries,
                orgs=filters.orgs,
            )
            courses = self._next_only(courses, toks, explicit_year, today)
            if intent == "schedule" and named_day:
                # "Which course is on 10 April?": the courses running that day, when any are.
                on_day = date.fromisoformat(named_day)
                courses = tuple(c for c in courses if c.runs_on(on_day)) or courses
        named = any(m.kind == "course_word" for m in matches)
        return Understanding(intent, filters, courses, loc, confidence, unsure, said, named)

    def _next_only(
        self,
        courses: tuple[CourseView, ...],
        toks: list[str],
        explicit_year: bool,
        today: date | None,
    ) -> tuple[CourseView, ...]:
        """'When is the next course?': only the first one still to start, when there is one.

        When none is upcoming (an old programme year) every match is shown, which is more
        useful than an empty answer.
        """
        if explicit_year or today is None or not self.when_index.find(toks):
            return courses
        upcoming = sorted((c for c in courses if c.starts and c.starts >= today), key=_start)
        if not upcoming:
            return courses
        first = upcoming[0]
        if open_to_all(first):
            return (first,)
        # The next one is reserved (for Chinese cities, say): also the next one open to all,
        # which is the one most people asking can take.
        open_one = next((c for c in upcoming if open_to_all(c)), None)
        return (first, open_one) if open_one else (first,)

    def _classify(
        self, toks: list[str], matches: list[Match], filters: Filters, explicit_year: bool
    ) -> tuple[str, float]:
        """The intent and its probability: the trained model's, else the rules'."""
        if any(m.kind == "noise" for m in matches) or any(map(_mashed, toks)):
            return "unknown", 0.0
        if self.model is None:
            return rule_intent(toks, matches, filters, explicit_year)
        probs = self.model.probabilities(features(toks, matches))
        best = max(probs, key=probs.__getitem__)
        if best == "smalltalk" and any(m.kind in _ASKING for m in matches):
            # "Good morning, what about April?": the greeting is not the message, when the
            # rest reads clearly enough as a question.
            second = max((i for i in probs if i != "smalltalk"), key=probs.__getitem__)
            if probs[second] >= MIN_CONFIDENCE:
                best = second
        return self._settle(best, matches, filters), probs[best]

    def _settle(self, intent: str, matches: list[Match], filters: Filters) -> str:
        """Where the names in a question decide between two close readings."""
        cues = {m.value for m in matches if m.kind == "intent"}
        place = filters.cities or filters.countries or filters.orgs
        # "Is any course taught in Spanish?" asks for those courses, not how teaching works.
        if (
            intent == "format"
            and filters.languages
            and any(m.kind == "course_word" for m in matches)
        ):
            return "schedule"
        # "Is there a course for officials from Kyiv?" asks which course exists; "can
        # officials from Kyiv take part?" whether they may.
        if intent == "eligibility" and place and "schedule" in cues:
            if not cues & {"eligibility", "apply"}:
                return "schedule"
        # "How many people are in each group?" and "how long does the course last?" name no
        # course: the format answer gives group sizes and length in general.
        if intent in ("seats", "schedule") and "format" in cues and not filters.narrows_courses():
            return "format"
        return intent
