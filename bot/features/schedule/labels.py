"""The one place for theme and course-type labels, and Babel month names that stay correct."""

from __future__ import annotations

import pickle
from functools import cache

from babel.localedata import LocaleDataDict, merge, resolve_locale_filename

from bot.i18n import N_, _, babel_locale, current_locale

THEME_LABELS = {
    "smart_city": N_("Smart city"),
    "water": N_("Water management"),
    "e_government": N_("E-government"),
    "transport": N_("Urban transport"),
    "urban_management": N_("Urban management"),
    "governance": N_("Governance"),
    "climate_change": N_("Climate change"),
    "international_cooperation": N_("International cooperation"),
}
THEME_ICONS = {
    "smart_city": "🏙",
    "water": "💧",
    "e_government": "💻",
    "transport": "🚇",
    "urban_management": "🏗",
    "governance": "🏛",
    "climate_change": "🌱",
    "international_cooperation": "🌐",
}
TYPE_LABELS = {
    "planned": N_("Planned courses"),
    "cooperative": N_("Cooperative courses"),
    "customised": N_("Customised courses"),
}
TYPE_NAMES = {
    "planned": N_("Planned course"),
    "cooperative": N_("Cooperative course"),
    "customised": N_("Customised course"),
}
TYPE_HINTS = {
    "planned": N_("open to all cities (Metropolis International Training Institute)"),
    "cooperative": N_("with a partner organisation or a Seoul department, for its cities"),
    "customised": N_("for one requesting city or organisation"),
}


def theme_label(theme: str | None) -> str:
    """A theme's name in the current locale (the key itself when unknown)."""
    if not theme:
        return ""
    return _(THEME_LABELS[theme]) if theme in THEME_LABELS else theme


def type_label(kind: str, *, plural: bool = True) -> str:
    """A course type's name in the current locale (the key itself when unknown)."""
    labels = TYPE_LABELS if plural else TYPE_NAMES
    return _(labels[kind]) if kind in labels else kind


@cache
def _standalone_months(locale: str) -> dict[int, str]:
    # babel.dates.get_month_names(context="stand-alone") is unsafe in a process that serves
    # several locales: resolving the stand-alone alias writes back into locale data shared
    # through babel's cache, so after a Chinese lookup Spanish returns "一月"
    # (python-babel/babel#1234, unfixed in 2.18). Read this locale's data privately instead.
    name = str(babel_locale(locale))
    chain = ["root"] + ["_".join(name.split("_")[: i + 1]) for i in range(name.count("_") + 1)]
    data: dict = {}
    for part in chain:
        with open(resolve_locale_filename(part), "rb") as fh:
            merge(data, pickle.load(fh))  # babel's own bundled CLDR data
    names = LocaleDataDict(data)["months"]["stand-alone"]["wide"]
    return {int(k): str(v) for k, v in names.items()}


def month_name(month: int, locale: str | None = None) -> str:
    """The stand-alone name of a month (1–12) in a locale, capitalised for a button or title."""
    name = _standalone_months(locale or current_locale())[month]
    return name[:1].upper() + name[1:]
