"""The postcard form's words and checks: questions, limits, target months, reasons.

Its steps and how answers lead from one to the next are declared in answering.py.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton

from bot.core.forms.steps import Step
from bot.core.forms.validate import Problem, check_length, clean, reason
from bot.features.postcards import months
from bot.i18n import N_, Translator, _, babel_locale

FIRST = "inspired_by"
MAX_ACTIONS = 3
MONTHS_AHEAD = 12  # buttons offer the next 12 months
MAX_YEARS_AHEAD = 5  # a typed month may be further away, but not absurdly so
LIMITS = {"inspired_by": 300, "action": 300, "obstacles": 500, "support": 500}
# Edit keys on the summary: the three texts, one action each, and adding one.
TEXT_FIELDS = ("inspired_by", "obstacles", "support")
EDIT_KEYS = (*TEXT_FIELDS, "a1", "a2", "a3", "add")

LABELS = {
    "inspired_by": N_("Seoul policy that inspired me"),
    "actions": N_("My actions"),
    "obstacles": N_("Expected obstacles"),
    "support": N_("Support I would like from Seoul"),
}


def check_text(kind: str, raw: str) -> tuple[str | None, Problem | None]:
    """A typed text answer for `kind`, or why it is refused."""
    text = clean(raw)
    problem = check_length(text, LIMITS[kind])
    return (None, problem) if problem else (text, None)


def add_months(day: date, n: int) -> tuple[int, int]:
    """(year, month) n months after `day`'s month."""
    total = day.year * 12 + day.month - 1 + n
    return total // 12, total % 12 + 1


def month_choices(today: date) -> list[str]:
    """The target months offered as buttons, "YYYY-MM", from next month on."""
    return ["{:04d}-{:02d}".format(*add_months(today, n)) for n in range(1, MONTHS_AHEAD + 1)]


def read_month(raw: str, today: date) -> str | None:
    """A typed or pressed month ("2019-03", "marzo de 2019", "2019年3月", "03/2019") from this
    month to five years ahead, as "YYYY-MM"; else None."""
    found = months.parse(clean(raw), today)
    if found is None:
        return None
    year, month = found
    if (year, month) < (today.year, today.month) or year > today.year + MAX_YEARS_AHEAD:
        return None
    return f"{year:04d}-{month:02d}"


def example_month(today: date, locale: str | None = None) -> str:
    """A month half a year ahead as the reader would write it ("marzo de 2019")."""
    return month_name("{:04d}-{:02d}".format(*add_months(today, 6)), locale)


def month_name(value: str | None, locale: str | None = None) -> str:
    """A "YYYY-MM" target as the month name and year in a language (Babel)."""
    if not value:
        return ""
    year, month = (int(x) for x in value.split("-"))
    return format_skeleton("yMMMM", date(year, month, 1), locale=babel_locale(locale))


def prompt(step: Step, count: int, today: date) -> str:
    """The question for a step, in the current language (`count`: actions written so far;
    `today` for the example month)."""
    if step.key == "inspired_by":
        return _(
            "Which Seoul policy or practice inspired you most during this course? "
            "(up to {limit} characters)"
        ).format(limit=LIMITS["inspired_by"])
    if step.key == "action":
        return _(
            "Action {n} of up to {max}: what concrete step will you take in your city? "
            "(up to {limit} characters)"
        ).format(n=step.n, max=MAX_ACTIONS, limit=LIMITS["action"])
    if step.key == "target":
        return _(
            "By which month do you plan to complete action {n}? Choose a month or type it, "
            "e.g. {example}."
        ).format(n=step.n, example=example_month(today))
    if step.key == "more":
        return _("Would you like to add another action?")
    if step.key == "obstacles":
        return _(
            "What obstacles do you expect when putting your plan into practice? "
            "(up to {limit} characters)"
        ).format(limit=LIMITS["obstacles"])
    return _(
        "What support would you like from Seoul (experts, documents, contacts)? "
        "(up to {limit} characters; you may skip this question)"
    ).format(limit=LIMITS["support"])


def problem_text(problem: Problem, today: date) -> str:
    """Why an answer was refused, in the current language (`today` for the example month)."""
    if problem.code == "closed":
        return _("The time for writing this postcard has ended, so this answer was not saved.")
    if problem.code == "month":
        return _(
            "Please choose a month with the buttons or type it, e.g. {example} (from this "
            "month up to five years ahead)."
        ).format(example=example_month(today))
    return reason(problem)


def label(key: str, tr: Translator | None = None) -> str:
    """The label of a summary field, in the current language or a translator's."""
    return tr.gettext(LABELS[key]) if tr else _(LABELS[key])
