"""The application form: its fields in order, their questions, and reading one answer.

Answer keys (Application.answers), which the staff side reads: full_name, country, city,
city_key, organisation, position, seniority, email, phone, language, motivation, consent;
with a city found in GeoNames also geonameid, city_name, city_country and city_zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.numbers import format_decimal

from bot.features.applications import validators as v
from bot.features.places import Resolution, place_values, same_name
from bot.i18n import N_, _, babel_locale


@dataclass(frozen=True)
class Field:
    """One question of the form."""

    key: str
    label: str  # N_()-marked, shown on the summary and its edit buttons
    choices: tuple[str, ...] = ()  # values offered as buttons; () means typed text
    limit: int = v.SHORT_LIMIT
    typed: bool = True  # False when only buttons answer it


FIELDS = (
    Field("full_name", N_("Full name (as in passport)")),
    Field("country", N_("Country")),
    Field("city", N_("City")),
    Field("organisation", N_("Organisation")),
    Field("position", N_("Position")),
    Field("seniority", N_("Level"), ("senior", "working"), typed=False),
    Field("email", N_("E-mail")),
    Field("phone", N_("Phone"), ("skip",)),
    Field("language", N_("Preferred language"), ("en", "zh", "es", "ru"), typed=False),
    Field("motivation", N_("Motivation"), limit=v.LONG_LIMIT),
    Field("consent", N_("Consent to personal data processing"), ("yes", "no"), typed=False),
)
BY_KEY = {f.key: f for f in FIELDS}
EDITABLE = tuple(f.key for f in FIELDS if f.key != "consent")
SUMMARY = "summary"

CHOICE_LABELS = {
    ("seniority", "senior"): N_("Senior / managerial official"),
    ("seniority", "working"): N_("Working-level official"),
    ("phone", "skip"): N_("Skip"),
    ("consent", "yes"): N_("I agree"),
    ("consent", "no"): N_("I do not agree"),
}
# Language names are written in the language itself, as on the language buttons.
LANGUAGE_CHOICES = {"en": "English", "zh": "中文", "es": "Español", "ru": "Русский"}

PROMPTS = {
    "full_name": N_(
        "What is your full name, exactly as in your passport? You may write it in any script."
    ),
    "country": N_("Which country are you from? Please type its name."),
    "city": N_("Which city (municipality) do you work for?"),
    "organisation": N_("What organisation do you work for (e.g. city hall, department)?"),
    "position": N_("What is your position?"),
    "seniority": N_("Which best describes your level?"),
    "email": N_("Your e-mail address:"),
    "phone": N_(
        "Your phone number with the country code, e.g. +57 1 234 5678. You may skip this question."
    ),
    "language": N_("In which language would you prefer us to write to you?"),
    "motivation": N_(
        "Why would you like to take part in this course, and how will your city use what you "
        "learn? (up to 1,000 characters)"
    ),
}


def consent_notice() -> str:
    """The notice the Korean Personal Information Protection Act requires before consent."""
    return _(
        "Consent to the collection and use of personal information\n\n"
        "• Items collected: full name, country, city, organisation, position, level, e-mail, "
        "phone number (optional), preferred language, your motivation, and your Telegram "
        "account.\n"
        "• Purpose: selecting participants for the course, organising the training and "
        "keeping in touch with you after it (follow-up evaluations).\n"
        "• Retention: 5 years after the end of the course; then the data are destroyed.\n"
        "• You have the right to refuse. If you do not agree, your application cannot be "
        "processed.\n\n"
        "Do you agree?"
    )


def prompt(key: str) -> str:
    """The question for a field, in the current language."""
    return consent_notice() if key == "consent" else _(PROMPTS[key])


def label(key: str) -> str:
    """The translated label of a field."""
    return _(BY_KEY[key].label)


def choice_label(key: str, value: str) -> str:
    """The button text of a choice."""
    if key == "language":
        return LANGUAGE_CHOICES[value]
    return _(CHOICE_LABELS[(key, value)])


def shown(key: str, answers: dict) -> str:
    """A stored answer as the summary shows it."""
    value = answers.get(key)
    if key == "phone" and not value:
        return _("(not given)")
    if key in ("seniority", "language") and value:
        return choice_label(key, value)
    if key == "country" and value:
        return babel_locale().territories.get(value, value)
    if key == "city" and value:
        return city_shown(answers)
    return "" if value is None else str(value)


def city_shown(answers: dict) -> str:
    """The city as typed and, when it reads differently, the place it was taken for:
    "г. Бишкек (Bishkek, Kyrgyzstan)", so the person and staff see what was understood."""
    typed, found = answers.get("city") or "", answers.get("city_name")
    if not found or same_name(typed, found):
        return typed
    country = babel_locale().territories.get(answers.get("city_country") or "", "")
    return f"{typed} ({', '.join(p for p in (found, country) if p)})"


def _number(n: int) -> str:
    return format_decimal(n, locale=babel_locale())


def problem_text(problem: v.Problem) -> str:
    """Why an answer was refused, in the current language."""
    p = problem.params
    if problem.code == "too_long":
        return _(
            "This answer is too long: the limit is {limit} characters and yours has {length}. "
            "Please shorten it and send it again."
        ).format(limit=_number(p["limit"]), length=_number(p["length"]))
    if problem.code == "too_short":
        return _("This answer is too short. Please write at least {minimum} characters.").format(
            minimum=p["minimum"]
        )
    if problem.code == "email":
        return _("This does not look like a valid e-mail address, e.g. name@city.gov")
    if problem.code == "phone":
        return _(
            "This does not look like a phone number. Please write it with the country code, "
            "e.g. +57 1 234 5678, or press “Skip”."
        )
    if problem.code == "country":
        return _(
            "I could not find this country. Please write its name again, for example in English."
        )
    if problem.code == "city":
        return _(
            "I could not find this city. Please write it as it appears on a map, or the "
            "nearest large city: it sets the hour my messages reach you."
        )
    if problem.code == "buttons":
        return _("Please choose one of the buttons.")
    return _("Please type your answer.")


@dataclass(frozen=True)
class Parsed:
    """What a typed answer gives: values to store, a problem, or choices to offer (countries,
    or cities as GeoNames ids with their button labels)."""

    values: dict = field(default_factory=dict)
    problem: v.Problem | None = None
    choices: tuple[str, ...] = ()
    labels: dict = field(default_factory=dict)


def read_typed(
    key: str,
    raw: str,
    locale: str,
    country: str | None,
    cities: list,
    place: Resolution | None = None,
) -> Parsed:
    """Check one typed answer for field `key`; pure apart from Babel's data. For the city,
    `place` is what GeoNames made of the text."""
    spec = BY_KEY[key]
    if not spec.typed:
        return Parsed(problem=v.Problem("buttons"))
    text = v.clean(raw)
    problem = v.check_length(text, spec.limit, v.MIN_NAME if key == "full_name" else 1)
    if problem:
        return Parsed(problem=problem)
    if key == "email":
        email, problem = v.check_email(text)
        return Parsed({"email": email}, problem) if not problem else Parsed(problem=problem)
    if key == "phone":
        phone, problem = v.check_phone(text, country)
        return Parsed({"phone": phone}) if not problem else Parsed(problem=problem)
    if key == "country":
        codes = v.match_country(text, locale)
        if not codes:
            return Parsed(problem=v.Problem("country"))
        return Parsed({"country": codes[0]}) if len(codes) == 1 else Parsed(choices=tuple(codes))
    if key == "city":
        return _read_city(text, country, cities, place)
    return Parsed({key: text})


def _read_city(text: str, country: str | None, cities: list, place: Resolution | None) -> Parsed:
    values = {"city": text, "city_key": v.match_city(text, country, cities)}
    if place is None or place.city is None:
        # A partner city the catalogue knows still counts; anything else needs a place we
        # can find, or follow-ups would come at the wrong hour.
        return Parsed(values) if values["city_key"] else Parsed(problem=v.Problem("city"))
    if place.ambiguous:
        names = babel_locale().territories
        return Parsed(
            choices=tuple(str(c.geonameid) for c in place.candidates),
            labels={
                str(c.geonameid): f"{c.name}, {names.get(c.country, c.country)}"
                for c in place.candidates
            },
        )
    return Parsed({**values, **place_values(place.city)})


def read_choice(key: str, value: str) -> dict | None:
    """Values stored for a pressed choice; None when the field has no such choice."""
    spec = BY_KEY.get(key)
    if spec is None:
        return None
    if key == "country":
        return {"country": value} if value in babel_locale("en").territories else None
    if value not in spec.choices:
        return None
    if key == "phone":
        return {"phone": None}
    if key == "consent":
        return {"consent": value == "yes"}
    return {key: value}


def next_step(key: str) -> str:
    """The step after answering `key` in order: the next field, or the summary."""
    keys = [f.key for f in FIELDS]
    i = keys.index(key)
    return keys[i + 1] if i + 1 < len(keys) else SUMMARY


def missing(answers: dict) -> list[str]:
    """Required fields not yet answered (phone is optional; consent must be True)."""
    gaps = [f.key for f in FIELDS if f.key not in ("phone", "consent") and not answers.get(f.key)]
    return gaps + ([] if answers.get("consent") is True else ["consent"])
