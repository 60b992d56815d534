"""Answers free-text questions: understand (nlu), look up courses and FAQ, render the reply."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.clock import local_today, utcnow
from bot.config import DEFAULT_TIMEZONE
from bot.core.refdata import cached
from bot.features.applications.api import course_for_day
from bot.features.places import Index
from bot.features.qa import render
from bot.features.qa import render_kinds as kinds
from bot.features.qa.eligibility import Asker, sort_courses, upcoming_year
from bot.features.qa.intent_model import ensure_model
from bot.features.qa.knowledge import DATA, Knowledge, load_knowledge
from bot.features.qa.nlu import Engine, Lexicon, Understanding
from bot.features.qa.nlu_text import is_traditional
from bot.features.qa.places_in_text import cities_in
from bot.features.qa.profile import asker_profile
from bot.features.schedule.api import Catalogue, CourseView, load_catalogue, sessions_on
from bot.i18n import TRAINEE_LOCALES, pick, translator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Intents a person should be offered a human for, because the bot's answer is not enough.
HANDOFF_INTENTS = frozenset({"contact", "unknown"})


@dataclass(frozen=True)
class CourseRef:
    """A course named in an answer."""

    code: str
    title: str
    starts: date | None
    ends: date | None


@dataclass(frozen=True)
class Answer:
    """What the bot replies to a question, and whether to offer a person."""

    intent: str
    locale: str
    text: str
    courses: tuple[CourseRef, ...]
    offer_handoff: bool


@dataclass(frozen=True)
class _Asked:
    """The question as asked: its text, the reader's language, who asked, the city index."""

    text: str
    locale: str
    person_id: int | None
    places: Index | None


@dataclass(frozen=True)
class _Brain:
    catalogue: Catalogue
    knowledge: Knowledge
    engine: Engine


async def _brain() -> _Brain:
    return await cached("qa.brain", _load_brain)


async def _load_brain() -> _Brain:
    catalogue, knowledge = await load_catalogue(), await load_knowledge()
    if knowledge.lexicon_rows:
        lexicon = Lexicon.from_rows(knowledge.lexicon_rows)
    else:
        # A database without the seeded lexicon still understands the bundled words.
        lexicon = Lexicon.from_file(DATA / "lexicon.json")
    engine = Engine(catalogue, lexicon)
    # Trained once per corpus and lexicon (in a child process), then read from disk.
    engine.model = await asyncio.to_thread(ensure_model, engine)
    return _Brain(catalogue, knowledge, engine)


def resolve_day(day: str | None, today: date) -> date:
    """Turn the engine's day reference (today, tomorrow, a weekday, an ISO date) into a date."""
    if not day or day == "today":
        return today
    if day == "tomorrow":
        return today + timedelta(days=1)
    if day == "after_tomorrow":
        return today + timedelta(days=2)
    if day == "yesterday":
        return today - timedelta(days=1)
    if day in WEEKDAYS:
        return today + timedelta(days=(WEEKDAYS.index(day) - today.weekday()) % 7)
    try:
        return date.fromisoformat(day)
    except ValueError:
        return today


def _running(catalogue: Catalogue, day: date) -> tuple[CourseView, ...]:
    return tuple(c for c in catalogue.courses if c.runs_on(day))


async def day_reply(ref: str, *, locale: str, today: date, person_id: int | None, tz: str) -> str:
    """/today and /tomorrow: the day's programme, else the courses running that day."""
    text, found = await day_programme(ref, locale=locale, today=today, person_id=person_id, tz=tz)
    running = () if found else _running((await _brain()).catalogue, resolve_day(ref, today))
    return f"{text}\n\n{render.course_list(locale, running, today)}" if running else text


async def day_programme(
    day_ref: str | None,
    *,
    locale: str,
    today: date,
    person_id: int | None = None,
    kinds: frozenset[str] = frozenset(),
    tz: str = DEFAULT_TIMEZONE,
) -> tuple[str, bool]:
    """The programme of the person's course on a day (today, tomorrow, a weekday, a date);
    returns the text and whether anything was found."""
    day = resolve_day(day_ref, today)
    code = await course_for_day(day, person_id)
    sessions = await sessions_on(code, day, tz) if code else []
    if kinds:
        # "When is tomorrow's site visit?": show the site visits, or the whole day if none.
        sessions = [s for s in sessions if s.kind in kinds] or sessions
    return render.programme(locale, day, sessions, tz), bool(sessions)


_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


async def _eligibility(
    brain: _Brain, u: Understanding, ask: _Asked, today: date
) -> tuple[str, tuple[CourseView, ...]] | None:
    """The courses open to the place or organisation asked about (else the asker's own);
    None when neither is known, so the general rules are the answer."""
    f, loc, person_id = u.filters, ask.locale, ask.person_id
    # With a place named, a network names the course ("can Medellín join CITYNET's course?")
    # or asks about membership ("is Manila a WeGO member?"); it never says the place belongs
    # to it, so the place decides. A network alone ("can ICLEI members apply?") is the asker.
    asker = Asker(f.cities, f.countries)
    if not asker.known() and ask.places is not None:
        # A city the catalogue does not know ("Osh", "Quezon City"): its country decides.
        found = await asyncio.to_thread(cities_in, ask.text, ask.places, brain.engine.known_words)
        if found:
            city, shown = found[0]
            asker = Asker(countries=frozenset({city.country}), place=shown)
    if not asker.known() and f.orgs:
        asker = Asker(orgs=f.orgs)
    if not asker.known() and person_id is not None:
        asker = await asker_profile(person_id)
    cat = brain.catalogue
    pool = upcoming_year(cat, f.year, today)
    # "Can Medellín join CITYNET's transport course in April?" is about that course.
    refs = f.orgs - asker.orgs
    named = [
        c
        for c in pool
        if (not f.themes or c.theme in f.themes)
        and (not f.months or c.months & f.months)
        and (not refs or refs & {c.partner, (c.audience or {}).get("organisation")})
    ]
    if named and (f.themes or f.months or refs):
        pool = named
    if not asker.known():
        if not u.course_word:
            return None
        # "Which courses can I apply to?" from someone we know nothing about: the courses
        # open to every city, to network members, and the ones reserved for others.
        sorted_ = sort_courses(cat, asker, pool)
        lists = kinds.open_to_all(loc, sorted_.open, sorted_.members, sorted_.others)
        return lists, sorted_.open + sorted_.members
    sorted_ = sort_courses(cat, asker, pool)
    place = kinds.place_name(loc, cat, asker)
    text = kinds.eligibility(loc, place, sorted_.open, sorted_.members, sorted_.others)
    return text, sorted_.open + sorted_.members


async def _course_day(
    brain: _Brain, u: Understanding, person_id: int | None, today: date
) -> str | None:
    """'Day 3 of the urban management course' (or of the person's own course) as a date."""
    course = u.courses[0] if u.filters.narrows_courses() and u.courses else None
    if course is None:
        code = await course_for_day(today, person_id)
        course = brain.catalogue.by_code(code) if code else None
    if course is None or course.starts is None:
        return None
    if u.filters.course_day == "last":
        return (course.ends or course.starts).isoformat()
    return (course.starts + timedelta(days=int(u.filters.course_day or 1) - 1)).isoformat()


async def answer_question(
    text: str,
    *,
    locale: str | None = None,
    person_id: int | None = None,
    today: date | None = None,
    tz: str = DEFAULT_TIMEZONE,
    places: Index | None = None,
) -> Answer:
    """Understand a question and compose the reply in the asker's language; `places` (the
    GeoNames index) lets eligibility answers place cities the catalogue does not know."""
    brain = await _brain()
    today = today or local_today(utcnow(), tz)
    u = brain.engine.understand(text, locale=locale, today=today)
    if _HANGUL.search(text or ""):
        # The engine reads en/zh/es/ru, not Korean: say so honestly rather than guess.
        u = Understanding("unknown", u.filters, (), "ko", 0.0, unsure=True)
    loc = u.locale if u.locale in TRAINEE_LOCALES or u.locale == "ko" else (locale or "en")
    if loc == "zh" and (locale == "zh_Hant" or is_traditional(text or "")):
        # Written in (or set to) Traditional characters: answered in them.
        loc = "zh_Hant"
    if _HANGUL.search(text or ""):
        # The engine reads en/zh/es/ru; Korean (staff) still gets its reply in Korean.
        loc = "ko"
    tr = translator(loc)
    courses: tuple[CourseView, ...] = u.courses
    offer = u.intent in HANDOFF_INTENTS
    if u.unsure:
        # One honest sentence, not "I'm not sure" stacked on "I don't know that".
        body, courses = kinds.not_sure(loc), ()
    elif u.intent == "smalltalk":
        body, courses = kinds.smalltalk(loc, u.smalltalk or "other"), ()
    elif u.intent == "seats":
        body = kinds.seats(loc, courses) if courses else render.no_course(loc)
        offer = not courses
    elif u.intent == "deadline":
        body = kinds.deadlines(loc, courses, today) if courses else render.no_course(loc)
        offer = not courses
    elif u.intent == "eligibility" and (
        found := await _eligibility(brain, u, _Asked(text, loc, person_id, places), today)
    ):
        body, courses = found
    elif u.intent == "schedule":
        body = render.course_list(loc, courses, today) if courses else render.no_course(loc)
        offer = not courses
    elif u.intent == "programme":
        day = u.filters.day
        if u.filters.course_day:
            day = await _course_day(brain, u, person_id, today) or day
        body, found = await day_programme(
            day,
            locale=loc,
            today=today,
            person_id=person_id,
            kinds=u.filters.session_kinds,
            tz=tz,
        )
        courses = () if found else _running(brain.catalogue, resolve_day(day, today))
        if courses:
            # No published programme for the day: still say which courses run then.
            body = f"{body}\n\n{render.course_list(loc, courses, today)}"
        offer = not found and not courses
    else:
        body = pick(brain.knowledge.answers.get(u.intent), loc) or tr.gettext(
            "I am sorry, I do not have an answer to that yet."
        )
        if u.intent == "apply" and courses:
            body = f"{body}\n\n{render.course_list(loc, courses, today)}"
        elif u.intent != "apply":
            courses = ()
    refs = tuple(CourseRef(c.code, c.t(loc), c.starts, c.ends) for c in courses)
    return Answer(u.intent, loc, body, refs, offer)
