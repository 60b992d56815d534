"""What the application form says: its questions, button labels and answers as shown."""

from __future__ import annotations

from bot.features.applications import validators as v
from bot.features.places import same_name
from bot.i18n import N_, _, babel_locale

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
    "name_latin": N_(
        "How is your name written in Latin letters in your passport? Please copy it exactly "
        "(invitation letters and tickets use this spelling)."
    ),
    "country": N_("Which country are you from? Please type its name."),
    "city": N_("Which city (municipality) do you work for?"),
    "organisation": N_("What organisation do you work for (e.g. city hall, department)?"),
    "position": N_("What is your position?"),
    "seniority": N_("Which best describes your level?"),
    "email": N_("Your e-mail address:"),
    "phone": N_(
        "Your phone number with the country code, e.g. {example}. You may skip this question."
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


def phone_example(country: str | None) -> str:
    """A phone number as the person would write it: one of their own country when known."""
    # Shown with the country code placeholder when the country has no example number.
    return v.phone_example(country) or _("+<country code> <number>")


def prompt(key: str, answers: dict | None = None) -> str:
    """The question for a field, in the current language (the phone example fits the
    country given before)."""
    if key == "consent":
        return consent_notice()
    if key == "phone":
        return _(PROMPTS[key]).format(example=phone_example((answers or {}).get("country")))
    return _(PROMPTS[key])


def email_offer(offer: dict) -> str:
    """The question about a likely mistyped e-mail domain."""
    return _("Did you mean {suggested}? You wrote {typed}.").format(
        suggested=offer["suggested"], typed=offer["typed"]
    )


def email_offer_labels(offer: dict) -> dict:
    """Button text of the two answers to the offer: use the suggestion, keep what was typed."""
    return {
        "use": _("✅ Use {address}").format(address=offer["suggested"]),
        "keep": _("Keep {address}").format(address=offer["typed"]),
    }


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
    "г. Бишкек (Bishkek, Kyrgyzstan)", so the person and staff see what was understood; a
    small town with the large city whose time zone it uses: "Tokmok — time zone of Bishkek"."""
    typed, found = answers.get("city") or "", answers.get("city_name")
    country = babel_locale().territories.get(answers.get("city_country") or "", "")
    place = ", ".join(p for p in (found, country) if p)
    if found and answers.get("city_near"):
        return _("{city} — time zone of {place}").format(city=typed, place=place)
    if not found or same_name(typed, found):
        return typed
    return f"{typed} ({place})"
