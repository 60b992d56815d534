"""The application form: its fields in order, which apply, and reading one answer.

Answer keys (Application.answers), which the staff side reads: full_name, name_latin (asked
only for a name in another script), country, city, city_key, organisation, position,
seniority, email, phone, language, motivation, consent; with a city found in GeoNames also
geonameid, city_name, city_country and city_zone, and city_near when the city is a small
town that only takes its zone from that large city. Pending, while a question is open:
email_offer ({"typed", "suggested"}) and city_unfound (a town that was not found).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.core.forms.steps import SUMMARY
from bot.core.forms.validate import reason
from bot.features.applications import emails
from bot.features.applications import validators as v
from bot.features.applications.form_text import phone_example
from bot.features.places import Resolution, fold, place_values
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
    Field("name_latin", N_("Name in Latin letters (as in passport)")),
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
# Keys a new answer to a field replaces besides its own: what the old answer left pending
# or derived from it.
_REPLACES = {
    "email": ("email_offer",),
    "city": ("city_unfound", "city_near", "geonameid", "city_name", "city_country", "city_zone"),
}
_SAME_TOWN = 75  # a found city this close to the town not found is a corrected spelling


def applies(key: str, answers: dict) -> bool:
    """Whether the field is asked of this person: the Latin spelling only for a name that
    has letters of another script."""
    if key == "name_latin":
        return v.has_other_script(answers.get("full_name") or "")
    return True


def steps(answers: dict) -> list[str]:
    """The keys of the fields asked of this person, in order."""
    return [f.key for f in FIELDS if applies(f.key, answers)]


def position(key: str, answers: dict) -> tuple[int, int]:
    """(number of the question, number of questions) for "3/11."."""
    keys = steps(answers)
    return (keys.index(key) + 1 if key in keys else 1), len(keys)


def label(key: str) -> str:
    """The translated label of a field."""
    return _(BY_KEY[key].label)


def editable(answers: dict) -> list[str]:
    """The fields the summary offers to change."""
    return [k for k in EDITABLE if applies(k, answers)]


def problem_text(problem: v.Problem) -> str:
    """Why an answer was refused, in the current language (the shared reasons are the
    engine's)."""
    p = problem.params
    if problem.code == "email":
        return _("This does not look like a valid e-mail address, e.g. name@city.gov")
    if problem.code == "phone":
        return _(
            "This does not look like a phone number. Please write it with the country code, "
            "e.g. {example}, or press “Skip”."
        ).format(example=phone_example(p.get("country")))
    if problem.code == "latin":
        return _(
            "Please write your name in Latin letters (A–Z) exactly as in your passport; "
            "spaces, hyphens, apostrophes, commas and dots may be used."
        )
    if problem.code == "country":
        return _(
            "I could not find this country. Please write its name again, for example in English."
        )
    if problem.code == "city" and p.get("town"):
        return _(
            "I could not find “{town}”. If it is a small town, please write the nearest large "
            "city: “{town}” stays your city, and the large city only sets the hour my messages "
            "reach you."
        ).format(town=p["town"])
    if problem.code == "city":
        return _(
            "I could not find this city. Please write it as it appears on a map, or the "
            "nearest large city: it sets the hour my messages reach you."
        )
    return reason(problem)


@dataclass(frozen=True)
class Parsed:
    """What a typed answer gives: values to store, a problem, or choices to offer (countries,
    or cities as GeoNames ids with their button labels); `pending` is kept in the answers
    while the same question stays open (an e-mail to confirm, a town not found)."""

    values: dict = field(default_factory=dict)
    problem: v.Problem | None = None
    choices: tuple[str, ...] = ()
    labels: dict = field(default_factory=dict)
    pending: dict = field(default_factory=dict)


def read_typed(
    key: str,
    raw: str,
    locale: str,
    country: str | None,
    cities: list,
    place: Resolution | None = None,
    answers: dict | None = None,
) -> Parsed:
    """Check one typed answer for field `key`; pure apart from Babel's data. For the city,
    `place` is what GeoNames made of the text; `answers` are those given so far."""
    spec, answers = BY_KEY[key], answers or {}
    if not spec.typed:
        return Parsed(problem=v.Problem("buttons"))
    text = v.clean(raw)
    problem = v.check_length(text, spec.limit, v.MIN_NAME if key == "full_name" else 1)
    if problem:
        return Parsed(problem=problem)
    if key == "name_latin":
        problem = v.check_latin_name(text)
        return Parsed(problem=problem) if problem else Parsed({key: " ".join(text.split())})
    if key == "email":
        email, problem = v.check_email(text)
        if problem or email is None:
            return Parsed(problem=problem)
        suggested = emails.suggest(email)
        if suggested:
            return Parsed(pending={"email_offer": {"typed": email, "suggested": suggested}})
        return Parsed({"email": email})
    if key == "phone":
        phone, problem = v.check_phone(text, country)
        if problem:
            return Parsed(problem=v.Problem("phone", {"country": country}))
        return Parsed({"phone": phone})
    if key == "country":
        codes = v.match_country(text, locale)
        if not codes:
            return Parsed(problem=v.Problem("country"))
        return Parsed({"country": codes[0]}) if len(codes) == 1 else Parsed(choices=tuple(codes))
    if key == "city":
        return _read_city(text, country, cities, place, answers.get("city_unfound"))
    return Parsed({key: text})


def _read_city(
    text: str, country: str | None, cities: list, place: Resolution | None, town: str | None
) -> Parsed:
    values = {"city": text, "city_key": v.match_city(text, country, cities)}
    if place is None or place.city is None:
        # A partner city the catalogue knows still counts; anything else needs a place we
        # can find, or follow-ups would come at the wrong hour. The first town not found is
        # kept: it is the person's own, and the next answer may be only a large city near it.
        if values["city_key"]:
            return Parsed(values)
        town = town or text
        return Parsed(problem=v.Problem("city", {"town": town}), pending={"city_unfound": town})
    if place.ambiguous:
        names = babel_locale().territories
        return Parsed(
            choices=tuple(str(c.geonameid) for c in place.candidates),
            labels={
                str(c.geonameid): f"{c.name}, {names.get(c.country, c.country)}"
                for c in place.candidates
            },
        )
    return Parsed(home_town({**values, **place_values(place.city)}, town))


def home_town(values: dict, town: str | None) -> dict:
    """A found city's values; after a town that was not found, the town stays the city and
    the found one, unless it is that town spelt better, only gives the zone."""
    found = values.get("city_name") or ""
    if not town or any(
        fuzz.ratio(fold(town), fold(name)) >= _SAME_TOWN for name in (found, values["city"])
    ):
        return values
    return {**values, "city": town, "city_key": None, "city_near": True}


def email_choice(value: str, answers: dict) -> dict | None:
    """The e-mail stored for a press on the offer: the suggested address or the one typed."""
    offer = answers.get("email_offer") or {}
    if value not in ("use", "keep") or not offer:
        return None
    return {"email": offer["suggested"] if value == "use" else offer["typed"]}


def replaced(key: str) -> tuple[str, ...]:
    """Answer keys that a new answer to `key` clears before it is stored."""
    return _REPLACES.get(key, ())


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


def next_step(key: str, answers: dict) -> str:
    """The step after answering `key` in order: the next field asked, or the summary."""
    keys = [f.key for f in FIELDS]
    later = [k for k in keys[keys.index(key) + 1 :] if applies(k, answers)]
    return later[0] if later else SUMMARY


def missing(answers: dict) -> list[str]:
    """Required fields not yet answered (phone is optional; consent must be True)."""
    gaps = [k for k in steps(answers) if k not in ("phone", "consent") and not answers.get(k)]
    return gaps + ([] if answers.get("consent") is True else ["consent"])
